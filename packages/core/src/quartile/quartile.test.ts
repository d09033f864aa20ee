import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UC_PAR_DEFAUT } from '../config/cia-config.ts';
import { compareFractions, decimalDigits, toCents, toScaled } from './exact.ts';
import {
  estQ1,
  limitesDeLaDemande,
  poidsEntiers,
  quantileContinu,
  quartileDe,
  ressourcesParUc,
  ressourcesParUcCentimes,
  seuilApplicable,
  ucEntieres,
  unitesDeConsommation,
} from './quartile.ts';

describe('exact decimals', () => {
  it('scales decimal strings and numbers without binary surprises', () => {
    expect(toCents('1050.50')).toBe(105050n);
    expect(toCents(1365.65)).toBe(136565n);
    expect(toCents('0,5'.replace(',', '.'))).toBe(50n);
    expect(toCents('-3')).toBe(-300n);
    // Rounded half away from zero, like DuckDB's cast to DECIMAL(18,2).
    expect(toCents('1.005')).toBe(101n);
    expect(toCents('-1.005')).toBe(-101n);
    expect(toScaled(1e-7, 8)).toBe(10n);
    expect(toScaled(0.3, 1)).toBe(3n);
    expect(decimalDigits(0.3)).toBe(1);
    expect(decimalDigits(0.25)).toBe(2);
    expect(decimalDigits(1)).toBe(0);
    expect(compareFractions(1n, 3n, 2n, 6n)).toBe(0);
    expect(compareFractions(1n, 3n, 1n, 4n)).toBe(1);
  });

  it('round-trips any amount in cents', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 100_000_000 }), (c) => toCents((c / 100).toFixed(2)) === BigInt(c) && toCents(c / 100) === BigInt(c)));
  });
});

describe('units of consumption', () => {
  it('weighs 1 for the first person, 0.5 for other persons of 14 or more, 0.3 for children under 14', () => {
    expect(unitesDeConsommation({ nb_personnes: 1, nb_moins_14_ans: 0 }, UC_PAR_DEFAUT)).toBe(1);
    expect(unitesDeConsommation({ nb_personnes: 2, nb_moins_14_ans: 0 }, UC_PAR_DEFAUT)).toBe(1.5);
    // Couple with two children under 14: 1 + 0.5 + 2 × 0.3 = 2.1.
    expect(unitesDeConsommation({ nb_personnes: 4, nb_moins_14_ans: 2 }, UC_PAR_DEFAUT)).toBe(2.1);
    // The first person is the applicant: at most n − 1 children; an unknown count means no child.
    expect(unitesDeConsommation({ nb_personnes: 2, nb_moins_14_ans: 5 }, UC_PAR_DEFAUT)).toBe(1.3);
    expect(unitesDeConsommation({ nb_personnes: 3, nb_moins_14_ans: null }, UC_PAR_DEFAUT)).toBe(2);
    expect(unitesDeConsommation({ nb_personnes: null, nb_moins_14_ans: 0 }, UC_PAR_DEFAUT)).toBeNull();
  });

  it('follows the weights of the configuration, as exact scaled integers', () => {
    const poids = { premiere_personne: 1, autre_14_ans_et_plus: 0.7, moins_14_ans: 0.25 };
    expect(poidsEntiers(poids)).toEqual({ premiere_personne: 100n, autre_14_ans_et_plus: 70n, moins_14_ans: 25n, echelle: 2 });
    expect(ucEntieres(4, 2, poidsEntiers(poids))).toBe(100n + 70n + 50n);
  });
});

