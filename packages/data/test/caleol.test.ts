import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IntrouvableError, RequeteInvalideError, ecartDuContingent, parseGrille } from '@mixite/core';
import { Store, calculerIndicateurs, importDataset, listeCaleol } from '../src/index.ts';

/**
 * The CALEOL list over a real store (issue 15): the hand-built territory fixtures/caleol/territoire, its grid
 * fixtures/caleol/grille.yaml (DALO 40, prioritaire 30, travailleur essentiel 10), date 30 June 2025, Q1 threshold
 * 12 000 €/UC, APL table of 1 October 2024, PLUS 2025 ceilings of the rest of Île-de-France (category 3: 47 944 €).
 *
 * L1 — T3 in 91228 outside QPV, PLUS, 450 + 100 €, not reserved, not PMR. By hand, request by request:
 *   D01 prioritaire 30, T3, wishes 91228, couple + 1 child 3 000 €: fits, not Q1 (36 000 ÷ 1.8 = 20 000)
 *   D02 DALO 40, T3–T4, no wish, 2 800 €: fits, not Q1 (18 667)
 *   D03 key worker 10, T2–T3, wishes 91174|91228, 2 500 €: fits, not Q1 (16 667)
 *   D04 0, single parent + 2 children under 14, 1 200 €: Q1 (14 400 ÷ 1.6 = 9 000); APL 343.43 → effort 17.2 %: fits
 *   D05 0, single person 800 €, T1–T3: APL 164.79 → effort (550 − 164.79) ÷ 800 = 48.2 % > 33 %: refused
 *   D06 radiated on the date; D12 deposited the day after: not active
 *   D07 wishes 91174 only; D08 needs PMR; D09 T4–T5; D20–D23 T5: do not fit
 *   D10 taxable income 47 945 > 47 944: refused; D11 taxable income 47 944 = ceiling: fits (note 0, deposit 2021)
 * Examined 7 (D01 D02 D03 D04 D05 D10 D11), eligible 5, ranked D02 40, D01 30, D03 10, D11 0 (2021), D04 0 (2022).
 * The three best hold no Q1: D04, the best eligible Q1, replaces D03.
 */

const FIXTURE = fileURLToPath(new URL('./fixtures/caleol/territoire', import.meta.url));
const GRILLE = parseGrille(readFileSync(new URL('./fixtures/caleol/grille.yaml', import.meta.url), 'utf8'), 'grille.yaml');
const DATE = '2025-06-30';
let store: Store;

beforeAll(async () => {
  store = await Store.open(':memory:');
  await importDataset(store, [FIXTURE]);
});
afterAll(() => store.close());

describe('the list of a dwelling outside QPV', () => {
  it('L1: D02, D01, then D04 in place of D03 (at least one Q1 outside QPV)', async () => {
    const r = await listeCaleol(store, { logement: 'L1', date: DATE, grille: GRILLE });
    expect(r.liste.candidats.map((c) => [c.rang, c.demande.nur, c.demande.note, c.examen.q1, c.ajoute_par])).toEqual([
      [1, 'D02', 40, false, null],
      [2, 'D01', 30, false, null],
      [3, 'D04', 0, true, 'q1_hors_qpv'],
    ]);
    expect(r.liste.examinees).toBe(7);
    expect(r.liste.eligibles).toBe(5);
    expect(r.liste.regles).toMatchObject([{ regle: 'q1_hors_qpv', avant: 0, apres: 1, respectee: true, remplacements: [{ sort: 'D03', entre: 'D04' }] }]);
    expect(r.seuil_q1).toBe(12_000);
    expect(r.bareme_apl).toBe('2024-10-01');
    expect(r.logement).toMatchObject({ en_qpv: false, contingent: 'non_reserve:B1', type_contingent: 'non_reserve', zone_plafonds: 'ile_de_france' });
    const d04 = r.liste.candidats[2];
    // D04: L = 450, C = 59.97 + 2 × 13.60 = 87.17, P0 = 45.66, RL 99.25 % → TP 2.68 %, PP = 45.66 + 0.026799 × 5 339 = 188.74
    //      APL = 450 + 87.17 − 188.74 − 5 = 343.43 ; effort = (450 + 100 − 343.43) ÷ 1 200 = 17.2 %.
    expect(Math.abs((d04?.examen.apl ?? 0) - 343.43)).toBeLessThan(1);
    expect(d04?.examen.taux_effort).toBeCloseTo(0.172, 2);
    expect(d04?.effets).toEqual({ hors_qpv_q1: true, qpv_hors_q1: false, prioritaires: false, mutations: false, travailleurs_essentiels: false });
    expect(r.liste.candidats[0]?.effets).toMatchObject({ prioritaires: true, mutations: true });
  });

  it('the contingent gap: non_reserve:B1 made 4 proposals in 2025, none priority → 2 more needed at 25 %', async () => {
    // (0.25 × 4 − 0) ÷ 0.75 = 1.33 → 2 ; check: 2 ÷ 6 = 33 % ≥ 25 %, 1 ÷ 5 = 20 % < 25 %.
    const res = await calculerIndicateurs(store, { annee: 2025 });
    expect(ecartDuContingent(res.indicateurs, 'non_reserve:B1', 2025)).toMatchObject({ numerateur: 0, denominateur: 4, cible: 0.25, propositions_prioritaires_manquantes: 2 });
  });
});

