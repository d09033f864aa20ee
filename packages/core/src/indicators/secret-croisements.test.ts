import { describe, expect, it } from 'vitest';
import { DEFAULT_CIA_CONFIG } from '../config/cia-config.ts';
import type { PerimeterType } from './perimeters.ts';
import type { ContexteSecret } from './results.ts';
import type { PublishedIndicatorRow } from './secret.ts';
import { appliquerSecret, auditerSecret } from './secret.ts';
import { optionsDuSecret } from './secret-contexte.ts';
import { LIEUX_MAX, croisementsDesAnnees } from './secret-croisements.ts';
import type { IndicatorRow } from './targets.ts';
import { ligneIndicateur } from './targets.ts';

/**
 * Leak (d) of issue 12 on a territory with as many places as the IDF demo's publication (694 390 places over its
 * four years, docs/BENCHMARKS.md): built here, no file. 1 000 ordinary communes, each with one bailleur of its own
 * and 700 allocations (one per contingent: 700 distinct places), and a commune C0 where only the bailleurs X and Y
 * hold dwellings, each nowhere else. Proposals (« prioritaires », 2024, threshold 11):
 *   X: 2 prioritaires of 5 proposals (masked: 5 < 11);  Y: 300 of 1 000 (over its 700 places);  C0 = X + Y: 302
 *   of 1 005;  each ordinary commune Ck and its bailleur Bk: 20 of 700.
 * Territory: 1 000 × 700 + 1 005 = 701 005 proposals, 1 000 × 20 + 302 = 20 302 prioritaires.
 * Without the pairs, the secondary masks of the bailleurs go to their smallest other counts — an ordinary
 * bailleur's 700 and 20, not Y's 1 000 and 300 — and X = C0 − Y = 1 005 − 1 000 = 5 (302 − 300 = 2) is given back
 * to anyone who knows that only X and Y hold dwellings in C0 (RPLS says so).
 */
const ORDINAIRES = 1000;
const CONTINGENTS = 700;

function territoire(): { rows: IndicatorRow[]; contexte: ContexteSecret } {
  const ligne = (type: PerimeterType, id: string, num: number, den: number) => ligneIndicateur(DEFAULT_CIA_CONFIG, 'prioritaires', { type, id }, '2024', num, den);
  const communes = ['C0', ...Array.from({ length: ORDINAIRES }, (_, k) => `C${k + 1}`)];
  const bailleurs = ['X', 'Y', ...Array.from({ length: ORDINAIRES }, (_, k) => `B${k + 1}`)];
  const contingents = Array.from({ length: CONTINGENTS }, (_, k) => `R${k}`);
  // Places: [slice, commune, bailleur, contingent, qpv] (indices in the lists above, −1: no QPV).
  const lieux: number[] = [];
  for (let r = 0; r < 5; r++) lieux.push(0, 0, 0, r, -1); // X in C0
  for (let r = 0; r < CONTINGENTS; r++) lieux.push(0, 0, 1, r, -1); // Y in C0
  for (let k = 1; k <= ORDINAIRES; k++) for (let r = 0; r < CONTINGENTS; r++) lieux.push(0, k, k + 1, r, -1);
  const rows = [
    ligne('territoire', 'territoire', ORDINAIRES * 20 + 302, ORDINAIRES * CONTINGENTS + 1005),
    ligne('commune', 'C0', 302, 1005),
    ligne('bailleur', 'X', 2, 5),
    ligne('bailleur', 'Y', 300, 1000),
  ];
  for (let k = 1; k <= ORDINAIRES; k++) rows.push(ligne('commune', `C${k}`, 20, CONTINGENTS), ligne('bailleur', `B${k}`, 20, CONTINGENTS));
  return {
    rows,
    contexte: { typesContingent: {}, communesDesQpv: {}, croisements: { communes, bailleurs, contingents, qpv: [], lieux: { 'propositions:tout': lieux }, tranches: { '2024': [0] } } },
  };
}

const cellule = (published: readonly PublishedIndicatorRow[], type: string, id: string) =>
  published.find((r) => r.perimetre_type === type && r.perimetre_id === id) as PublishedIndicatorRow;

describe('cross-dimension pairs at regional scale (leak (d))', () => {
  const { rows, contexte } = territoire();
  const lieux = (contexte.croisements?.lieux['propositions:tout']?.length ?? 0) / 5;

  it('hands the pairs of an IDF-sized territory to the pass', () => {
    expect(lieux).toBe(5 + CONTINGENTS + ORDINAIRES * CONTINGENTS); // 700 705 places, more than the IDF demo's 694 390
    expect(lieux).toBeLessThanOrEqual(LIEUX_MAX);
    expect(croisementsDesAnnees([contexte.croisements])).toBeDefined();
  });

  it('protects a bailleur that a commune and the other bailleur there give back', () => {
    const options = optionsDuSecret([contexte]);
    const published = appliquerSecret(rows, { seuil: 11, ...options });
    expect(cellule(published, 'bailleur', 'X')).toMatchObject({ numerateur: null, denominateur: null, secret: 'primaire' });
    // C0 = X + Y: one of C0 and Y is masked too.
    expect(cellule(published, 'bailleur', 'Y').denominateur === null || cellule(published, 'commune', 'C0').denominateur === null).toBe(true);
    expect(auditerSecret(published, { ...options, seuil: 11 })).toEqual([]);
  });

  it('would leak without the pairs (the audit can fail)', () => {
    const sansPaires = appliquerSecret(rows, { seuil: 11, ...optionsDuSecret([contexte], 0) });
    // 1 005 − 1 000 = 5 and 302 − 300 = 2: both of X's counts are given back by C0 and Y.
    expect(cellule(sansPaires, 'bailleur', 'Y')).toMatchObject({ numerateur: 300, denominateur: 1000 });
    expect(cellule(sansPaires, 'commune', 'C0')).toMatchObject({ numerateur: 302, denominateur: 1005 });
    expect(auditerSecret(sansPaires, { ...optionsDuSecret([contexte]), seuil: 11 })).toEqual(
      expect.arrayContaining([
        { indicateur: 'prioritaires', perimetre_type: 'bailleur', perimetre_id: 'X', periode: '2024', valeur: 'denominateur' },
        { indicateur: 'prioritaires', perimetre_type: 'bailleur', perimetre_id: 'X', periode: '2024', valeur: 'numerateur' },
      ]),
    );
  });
});
