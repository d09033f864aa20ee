import { describe, expect, it } from 'vitest';
import { calculerApl } from './apl.ts';
import { BAREME_APL_2024, BAREME_APL_2025, baremeApplicable, baremeAplSchema, baremesApl } from './baremes.ts';
import { resteAVivreParUcParJour, tauxEffort } from './effort.ts';
import { menageDeReference, ressourcesMensuellesAuSeuil, ucDuMenageDeReference } from './menage-reference.ts';

/**
 * Hand-worked cases of the APL of a tenant (formula of REAL-FORMATS.md, tables of 1 October 2024 and 2025). Each case
 * writes its arithmetic: L = min(rent, ceiling), C = flat charges, P0 = max(8.5 % × (L + C), P0 flat),
 * RL = L ÷ zone 2 ceiling (%, 2 decimals), TL = 0.45 % × (RL − 45) [+ 0.68 % × (RL − 75) above 75] in % points ÷ 100,
 * PP = P0 + (TF + TL) × max(0, R − R0), APL = max(0, L + C − PP − 5). Checked within 1 € (the tolerance).
 */

const a1Euro = (recu: number, attendu: number) => expect(Math.abs(recu - attendu)).toBeLessThan(1);

describe('APL — hand-worked cases, table of 1 October 2024', () => {
  it('single person, zone 1, rent 300 € under the ceiling, 1 000 € a month', () => {
    // L = min(300, 329.71) = 300 ; C = 59.97 ; L + C = 359.97
    // P0 = max(0.085 × 359.97 = 30.60, 39.15) = 39.15
    // RL = 300 ÷ 287.35 = 104.40 % ; TL = (0.45 × 30 + 0.68 × 29.40) ÷ 100 % = 0.33492 % ; TF = 2.83 % ; TP = 3.16492 %
    // R − R0 = 12 000 − 5 186 = 6 814 ; TP × 6 814 = 215.66 ; PP = 254.81
    // APL = 359.97 − 254.81 − 5 = 100.16
    const d = calculerApl({ adultes: 1, personnesACharge: 0, ressourcesAnnuelles: 12_000 }, { loyer: 300, zone: '1' }, BAREME_APL_2024);
    expect(d.rl).toBe(104.4);
    a1Euro(d.participation, 254.81);
    a1Euro(d.apl, 100.16);
  });

  it('couple, zone 2, rent 400 € above the ceiling, no resources', () => {
    // L = min(400, 351.72) = 351.72 ; C = 59.97 ; L + C = 411.69 ; P0 = max(0.085 × 411.69 = 34.99, 39.15) = 39.15
    // R = 0 < R0 = 7 430 → PP = P0 = 39.15 ; APL = 411.69 − 39.15 − 5 = 367.54
    const d = calculerApl({ adultes: 2, personnesACharge: 0, ressourcesAnnuelles: 0 }, { loyer: 400, zone: '2' }, BAREME_APL_2024);
    expect(d.loyerRetenu).toBe(351.72);
    a1Euro(d.apl, 367.54);
  });

  it('single person, zone 2, 3 000 € a month: resources high enough to zero the APL', () => {
    // L = min(350, 287.35) = 287.35 ; C = 59.97 ; L + C = 347.32 ; P0 = 39.15
    // RL = 100 % ; TL = (0.45 × 30 + 0.68 × 25) ÷ 100 % = 0.305 % ; TP = 3.135 %
    // R − R0 = 36 000 − 5 186 = 30 814 ; TP × 30 814 = 966.02 ; PP = 1 005.17 > 347.32 → APL = 0
    const d = calculerApl({ adultes: 1, personnesACharge: 0, ressourcesAnnuelles: 36_000 }, { loyer: 350, zone: '2' }, BAREME_APL_2024);
    expect(d.apl).toBe(0);
  });

  it('single parent with 2 children, zone 3, 1 200 € a month', () => {
    // ceiling = 366.07 + 52.47 = 418.54 ; L = 400 ; C = 59.97 + 2 × 13.60 = 87.17 ; L + C = 487.17
    // P0 = max(0.085 × 487.17 = 41.41, 39.15) = 41.41
    // zone 2 ceiling = 395.77 + 57.61 = 453.38 ; RL = 400 ÷ 453.38 = 88.23 % ; TL = (13.5 + 0.68 × 13.23) ÷ 100 % = 0.22496 %
    // TF (2 dependants) = 2.38 % ; TP = 2.60496 % ; R − R0 = 14 400 − 9 061 = 5 339 ; TP × 5 339 = 139.08 ; PP = 180.49
    // APL = 487.17 − 180.49 − 5 = 301.68
    const d = calculerApl({ adultes: 1, personnesACharge: 2, ressourcesAnnuelles: 14_400 }, { loyer: 400, zone: '3' }, BAREME_APL_2024);
    expect(d.charges).toBeCloseTo(87.17, 2);
    a1Euro(d.apl, 301.68);
  });

  it('large family (couple and 5 children), zone 1, 2 500 € a month', () => {
    // ceiling = 449.43 + 4 × 65.21 = 710.27 ; L = 600 ; C = 59.97 + 5 × 13.60 = 127.97 ; L + C = 727.97
    // P0 = 0.085 × 727.97 = 61.88 ; R0 (5 dependants) = 10 105 ; R − R0 = 30 000 − 10 105 = 19 895
    // zone 2 ceiling = 395.77 + 4 × 57.61 = 626.21 ; RL = 95.81 % ; TL = (13.5 + 0.68 × 20.81) ÷ 100 % = 0.27651 %
    // TF = 1.85 % − 0.06 % = 1.79 % ; TP = 2.06651 % ; TP × 19 895 = 411.13 ; PP = 473.01
    // APL = 727.97 − 473.01 − 5 = 249.96
    const d = calculerApl({ adultes: 2, personnesACharge: 5, ressourcesAnnuelles: 30_000 }, { loyer: 600, zone: '1' }, BAREME_APL_2024);
    a1Euro(d.apl, 249.96);
  });
});

