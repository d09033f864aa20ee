import { fileURLToPath } from 'node:url';
import { PERIMETER_TYPES } from '@mixite/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The bilan's own reading of the store (what its public edition prints).
import { collecterDonnees } from '../../reports/src/donnees/collecte.ts';
import type { LigneIndicateur, Territoire } from '../src/contract.ts';
import type { Client, TestApp } from './helpers.ts';
import { login, openProductionApp } from './helpers.ts';

/**
 * Issue 12, item 1: what the public reads through the API and what the bilan's public edition prints are masked
 * alike, every year, so that no figure of one gives back by difference a cell the other masks. Before, the API
 * masked each year on its own and the bilan all the years together: the API's 2024-S1 and the bilan's twelve months
 * to 30 June 2024 gave back a 2023-S2 both masked. The territory of the bilan's tests (two years, threshold 3)
 * masks cells in both years.
 */
const TERRITOIRE = fileURLToPath(new URL('../../reports/test/fixtures/territoire', import.meta.url));

describe('the API publishes no count the public bilan masks (public)', () => {
  let t: TestApp;
  let lecteur: Client;
  beforeAll(async () => {
    t = await openProductionApp({ dataset: TERRITOIRE });
    lecteur = await login(t.mixite.app, 'lecteur@mixite.test');
  }, 180_000);
  afterAll(() => t?.close());

  it('masks every indicator cell the public bilan masks, and publishes the others with the bilan’s values', async () => {
    const { annees } = (await (await lecteur.request('/api/territoire')).json()) as Territoire;
    expect(annees.length).toBeGreaterThanOrEqual(2);
    const annee = annees.at(-1) as number;
    const bilan = await collecterDonnees(t.store, annee, annees.length, () => undefined, 'public');
    let comparees = 0;
    let masquees = 0;
    for (const y of annees) {
      const publies = new Map((bilan.parAnnee.get(y)?.publies ?? []).map((r) => [`${r.indicateur}|${r.perimetre_type}|${r.perimetre_id}|${r.periode}`, r]));
      expect(publies.size).toBeGreaterThan(0);
      for (const type of PERIMETER_TYPES) {
        const response = await lecteur.request(`/api/indicateurs?annee=${y}&perimetre_type=${type}`);
        expect(response.status).toBe(200);
        const { lignes } = (await response.json()) as { lignes: LigneIndicateur[] };
        for (const l of lignes) {
          const r = publies.get(`${l.indicateur}|${l.perimetre_type}|${l.perimetre_id}|${l.periode}`);
          expect(r, `${l.indicateur} ${l.perimetre_type} ${l.perimetre_id} ${l.periode}`).toBeDefined();
          // A count the API publishes, the bilan publishes with the same value: the API's publication is a part of
          // the bilan's, so it gives back nothing the bilan does not (the API may mask more: it withholds the
          // twelve months to 30 June from the public altogether).
          const api = [l.numerateur, l.denominateur];
          const imprime = [r?.numerateur ?? null, r?.denominateur ?? null];
          expect([l.indicateur, l.perimetre_id, l.periode, ...api]).toEqual([l.indicateur, l.perimetre_id, l.periode, ...api.map((v, i) => (v === null ? null : imprime[i]))]);
          comparees++;
          if (l.numerateur === null || l.denominateur === null) masquees++;
        }
      }
    }
    // Both sides of the rule were met: published cells and masked ones.
    expect(comparees).toBeGreaterThan(100);
    expect(masquees).toBeGreaterThan(0);
  }, 180_000);
});
