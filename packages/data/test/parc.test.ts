import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZoneApl } from '@mixite/core';
import { BAREMES_APL, ZONES_APL, aplSql, calculerApl, constantesApl } from '@mixite/core';
import { Store, analyserParc, analyserResidences, avecLogementsParc, contexteParc, enquetesResidences, importDataset, simulerMenage } from '../src/index.ts';

/**
 * Golden tests of the stock on the hand-built territory fixtures/parc/territoire (year 2025: APL table of
 * 1 October 2025, published Q1 threshold 12 000 €/UC, UC 1 / 0.5 / 0.3, reste à vivre minimum 24.5 €/UC/day in
 * cia.yaml). Reference households (default mapping): 1 room single (1 UC → 1 000 €/month, 12 000 €/year),
 * 2 rooms couple (1.5 UC → 1 500 / 18 000), 3 rooms couple + 1 child (1.8 → 1 800 / 21 600), 4 rooms couple + 2
 * children (2.1 → 2 100 / 25 200). Every APL worked by hand below (formula in packages/core/src/apl/apl.test.ts).
 */

const FIXTURE = fileURLToPath(new URL('./fixtures/parc/territoire', import.meta.url));
let store: Store;

beforeAll(async () => {
  store = await Store.open(':memory:');
  await importDataset(store, [FIXTURE]);
});
afterAll(() => store.close());

interface Ligne {
  logement_id: string;
  apl: number | null;
  charges: number | null;
  taux_effort: number | null;
  reste_a_vivre: number | null;
  abordable_25: boolean | null;
  abordable_30: boolean | null;
  abordable_35: boolean | null;
  classe_residence: string;
}

describe('affordability of each dwelling to the Q1 reference household', () => {
  let lignes: Map<string, Ligne>;
  beforeAll(async () => {
    const ctx = await contexteParc(store, 2025);
    const rows = await avecLogementsParc(store, ctx, { kind: 'territoire' }, (t) => store.all<Ligne>(`SELECT * FROM "${t}" ORDER BY logement_id`));
    lignes = new Map(rows.map((r) => [r.logement_id, r]));
  });

  it('L1 — 1 room, zone 1, rent 300 + charges 50: affordable under every hypothesis', () => {
    // single, R 12 000: L = 300 ; C = 60.59 ; P0 = 39.56 ; RL = 300 ÷ 290.34 = 103.33 % ; TP = 2.83 % + 0.32764 %
    // PP = 39.56 + 0.0315764 × (12 000 − 5 235) = 253.17 ; APL = 360.59 − 253.17 − 5 = 102.42
    // effort = (300 + 50 − 102.42) ÷ 1 000 = 24.76 % ; reste = (1 000 − 247.58) ÷ 1 ÷ 30 = 25.08 ≥ 24.5
    const l = lignes.get('L1') as Ligne;
    expect(Math.abs((l.apl as number) - 102.42)).toBeLessThan(0.02);
    expect(l.taux_effort).toBeCloseTo(0.2476, 3);
    expect([l.abordable_25, l.abordable_30, l.abordable_35]).toEqual([true, true, true]);
    expect(l.classe_residence).toBe('non_fragile'); // R1: 24 of 100 in 2024
  });

  it('L2 — 2 rooms, zone 1, rent 420 above the couple ceiling: 30.28 % and a reste à vivre under the minimum', () => {
    // couple, R 18 000: L = 401.78 ; C = 60.59 ; P0 = 39.56 ; RL = 113.06 % ; TL = (13.5 + 0.68 × 38.06) ÷ 100 % = 0.39381 %
    // PP = 39.56 + 0.0354381 × (18 000 − 7 501) = 411.63 ; APL = 462.37 − 411.63 − 5 = 45.74
    // effort = (420 + 80 − 45.74) ÷ 1 500 = 30.28 % (≤ 35 %) ; but reste = (1 500 − 454.26) ÷ 1.5 ÷ 30 = 23.24 < 24.5
    const l = lignes.get('L2') as Ligne;
    expect(Math.abs((l.apl as number) - 45.74)).toBeLessThan(0.02);
    expect(l.reste_a_vivre).toBeCloseTo(23.24, 2);
    expect([l.abordable_25, l.abordable_30, l.abordable_35]).toEqual([false, false, false]);
    expect(l.classe_residence).toBe('fragile'); // R2: exactly 50 %
  });

  it('L3 — 3 rooms, zone 2, charges unknown (the APL flat charges): 30 % and 35 %', () => {
    // couple + 1 child, R 21 600: L = min(450, 399.89) ; C = 60.59 + 13.74 = 74.33 ; P0 = 0.085 × 474.22 = 40.31
    // RL = 100 % ; TP = 2.70 % + 0.305 % ; PP = 40.31 + 0.03005 × (21 600 − 8 947) = 420.53 ; APL = 474.22 − 420.53 − 5 = 48.69
    // effort = (450 + 74.33 − 48.69) ÷ 1 800 = 26.42 % ; reste = (1 800 − 475.64) ÷ 1.8 ÷ 30 = 24.53 ≥ 24.5
    const l = lignes.get('L3') as Ligne;
    expect(l.charges).toBeCloseTo(74.33, 2);
    expect(Math.abs((l.apl as number) - 48.69)).toBeLessThan(0.02);
    expect([l.abordable_25, l.abordable_30, l.abordable_35]).toEqual([false, true, true]);
    expect(l.classe_residence).toBe('fragile'); // R3: exactly 25 %
  });

  it('L4 — 4 rooms, zone 3: the effort rate passes 30 % but the reste à vivre is under the minimum', () => {
    // couple + 2, R 25 200: L = 369.88 + 53.01 = 422.89 ; C = 60.59 + 2 × 13.74 = 88.07 ; P0 = 0.085 × 510.96 = 43.43
    // RL = 422.89 ÷ 458.10 = 92.31 % ; TP = 2.38 % + 0.25271 % ; PP = 43.43 + 0.0263271 × (25 200 − 9 148) = 466.03
    // APL = 510.96 − 466.03 − 5 = 39.93 ; effort = 560.07 ÷ 2 100 = 26.67 % ; reste = 1 539.93 ÷ 2.1 ÷ 30 = 24.44 < 24.5
    const l = lignes.get('L4') as Ligne;
    expect(Math.abs((l.apl as number) - 39.93)).toBeLessThan(0.02);
    expect(l.taux_effort).toBeCloseTo(0.2667, 3);
    expect(l.reste_a_vivre).toBeCloseTo(24.44, 2);
    expect([l.abordable_25, l.abordable_30, l.abordable_35]).toEqual([false, false, false]);
    expect(l.classe_residence).toBe('tres_fragile'); // R4: 51 %
  });

  it('L5 — a commune without zone APL: no figure; L6 — 1 room, zone 2, rent 500: never affordable', () => {
    expect(lignes.get('L5')).toMatchObject({ apl: null, taux_effort: null, abordable_30: null, classe_residence: 'inconnue' });
    // single, R 12 000: L = 290.34 ; C = 60.59 ; RL = 100 % ; PP = 39.56 + 0.03135 × 6 765 = 251.64 ; APL = 94.29
    // effort = (500 + 60 − 94.29) ÷ 1 000 = 46.57 %
    const l = lignes.get('L6') as Ligne;
    expect(Math.abs((l.apl as number) - 94.29)).toBeLessThan(0.02);
    expect([l.abordable_25, l.abordable_30, l.abordable_35]).toEqual([false, false, false]);
  });
});