describe('APL — hand-worked cases, table of 1 October 2025', () => {
  it('single parent with 2 children, zone 3, resources just under R0 (760 € a month)', () => {
    // ceiling = 369.88 + 53.01 = 422.89 ; L = 420 ; C = 60.59 + 2 × 13.74 = 88.07 ; L + C = 508.07
    // P0 = max(0.085 × 508.07 = 43.19, 39.56) = 43.19 ; R = 9 120 < R0 = 9 148 → PP = 43.19
    // APL = 508.07 − 43.19 − 5 = 459.88
    const d = calculerApl({ adultes: 1, personnesACharge: 2, ressourcesAnnuelles: 9_120 }, { loyer: 420, zone: '3' }, BAREME_APL_2025);
    a1Euro(d.apl, 459.88);
  });

  it('the same household just above R0 (9 200 € a year)', () => {
    // RL = 420 ÷ (399.89 + 58.21 = 458.10) = 91.68 % ; TL = (13.5 + 0.68 × 16.68) ÷ 100 % = 0.24842 % ; TP = 2.62842 %
    // R − R0 = 52 ; TP × 52 = 1.37 ; PP = 43.19 + 1.37 = 44.55 ; APL = 508.07 − 44.55 − 5 = 458.52
    const d = calculerApl({ adultes: 1, personnesACharge: 2, ressourcesAnnuelles: 9_200 }, { loyer: 420, zone: '3' }, BAREME_APL_2025);
    a1Euro(d.apl, 458.52);
  });

  it('couple, zone 1, 1 500 € a month', () => {
    // L = min(380, 401.78) = 380 ; C = 60.59 ; L + C = 440.59 ; P0 = max(37.45, 39.56) = 39.56
    // RL = 380 ÷ 355.38 = 106.93 % ; TL = (13.5 + 0.68 × 31.93) ÷ 100 % = 0.35212 % ; TP = 3.15 % + 0.35212 % = 3.50212 %
    // R − R0 = 18 000 − 7 501 = 10 499 ; TP × 10 499 = 367.69 ; PP = 407.25 ; APL = 440.59 − 407.25 − 5 = 28.34
    const d = calculerApl({ adultes: 2, personnesACharge: 0, ressourcesAnnuelles: 18_000 }, { loyer: 380, zone: '1' }, BAREME_APL_2025);
    a1Euro(d.apl, 28.34);
  });

  it('large family (couple and 6 children), zone 2, rent above the ceiling, 2 000 € a month', () => {
    // ceiling = 399.89 + 5 × 58.21 = 690.94 ; L = min(800, 690.94) = 690.94 ; C = 60.59 + 6 × 13.74 = 143.03
    // L + C = 833.97 ; P0 = 0.085 × 833.97 = 70.89 ; RL = 100 % ; TL = 0.305 % ; TF = 1.85 % − 2 × 0.06 % = 1.73 %
    // R0 (6 dependants) = 10 554 ; R − R0 = 24 000 − 10 554 = 13 446 ; TP = 2.035 % ; TP × 13 446 = 273.63 ; PP = 344.51
    // APL = 833.97 − 344.51 − 5 = 484.46
    const d = calculerApl({ adultes: 2, personnesACharge: 6, ressourcesAnnuelles: 24_000 }, { loyer: 800, zone: '2' }, BAREME_APL_2025);
    expect(d.loyerRetenu).toBeCloseTo(690.94, 2);
    a1Euro(d.apl, 484.46);
  });

  it('single person, zone 1, with the RLS: 98 % of it comes off the APL', () => {
    // L = 300 ; C = 60.59 ; L + C = 360.59 ; P0 = max(30.65, 39.56) = 39.56 ; RL = 300 ÷ 290.34 = 103.33 %
    // TL = (13.5 + 0.68 × 28.33) ÷ 100 % = 0.32764 % ; TP = 3.15764 % ; R − R0 = 9 600 − 5 235 = 4 365 ; × TP = 137.83
    // PP = 177.39 ; RLS = 39.69 → 0.98 × 39.69 = 38.90 ; APL = 360.59 − 177.39 − 5 − 38.90 = 139.30
    const d = calculerApl({ adultes: 1, personnesACharge: 0, ressourcesAnnuelles: 9_600, sousPlafondsRls: true }, { loyer: 300, zone: '1' }, BAREME_APL_2025);
    a1Euro(d.apl, 139.3);
    expect(() => calculerApl({ adultes: 1, personnesACharge: 0, ressourcesAnnuelles: 9_600, sousPlafondsRls: true }, { loyer: 300, zone: '1' }, BAREME_APL_2024)).toThrow(
      /RLS/,
    );
  });
});