describe('in QPV and on the State contingent', () => {
  it('L2 (QPV): no Q1 rule, the three best; every one counts for quartiles 2–4 in QPV', async () => {
    const r = await listeCaleol(store, { logement: 'L2', date: DATE, grille: GRILLE });
    expect(r.liste.candidats.map((c) => [c.demande.nur, c.effets.qpv_hors_q1, c.effets.hors_qpv_q1])).toEqual([
      ['D02', true, false],
      ['D01', true, false],
      ['D03', true, false],
    ]);
    expect(r.liste.regles).toEqual([]);
  });

  it('L3 (State, T2 in 91174, 400 + 80 €): D07 then D03; D05 refused on effort; the Q1 rule broken without a candidate', async () => {
    // D05: APL 164.79 → (480 − 164.79) ÷ 800 = 39.4 % > 33 %. D07 (couple 2 000 €): APL 0 → 480 ÷ 2 000 = 24 %.
    const r = await listeCaleol(store, { logement: 'L3', date: DATE, grille: GRILLE });
    expect(r.liste.candidats.map((c) => c.demande.nur)).toEqual(['D07', 'D03']);
    expect(r.liste.examinees).toBe(3);
    expect(r.liste.regles.map((x) => [x.regle, x.respectee])).toEqual([
      ['q1_hors_qpv', false],
      ['prioritaire_contingent_etat', true],
    ]);
    expect(r.liste.regles[0]?.message).toContain('aucun autre candidat éligible');
  });

  it('the number of candidates: 1 → D04 alone (the Q1 rule takes the only place)', async () => {
    const r = await listeCaleol(store, { logement: 'L1', date: DATE, grille: GRILLE, nombre: 1 });
    expect(r.liste.candidats.map((c) => c.demande.nur)).toEqual(['D04']);
  });
});

describe('bad inputs, in French', () => {
  it('an unknown dwelling', async () => {
    const e = await listeCaleol(store, { logement: 'L99', date: DATE, grille: GRILLE }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(IntrouvableError);
    expect((e as Error).message).toBe('logement « L99 » absent de logements.csv : vérifiez son identifiant (colonne id de logements.csv)');
  });
  it('a date before the data, a date that is not one, a number of candidates out of range', async () => {
    await expect(listeCaleol(store, { logement: 'L1', date: '2020-01-01', grille: GRILLE })).rejects.toThrow(
      'la date 2020-01-01 précède les données : la première demande de la base a été déposée le 2021-06-01',
    );
    await expect(listeCaleol(store, { logement: 'L1', date: '2025-02-30', grille: GRILLE })).rejects.toBeInstanceOf(RequeteInvalideError);
    await expect(listeCaleol(store, { logement: 'L1', date: DATE, grille: GRILLE, nombre: 0 })).rejects.toThrow('nombre de candidats invalide (0) : de 1 à 10');
  });
});