describe('aggregates and the crossing affordable ∧ not fragile ∧ outside QPV', () => {
  it('counts per hypothesis, per commune, and the leases of the year that fell in the crossing', async () => {
    const a = await analyserParc(store, 2025, { kind: 'territoire' });
    // 25 %: L1 ; 30 %: L1, L3 ; 35 %: L1, L3 (L2 and L4 fail the reste à vivre) ; crossing (30 %, outside QPV,
    // residence not fragile): L1 only (L3's residence is fragile).
    expect(a.total).toMatchObject({ logements: 6, abordables: [1, 2, 2], abordables_non_fragiles_hors_qpv: 1, zone_inconnue: 1 });
    expect(a.repartitions.qpv.map((r) => [r.cle, r.logements, r.abordables])).toEqual([
      ['QN09101A', 1, [0, 0, 0]],
      ['hors_qpv', 5, [1, 2, 2]],
    ]);
    expect(a.repartitions.typologie.map((r) => r.cle)).toEqual(['T1', 'T2', 'T3', 'T4']);
    // Leases signed in 2025 in identified dwellings: A1 (L1), A2 (L3), A3 (L4), A5 (L2) = 4 ; in the crossing: A1.
    // A6 (L1) was signed in 2024: not counted.
    expect([a.baux, a.baux_croisement]).toEqual([4, 1]);
    expect(a.croisement.find((c) => c.code_insee === '91001')).toMatchObject({ logements: 2, abordables: 1, abordables_non_fragiles_hors_qpv: 1, baux: 2, baux_croisement: 1 });
  });

  it('a bailleur sees only its dwellings', async () => {
    const a = await analyserParc(store, 2025, { kind: 'bailleur', id: 'B1' });
    expect(a.total.logements).toBe(2); // L1, L2
    expect(a.repartitions.bailleur.map((r) => r.cle)).toEqual(['B1']);
  });
});