describe('APL tables by date', () => {
  it('the table in force is the latest started on or before the date', () => {
    expect(baremeApplicable('2024-10-01').debut).toBe('2024-10-01');
    expect(baremeApplicable('2025-09-30').debut).toBe('2024-10-01');
    expect(baremeApplicable('2026-06-30').debut).toBe('2025-10-01');
    expect(() => baremeApplicable('2024-09-30')).toThrow(/aucun barème d’APL pour le 2024-09-30/);
  });

  it('a user table for the next year extends the built-in ones, checked by its schema', () => {
    const suivant = { ...BAREME_APL_2025, debut: '2026-10-01', source: 'arrêté de revalorisation 2026 (saisi par la CIA)' };
    expect(baremeAplSchema.safeParse(suivant).success).toBe(true);
    expect(baremeApplicable('2026-12-01', baremesApl([suivant])).source).toMatch(/2026/);
    expect(baremeAplSchema.safeParse({ ...suivant, debut: '1er octobre' }).success).toBe(false);
  });
});

describe('effort rate, reste à vivre, reference household', () => {
  it('effort rate and reste à vivre per UC per day', () => {
    // rent 400 + charges 80 − APL 150 = 330 ; ÷ 1 200 = 27.5 % ; reste = 1 200 − 330 = 870 ; ÷ 1.8 UC ÷ 30 days = 16.11
    expect(tauxEffort({ loyer: 400, charges: 80, apl: 150 }, 1200)).toBeCloseTo(0.275, 10);
    expect(resteAVivreParUcParJour({ loyer: 400, charges: 80, apl: 150 }, 1200, 1.8)).toBeCloseTo(16.111, 3);
    expect(tauxEffort({ loyer: 400, charges: 80, apl: 150 }, 0)).toBeNull();
  });

  it('rooms → household: the default mapping, the last entry for bigger dwellings', () => {
    expect(menageDeReference(1)).toEqual({ nb_pieces: 1, adultes: 1, enfants: 0 });
    expect(menageDeReference(4)).toEqual({ nb_pieces: 4, adultes: 2, enfants: 2 });
    expect(menageDeReference(7)).toEqual({ nb_pieces: 5, adultes: 2, enfants: 3 });
    // couple + 2 children: 1 + 0.5 + 2 × 0.3 = 2.1 UC ; at 12 083 €/UC/year: 12 083 × 2.1 ÷ 12 = 2 114.53 € a month
    const uc = ucDuMenageDeReference(menageDeReference(4), { premiere_personne: 1, autre_14_ans_et_plus: 0.5, moins_14_ans: 0.3 });
    expect(uc).toBeCloseTo(2.1, 10);
    expect(ressourcesMensuellesAuSeuil(12_083, uc)).toBeCloseTo(2114.525, 3);
  });
});
