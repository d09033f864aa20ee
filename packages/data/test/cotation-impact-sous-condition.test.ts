import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseGrille } from '@mixite/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store, calculerIndicateurs, impactGrille, importDataset } from '../src/index.ts';
import { tempDir } from './helpers.ts';

/**
 * One rule for what an allocation is (issue 15): an `attribution_sous_condition` (R441-3) that led to a lease counts
 * as a lease in the impact of a cotation grid, exactly as in the legal indicators (regles-sql.ts propositionSql).
 * The cotation fixture (hand figures in cotation.test.ts) with A1 — C07, DALO, dwelling L3 (3 rooms), lease signed
 * 20/12/2024 — recorded as an attribution sous condition suspensive instead of an attribution.
 * By hand, leases of 01/01–31/12/2024: A1, A2 (T3), A3, A5 (T2), A6 (T1) → t1 1, t2 2, t3 2, ensemble 5, as with the
 * plain attribution; the T3 leases keep C07's priority (1) and C08's mutation (1). Before the fix, A1 was not a lease
 * for the impact: t3 would have been 1 with no priority household, while the indicators counted it.
 */
const FIXTURE = fileURLToPath(new URL('./fixtures/cotation', import.meta.url));
const GRILLE = parseGrille(readFileSync(new URL('./fixtures/cotation/grille-issue-6.yaml', import.meta.url), 'utf8'), 'issue.yaml');
const DATE = '2024-12-31';

let tmp: ReturnType<typeof tempDir>;
let origine: Store;
let recodee: Store;
beforeAll(async () => {
  tmp = tempDir('mixite-sous-condition-');
  const jeu = join(tmp.dir, 'jeu');
  cpSync(FIXTURE, jeu, { recursive: true });
  const fichier = join(jeu, 'attributions.csv');
  const avant = readFileSync(fichier, 'utf8');
  const apres = avant.replace('A1;C07;L3;;;;;;;;;2024-12-10;attribution;', 'A1;C07;L3;;;;;;;;;2024-12-10;attribution_sous_condition;');
  expect(apres).not.toBe(avant);
  writeFileSync(fichier, apres);
  origine = await Store.open(':memory:');
  await importDataset(origine, [FIXTURE]);
  recodee = await Store.open(':memory:');
  await importDataset(recodee, [jeu]);
});
afterAll(() => {
  origine?.close();
  recodee?.close();
  tmp?.cleanup();
});

describe('an attribution sous condition suspensive with a lease', () => {
  it('is a lease for the impact of a grid (hand figures)', async () => {
    const impact = await impactGrille(recodee, GRILLE, { date: DATE });
    expect(impact.lignes.map((l) => [l.typologie, l.baux])).toEqual([
      ['t1', 1],
      ['t2', 2],
      ['t3', 2],
      ['t4', 0],
      ['inconnue', 0],
      ['ensemble', 5],
    ]);
    expect(impact.lignes.find((l) => l.typologie === 't3')?.attributions.nombres).toEqual({ q1: 0, prioritaires: 1, mutations: 1, travailleurs_essentiels: 0 });
  });

  it('counts as the plain attribution does, in the impact and in the legal indicators alike', async () => {
    expect(await impactGrille(recodee, GRILLE, { date: DATE })).toEqual(await impactGrille(origine, GRILLE, { date: DATE }));
    const cle = (r: { indicateur: string; perimetre_type: string; perimetre_id: string | null; periode: string }) => `${r.indicateur}|${r.perimetre_type}|${r.perimetre_id}|${r.periode}`;
    const legal = async (s: Store) =>
      Object.fromEntries((await calculerIndicateurs(s, { annee: 2024 })).indicateurs.map((r) => [cle(r), [r.numerateur, r.denominateur]]));
    const a = await legal(origine);
    expect(Object.keys(a).length).toBeGreaterThan(0);
    expect(await legal(recodee)).toEqual(a);
  });
});