describe('Q1 membership', () => {
  it('is at or below the threshold, exactly', () => {
    const seul = (ressources: number | string) => ({ ressources_mensuelles: ressources, nb_personnes: 1, nb_moins_14_ans: 0 });
    // 1 050.50 × 12 = 12 606 = threshold → Q1; one cent more → not.
    expect(estQ1(seul('1050.50'), 12606, UC_PAR_DEFAUT)).toBe(true);
    expect(estQ1(seul('1050.51'), 12606, UC_PAR_DEFAUT)).toBe(false);
    // UC 1.3: 1 365.65 × 12 / 1.3 = 12 606 exactly although the float division overshoots.
    expect((1365.65 * 12) / 1.3).toBeGreaterThan(12606);
    expect(estQ1({ ressources_mensuelles: 1365.65, nb_personnes: 2, nb_moins_14_ans: 1 }, 12606, UC_PAR_DEFAUT)).toBe(true);
    expect(estQ1(seul(1000), null, UC_PAR_DEFAUT)).toBeNull();
    expect(estQ1({ ressources_mensuelles: null, nb_personnes: 1, nb_moins_14_ans: 0 }, 12606, UC_PAR_DEFAUT)).toBeNull();
  });

  it('agrees with an exact rational comparison for any household', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 11 }), fc.integer({ min: 100, max: 5_000_000 }), (r, n, e, s) => {
        const menage = { ressources_mensuelles: (r / 100).toFixed(2), nb_personnes: n, nb_moins_14_ans: e };
        const enfants = Math.min(e, n - 1);
        // UC × 10 with the default weights: 10 + 5 × adults beyond the first + 3 × children.
        const uc10 = BigInt(10 + 5 * (n - 1 - enfants) + 3 * enfants);
        // r × 12 / (uc10 / 10) ≤ s  ⇔  r × 12 × 10 ≤ s × uc10 (cents on both sides).
        return estQ1(menage, (s / 100).toFixed(2), UC_PAR_DEFAUT) === BigInt(r) * 120n <= BigInt(s) * uc10;
      }),
    );
  });

  it('places households in quartiles, each limit belonging to the quartile below', () => {
    const limites = { seuil_q1: 12000, mediane: 15000, q3: 20000 };
    const seul = (mensuel: number) => ({ ressources_mensuelles: mensuel, nb_personnes: 1, nb_moins_14_ans: 0 });
    expect(quartileDe(seul(1000), limites, UC_PAR_DEFAUT)).toBe(1);
    expect(quartileDe(seul(1250), limites, UC_PAR_DEFAUT)).toBe(2);
    expect(quartileDe(seul(1250.01), limites, UC_PAR_DEFAUT)).toBe(3);
    expect(quartileDe(seul(2000), limites, UC_PAR_DEFAUT)).toBe(4);
    expect(quartileDe(seul(1500), { ...limites, mediane: null }, UC_PAR_DEFAUT)).toBeNull();
    expect(quartileDe(seul(900), { ...limites, mediane: null }, UC_PAR_DEFAUT)).toBe(1);
    expect(ressourcesParUc(seul(1250), UC_PAR_DEFAUT)).toBe(15000);
  });
});

describe('threshold of the year', () => {
  const seuils = [
    { annee: 2023, code_epci: null, seuil_q1: 10000 },
    { annee: 2024, code_epci: '', seuil_q1: 11000 },
    { annee: 2024, code_epci: '200000001', seuil_q1: 12606 },
  ];
  it('takes the row of the year, the EPCI’s own row winning over the general one', () => {
    expect(seuilApplicable(seuils, 2024, '200000001')?.seuil_q1).toBe(12606);
    expect(seuilApplicable(seuils, 2024, '200000002')?.seuil_q1).toBe(11000);
    expect(seuilApplicable(seuils, 2024, null)?.seuil_q1).toBe(11000);
    expect(seuilApplicable(seuils, 2023, '200000001')?.seuil_q1).toBe(10000);
    expect(seuilApplicable(seuils, 2025, '200000001')).toBeNull();
  });
});

describe('quartile limits of the demand', () => {
  it('interpolates like DuckDB’s quantile_cont on exact cents and rounds half up to the cent', () => {
    // Positions (n − 1) × p on 0..5: 1.25, 2.5, 3.75.
    expect(limitesDeLaDemande([3000000, 600000, 900000, 1260600, 1500000, 1800000])).toEqual({ q1: 9901.5, mediane: 13803, q3: 17250 });
    // Median of 100.00 and 100.01 €: 10 000.5 cents → 100.01 (no binary tie: 10 000.5 is exact).
    expect(limitesDeLaDemande([10000, 10001]).mediane).toBe(100.01);
    // Resources per UC in cents, rounded half up: 1 000 € × 12 / 1.6 = 7 500 €; 0.01 € × 12 / 1.6 = 0.075 € → 8 cents.
    const couple = (r: string) => ({ ressources_mensuelles: r, nb_personnes: 3, nb_moins_14_ans: 2 });
    expect(ressourcesParUcCentimes(couple('1000'), UC_PAR_DEFAUT)).toBe(750000n);
    expect(ressourcesParUcCentimes(couple('0.01'), UC_PAR_DEFAUT)).toBe(8n);
    expect(ressourcesParUcCentimes({ ressources_mensuelles: null, nb_personnes: 1, nb_moins_14_ans: 0 }, UC_PAR_DEFAUT)).toBeNull();
    expect(quantileContinu([], 0.5)).toBeNull();
    expect(quantileContinu([7], 0.75)).toBe(7);
  });
});
