import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IndicatorRow } from '@mixite/core';
import { Store, calculerIndicateurs, decisionsEnregistrees, enregistrerDecisions, enregistrerReponse, importDataset } from '../src/index.ts';

/**
 * Recorded CALEOL decisions (issue 15) on the hand-built territory of fixtures/caleol: they become allocation rows,
 * so the indicators change without a re-import — exactly as importing the same rows would (compared on every
 * indicator, perimeter and period of 2025) — and a bad decision writes nothing.
 *
 * The commission of 30 June 2025 on L1 (B1, 91228, outside QPV, not reserved): D02 first (DALO), D01 second,
 * D04 not retained (motive). Then D02 signs on 15 July 2025. By hand, 2025:
 * - prioritaires, contingent non_reserve:B1: before 0 of 4 proposals (A1–A4); after, D02's proposal counts (DALO):
 *   1 of 5 — D01, second-ranked and never asked, is not a proposal, D04 is not an attribution;
 * - hors_qpv_q1, territory: before 0 leases; after D02's lease outside QPV: 0 of 1 (D02: 33 600 ÷ 1.8 > 12 000).
 */

const FIXTURE = fileURLToPath(new URL('./fixtures/caleol/territoire', import.meta.url));
const AUJOURDHUI = '2026-12-01';
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mixite-caleol-dec-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ligne = (rows: readonly IndicatorRow[], indicateur: string, type: string, id: string) =>
  rows.find((r) => r.indicateur === indicateur && r.perimetre_type === type && r.perimetre_id === id && r.periode === '2025');

async function ouvrir(jeu: string): Promise<Store> {
  const store = await Store.open(':memory:');
  await importDataset(store, [jeu]);
  return store;
}

describe('a recorded decision is an allocation row', () => {
  it('changes the indicators exactly as importing the same rows', async () => {
    const enregistre = await ouvrir(FIXTURE);
    try {
      const avant = (await calculerIndicateurs(enregistre, { annee: 2025 })).indicateurs;
      expect(ligne(avant, 'prioritaires', 'contingent', 'non_reserve:B1')).toMatchObject({ numerateur: 0, denominateur: 4 });

      const faites = await enregistrerDecisions(
        enregistre,
        {
          logement_id: 'L1',
          date_cal: '2025-06-30',
          auteur: 'bailleur@test',
          candidats: [
            { nur: 'D02', decision: 'attribution', rang: 1 },
            { nur: 'D01', decision: 'attribution', rang: 2 },
            { nur: 'D04', decision: 'non_attribution', motif: 'dossier incomplet' },
          ],
        },
        AUJOURDHUI,
      );
      expect(faites.map((d) => [d.attribution_id, d.nur, d.decision, d.rang, d.issue])).toEqual([
        ['caleol-000001', 'D02', 'attribution', 1, 'en_cours'],
        ['caleol-000002', 'D01', 'attribution', 2, 'non_proposee'],
        ['caleol-000003', 'D04', 'non_attribution', null, null],
      ]);
      const bail = await enregistrerReponse(enregistre, 'caleol-000001', { issue: 'bail_signe', date_bail: '2025-07-15' }, 'bailleur@test');
      expect(bail).toMatchObject({ issue: 'bail_signe', date_bail: '2025-07-15' });
      const apres = (await calculerIndicateurs(enregistre, { annee: 2025 })).indicateurs;
      expect(ligne(apres, 'prioritaires', 'contingent', 'non_reserve:B1')).toMatchObject({ numerateur: 1, denominateur: 5 });
      expect(ligne(apres, 'hors_qpv_q1', 'territoire', 'territoire')).toMatchObject({ numerateur: 0, denominateur: 1 });

      // The same rows in attributions.csv, imported.
      const jeu = join(dir, 'importe');
      cpSync(FIXTURE, jeu, { recursive: true });
      writeFileSync(
        join(jeu, 'attributions.csv'),
        [
          'id;nur;logement_id;bailleur_id;code_insee;date_cal;decision;rang;issue;motif_refus;date_bail;motif_decision',
          'A1;D20;L4;B1;91174;2025-02-10;attribution;1;refus_demandeur;loyer;;',
          'A2;D21;L4;B1;91174;2025-03-10;attribution;1;refus_demandeur;loyer;;',
          'A3;D22;L4;B1;91174;2025-04-10;attribution;1;refus_demandeur;loyer;;',
          'A4;D23;L4;B1;91174;2025-05-10;attribution;1;refus_demandeur;loyer;;',
          'caleol-000001;D02;L1;B1;91228;2025-06-30;attribution;1;bail_signe;;2025-07-15;',
          'caleol-000002;D01;L1;B1;91228;2025-06-30;attribution;2;non_proposee;;;',
          'caleol-000003;D04;L1;B1;91228;2025-06-30;non_attribution;;;;;dossier incomplet',
          '',
        ].join('\n'),
      );
      const importe = await ouvrir(jeu);
      try {
        const parImport = (await calculerIndicateurs(importe, { annee: 2025 })).indicateurs;
        expect(apres).toEqual(parImport);
        // And the stored rows are the same, field by field.
        const rangees = (s: Store) => s.all(`SELECT * EXCLUDE (attributs) , attributs['motif_decision'] AS motif FROM attributions ORDER BY id`);
        expect(await rangees(enregistre)).toEqual(await rangees(importe));
      } finally {
        importe.close();
      }
    } finally {
      enregistre.close();
    }
  });

  it('a refusal passes the turn to the next rank', async () => {
    const store = await ouvrir(FIXTURE);
    try {
      await enregistrerDecisions(
        store,
        { logement_id: 'L1', date_cal: '2025-06-30', auteur: 'x', candidats: [{ nur: 'D02', decision: 'attribution_sous_condition' }, { nur: 'D01', decision: 'attribution' }] },
        AUJOURDHUI,
      );
      await enregistrerReponse(store, 'caleol-000001', { issue: 'refus_demandeur', motif_refus: 'loyer' }, 'x');
      expect((await decisionsEnregistrees(store, { logement_id: 'L1' })).map((d) => [d.nur, d.decision, d.rang, d.issue, d.motif_refus])).toEqual([
        ['D02', 'attribution_sous_condition', 1, 'refus_demandeur', 'loyer'],
        ['D01', 'attribution', 2, 'en_cours', null],
      ]);
      // The sous-condition attribution, refused, still counts as a proposal: 1 (D02, DALO) + D01 (prioritaire) of 6.
      const rows = (await calculerIndicateurs(store, { annee: 2025 })).indicateurs;
      expect(ligne(rows, 'prioritaires', 'contingent', 'non_reserve:B1')).toMatchObject({ numerateur: 2, denominateur: 6 });
      await expect(enregistrerReponse(store, 'caleol-000001', { issue: 'bail_signe', date_bail: '2025-07-01' }, 'x')).rejects.toThrow('n’attend pas de réponse');
    } finally {
      store.close();
    }
  });
});