describe('fragile residences', () => {
  it('class at exactly 25 % and 50 %, trend, leases of the year into each class', async () => {
    const r = await analyserResidences(store, 2025, { kind: 'territoire' });
    const par = new Map(r.residences.map((x) => [x.residence_id, x]));
    expect(par.get('R1')).toMatchObject({ annee_enquete: 2024, part_sous_40pct: 0.24, classe: 'non_fragile', tendance: 'aggravation' }); // 20 % → 24 %
    expect(par.get('R2')).toMatchObject({ classe: 'fragile', tendance: null }); // 50 of 100, one survey
    expect(par.get('R3')).toMatchObject({ classe: 'fragile', tendance: 'amelioration' }); // 30 % → 25 %
    expect(par.get('R4')).toMatchObject({ classe: 'tres_fragile' }); // 51 %
    expect(par.get('R5')).toMatchObject({ classe: 'inconnue', annee_enquete: null, attributions: 0 });
    // Leases of 2025: A1 in R1 (D1: 900 × 12 ÷ 1 = 10 800 ≤ 12 000: Q1) ; A5 in R2 (D5: 1 400 × 12 ÷ 1.5 = 11 200: Q1) ;
    // A2 in R3 (D2: 1 500 × 12 ÷ 1.8 = 10 000: Q1) ; A3 in R4 (D3: 3 000 × 12 ÷ 2.1 = 17 143: not Q1).
    expect(r.attributions_par_classe).toEqual([
      { classe: 'tres_fragile', attributions: 1, attributions_q1: 0 },
      { classe: 'fragile', attributions: 2, attributions_q1: 2 },
      { classe: 'non_fragile', attributions: 1, attributions_q1: 1 },
      { classe: 'inconnue', attributions: 0, attributions_q1: 0 },
    ]);
  });

  it('one row per residence and survey year', async () => {
    const e = await enquetesResidences(store, 2025, { kind: 'bailleur', id: 'B2' });
    expect(e.map((x) => [x.residence_id, x.annee, x.menages, x.part_sous_40pct, x.classe])).toEqual([
      ['R3', 2023, 100, 0.3, 'fragile'],
      ['R3', 2024, 100, 0.25, 'fragile'],
      ['R4', 2024, 100, 0.51, 'tres_fragile'],
    ]);
  });
});

describe('household calculator on the store', () => {
  it('places a household against the year’s threshold and simulates it in a commune’s dwelling', async () => {
    // 2 adults + 2 children under 14: UC = 1 + 0.5 + 2 × 0.3 = 2.1 ; 2 000 × 12 ÷ 2.1 = 11 428.57 ≤ 12 000 → Q1
    const r = await simulerMenage(store, { personnes: 4, adultes: 2, moins_14_ans: 2, ressources_mensuelles: 2000, date: '2025-12-01', code_insee: '91003', loyer: 500, charges: 100 });
    expect(r).toMatchObject({ uc: 2.1, ressources_par_uc: 11428.57, quartile: 1, seuil_q1: 12000, origine_seuil: 'publie' });
    // zone 3 (Gamma), 2 dependants, R 24 000: as L4 with PP = 43.43 + 0.0263271 × (24 000 − 9 148) = 434.43 ; APL = 510.96 − 434.43 − 5 = 71.53
    // effort = (500 + 100 − 71.53) ÷ 2 000 = 26.42 %
    expect(r.logement?.zone_apl).toBe('3');
    expect(Math.abs((r.logement?.apl ?? 0) - 71.53)).toBeLessThan(0.05);
    expect(r.logement?.taux_effort).toBeCloseTo(0.2642, 3);
  });

  it('refuses an unknown commune and an inconsistent household in French', async () => {
    await expect(simulerMenage(store, { personnes: 1, adultes: 1, moins_14_ans: 0, ressources_mensuelles: 1000, code_insee: '99999' })).rejects.toThrow(
      /commune « 99999 » absente de communes.csv/,
    );
    await expect(simulerMenage(store, { personnes: 2, adultes: 2, moins_14_ans: 1, ressources_mensuelles: 1000 })).rejects.toThrow(/au plus 0/);
  });
});

describe('the APL in SQL agrees with the core function', () => {
  it('on 400 pseudo-random households, dwellings and both tables, to the cent', async () => {
    let graine = 7;
    const alea = () => ((graine = (graine * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const bareme of BAREMES_APL) {
      const cas = Array.from({ length: 200 }, () => ({
        adultes: (alea() < 0.5 ? 1 : 2) as 1 | 2,
        personnesACharge: Math.floor(alea() * 8),
        ressourcesAnnuelles: Math.round(alea() * 40_000),
        loyer: Math.round(alea() * 90_000) / 100,
        zone: ZONES_APL[Math.floor(alea() * 3)] as ZoneApl,
      }));
      const lignes = cas.map((c) => {
        const k = constantesApl(c, c.zone, bareme);
        return `(${c.loyer}, ${c.ressourcesAnnuelles}, ${k.plafond}, ${k.plafondZone2}, ${k.charges}, ${k.p0Taux}, ${k.p0Minimum}, ${k.r0}, ${k.tf}, ${k.deduction})`;
      });
      const expr = aplSql('loyer', 'r', { plafond: 'pl', plafondZone2: 'pl2', charges: 'c', p0Taux: 'pt', p0Minimum: 'pm', r0: 'r0', tf: 'tf', deduction: 'ded' }, bareme.tl);
      const rows = await store.all<{ apl: number }>(
        `SELECT ${expr} AS apl FROM (VALUES ${lignes.join(', ')}) v(loyer, r, pl, pl2, c, pt, pm, r0, tf, ded)`,
      );
      rows.forEach((row, i) => {
        const c = cas[i] as (typeof cas)[number];
        expect(Math.abs(row.apl - calculerApl(c, c, bareme).apl)).toBeLessThanOrEqual(0.01);
      });
    }
  });
});
