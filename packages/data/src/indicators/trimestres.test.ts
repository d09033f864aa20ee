import { fileURLToPath } from 'node:url';
import type { IndicatorResults, IndicatorRow, LegalIndicatorId, PerimeterType } from '@mixite/core';
import { LEGAL_INDICATOR_IDS } from '@mixite/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDataset } from '../import/import-dataset.ts';
import { Store } from '../store/store.ts';
import { calculerIndicateurs } from './engine.ts';

/**
 * The quarters `2024-T1` … `2024-T4` of the indicator engine, on the hand-built territory of engine.test.ts
 * (packages/data/test/fixtures/indicators/territoire; its table of allocations is in engine.test.ts). Expected
 * values by hand from that table, or by a plain SQL query over the imported rows written here (no engine code),
 * and the additivity every quarter must respect (S1 = T1 + T2, S2 = T3 + T4, year = T1 + … + T4).
 */

const FIXTURE = fileURLToPath(new URL('../../test/fixtures/indicators/territoire', import.meta.url));

let store: Store;
let r: IndicatorResults;
beforeAll(async () => {
  store = await Store.open(':memory:');
  await importDataset(store, [FIXTURE]);
  r = await calculerIndicateurs(store, { annee: 2024 });
});
afterAll(() => store.close());

const cell = (indicateur: LegalIndicatorId, type: PerimeterType, id: string, periode: string): IndicatorRow | undefined =>
  r.indicateurs.find((x) => x.indicateur === indicateur && x.perimetre_type === type && x.perimetre_id === id && x.periode === periode);
const counts = (row: IndicatorRow | undefined) => (row ? [row.numerateur, row.denominateur] : undefined);

describe('quarters of the indicator engine', () => {
  it('date a lease by its lease date within the quarter, both bounds included (hors_qpv_q1, by hand)', () => {
    // Leases hors QPV of 2024 by lease date (assimilated sectors are hors QPV in this cia.yaml):
    // T1: A01 15/03 Q1 → 1/1; T2: A02 01/04 Q1, A03 02/05 Q2, A04 10/06 relocated → 2/3;
    // T3: A08 05/07 Q1, A10 01/09 Q1 → 2/2; T4: A11 01/10 Q1, A14 20/11 Q1 → 2/2. Year: 7/8.
    expect(['T1', 'T2', 'T3', 'T4'].map((t) => counts(cell('hors_qpv_q1', 'territoire', 'territoire', `2024-${t}`)))).toEqual([
      [1, 1],
      [2, 3],
      [2, 2],
      [2, 2],
    ]);
    // A02 signed on 1 April: the first day of T2, not the last of T1 (its CALEOL, 5 March, is in T1).
    expect(cell('hors_qpv_q1', 'territoire', 'territoire', '2024-T2')).toMatchObject({ taux: 2 / 3, cible: 0.25, atteint: true });
  });

  it('count the proposals of each quarter by bailleur and in total as a plain SQL query does', async () => {
    // Proposals: allocation decisions except the candidates never proposed, dated by the CALEOL; the bailleur of the
    // dwelling, else the allocation's own; a priority household is DALO or prioritaire, on the allocation, else its request.
    const attendu = await store.all<{ trimestre: number; bailleur: string | null; n: number; d: number }>(
      `SELECT quarter(a.date_cal)::INTEGER AS trimestre, coalesce(l.bailleur_id, a.bailleur_id) AS bailleur,
              count(*) FILTER (WHERE coalesce(a.dalo, dm.dalo, FALSE) OR coalesce(a.prioritaire, dm.prioritaire, FALSE))::INTEGER AS n,
              count(*)::INTEGER AS d
         FROM attributions a LEFT JOIN logements l ON l.id = a.logement_id LEFT JOIN demandes dm ON dm.nur = a.nur
        WHERE a.decision = 'attribution' AND coalesce(a.issue, '') <> 'non_proposee' AND year(a.date_cal) = 2024
        GROUP BY GROUPING SETS ((1), (1, 2)) ORDER BY 1, 2`,
    );
    expect(attendu.length).toBeGreaterThan(4);
    for (const row of attendu) {
      const [type, id] = row.bailleur === null ? (['territoire', 'territoire'] as const) : (['bailleur', row.bailleur] as const);
      expect(counts(cell('prioritaires', type, id, `2024-T${row.trimestre}`)), `${id} T${row.trimestre}`).toEqual([row.n, row.d]);
    }
    // And no quarter row counts proposals the query does not see.
    const trimestres = r.indicateurs.filter((x) => x.indicateur === 'prioritaires' && /-T\d$/.test(x.periode) && x.denominateur > 0 && (x.perimetre_type === 'territoire' || x.perimetre_type === 'bailleur'));
    expect(trimestres).toHaveLength(attendu.length);
  });

  it('add up to the semesters and the year for every indicator and perimeter', () => {
    const lignes = new Map(r.indicateurs.map((x) => [`${x.indicateur}|${x.perimetre_type}|${x.perimetre_id}|${x.periode}`, x]));
    const somme = (cle: string, ids: string[]): [number, number] =>
      ids.reduce<[number, number]>(([n, d], p) => {
        const x = lignes.get(`${cle}|${p}`);
        return [n + (x?.numerateur ?? 0), d + (x?.denominateur ?? 0)];
      }, [0, 0]);
    const perimetres = new Set(r.indicateurs.map((x) => `${x.indicateur}|${x.perimetre_type}|${x.perimetre_id}`));
    expect(perimetres.size).toBeGreaterThan(LEGAL_INDICATOR_IDS.length);
    for (const cle of perimetres) {
      for (const [total, parts] of [
        ['2024', ['2024-T1', '2024-T2', '2024-T3', '2024-T4']],
        ['2024-S1', ['2024-T1', '2024-T2']],
        ['2024-S2', ['2024-T3', '2024-T4']],
      ] as const) {
        const t = lignes.get(`${cle}|${total}`);
        expect(somme(cle, [...parts]), `${cle} ${total}`).toEqual([t?.numerateur ?? 0, t?.denominateur ?? 0]);
      }
    }
  });
});
