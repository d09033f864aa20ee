import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDemo } from '@mixite/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListeAttributions, LigneIndicateur, Tableau, Territoire } from '../src/contract.ts';
import type { TestApp } from './helpers.ts';
import { openTestApp, scalar } from './helpers.ts';

/** The API over the demo territory (Grand Paris Sud scale): what `npm start` shows on first start. */
describe('API on the demo territory', () => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mixite-demo-api-'));
    await generateDemo({ out: dir, echelle: 'epci', graine: 1 });
    t = await openTestApp({ dataset: dir });
  }, 120_000);
  afterAll(() => {
    t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists, for the rows of the territory, every bailleur and every contingent, the allocations that make them', async () => {
    const { annees } = await t.json<Territoire>('/api/territoire');
    const annee = annees.at(-1) as number;
    let checked = 0;
    for (const type of ['territoire', 'bailleur', 'contingent']) {
      // The rolling window to 30 June straddles two years: the harder case.
      const { lignes } = await t.json<Tableau<LigneIndicateur>>(`/api/indicateurs?periode=12m-${annee}-06-30&perimetre_type=${type}`);
      for (const row of lignes.filter((_, i) => i % 3 === 0)) {
        const detail = await t.json<ListeAttributions>(
          `/api/objectifs/${row.indicateur}/attributions?periode=${row.periode}&perimetre_type=${row.perimetre_type}&perimetre_id=${encodeURIComponent(row.perimetre_id)}`,
        );
        expect([row.indicateur, row.perimetre_id, detail.lignes.length, detail.lignes.filter((l) => l.au_numerateur).length, detail.total, detail.total_numerateur]).toEqual([
          row.indicateur,
          row.perimetre_id,
          row.denominateur,
          row.numerateur,
          row.denominateur,
          row.numerateur,
        ]);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('counts the leases of a year like a plain query on the store', async () => {
    const { annees } = await t.json<Territoire>('/api/territoire');
    const annee = annees.at(-1) as number;
    const { lignes } = await t.json<Tableau<LigneIndicateur>>(`/api/indicateurs?periode=${annee}&perimetre_type=territoire&indicateur=hors_qpv_q1`);
    // Leases signed in the year on dwellings outside QPV (the demo has no assimilated sector counted as QPV).
    const expected = await scalar<number>(
      t.store,
      `SELECT count(*)::INTEGER AS v FROM attributions a LEFT JOIN logements l ON l.id = a.logement_id
        WHERE a.decision = 'attribution' AND a.issue = 'bail_signe' AND year(a.date_bail) = ${annee}
          AND (coalesce(a.code_qpv, l.code_qpv) IS NULL
               OR coalesce(a.code_qpv, l.code_qpv) IN (SELECT code_qpv FROM qpv WHERE assimile))`,
    );
    expect(lignes[0]?.denominateur).toBe(expected);
  });
});