describe('bad decisions write nothing', () => {
  it('a request not active at the date, an unknown one, an unmotivated non-attribution, a duplicated rank: one refusal naming each', async () => {
    const store = await ouvrir(FIXTURE);
    try {
      const compte = async () => (await store.all<{ n: number }>(`SELECT (SELECT count(*) FROM attributions) + (SELECT count(*) FROM caleol_decisions) AS n`))[0]?.n;
      const avant = await compte();
      const e = await enregistrerDecisions(
        store,
        {
          logement_id: 'L1',
          date_cal: '2025-06-30',
          auteur: 'x',
          candidats: [
            { nur: 'D06', decision: 'attribution', rang: 1 },
            { nur: 'D99', decision: 'attribution', rang: 1 },
            { nur: 'D01', decision: 'irrecevable' },
          ],
        },
        AUJOURDHUI,
      ).catch((x: unknown) => x as Error);
      expect((e as Error).message).toBe(
        'décision refusée, rien n’est enregistré : candidat 3 (D01) : une irrecevabilité doit être motivée (R441-3) ; ' +
          'deux candidats attributaires ont le même rang (1, 1) ; la demande D06 n’est pas active le 2025-06-30 : radiée le 2025-06-30 ; ' +
          'demande « D99 » absente de demandes.csv',
      );
      expect(await compte()).toBe(avant);
      await expect(enregistrerDecisions(store, { logement_id: 'L9', date_cal: '2025-06-30', auteur: 'x', candidats: [{ nur: 'D01', decision: 'attribution' }] }, AUJOURDHUI)).rejects.toThrow(
        'logement « L9 » absent de logements.csv',
      );
      await expect(enregistrerDecisions(store, { logement_id: 'L1', date_cal: '2027-01-05', auteur: 'x', candidats: [{ nur: 'D01', decision: 'attribution' }] }, AUJOURDHUI)).rejects.toThrow(
        'n’a pas encore eu lieu',
      );
      expect(await compte()).toBe(avant);
    } finally {
      store.close();
    }
  });
});
