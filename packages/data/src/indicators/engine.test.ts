import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IndicatorResults, IndicatorRow, LegalIndicatorId, PerimeterType } from '@mixite/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDataset } from '../import/import-dataset.ts';
import { Store } from '../store/store.ts';
import { calculerIndicateurs, configurationCourante } from './engine.ts';

/**
 * Golden tests of the legal objectives engine on a hand-built territory
 * (packages/data/test/fixtures/indicators/territoire), imported through the real importer.
 * Every expected value below is computed by hand from the fixture, never by the code under test.
 *
 * The territory (EPCI 200000001, UC 1 / 0.5 / 0.3):
 * - communes 91001 (QPV QN09101A, assimilated sector SA09101) and 91002 (no QPV); bailleurs B1, B2;
 *   réservataires ETAT (etat_prioritaires), AL (action_logement), COM1 (commune);
 * - dwellings L1 B1 91001 QPV ETAT · L2 B1 91001 SA (assimilated) no contingent · L3 B2 91002 AL ·
 *   L4 B2 91002 no contingent · L5 B1 91001 COM1;
 * - thresholds: 2023 10 000 (all EPCIs); 2024 11 000 (all) and 12 606 for EPCI 200000001 (wins);
 * - requests active on 31/12/2023 (D01 D02 D03 D04 D05 D19), resources per UC 6 000, 9 000, 12 606, 15 000,
 *   30 000, 18 000 → quartile limits of 2024 (linear interpolation, positions 1.25, 2.5, 3.75 of 0..5):
 *   Q1 = 9 000 + 0.25 × 3 606 = 9 901.50; median = (12 606 + 15 000) / 2 = 13 803; Q3 = 15 000 + 0.75 × 3 000 = 17 250.
 *
 * Allocations (ruc = resources × 12 / UC, quartile with the 2024 limits 12 606 / 13 803 / 17 250):
 * | id  | dwelling          | CALEOL     | issue        | lease      | household                                   |
 * | A01 | L4 hors QPV nr:B2 | 2024-02-20 | bail_signe   | 2024-03-15 | D03 from the request: 1 p., 1 050.50 → 12 606 = threshold → Q1 |
 * | A02 | L3 hors QPV AL    | 2024-03-05 | bail_signe   | 2024-04-01 | D06 2 p. incl. 1 child (UC 1.3), 1 365.65 × 12 = 16 387.80, ÷ 1.3 = 12 606 exactly → Q1 (floats say 12 606.000000000002) |
 * | A03 | L4 hors QPV nr:B2 | 2024-04-10 | bail_signe   | 2024-05-02 | D07 1 050.51 → 12 606.12 → Q2 (request flag q1=1 disagrees) |
 * | A04 | L5 hors QPV COM1  | 2024-05-15 | bail_signe   | 2024-06-10 | D08 3 000 → 36 000 Q4, relocated (ANRU)     |
 * | A05 | L1 QPV ETAT       | 2024-02-01 | refus (loyer)| —          | D09 2 000 → 24 000 Q4, prioritaire          |
 * | A06 | L1 QPV ETAT rank 2| 2024-02-01 | bail_signe   | 2024-02-28 | D10 800 → 9 600 Q1, DALO                     |
 * | A07 | L1 QPV ETAT rank 3| 2024-02-01 | non_proposee | —          | D11 prioritaire: counts nowhere              |
 * | A08 | L3 hors QPV AL    | 2024-06-25 | bail_signe   | 2024-07-05 | D12 700 → 8 400 Q1, mutation                 |
 * | A09 | L4 hors QPV nr:B2 | 2023-11-20 | bail_signe   | 2023-12-10 | D13 950 → 11 400: above the 2023 threshold (10 000) → not Q1 |
 * | A10 | L5 hors QPV COM1  | 2024-08-01 | bail_signe   | 2024-09-01 | D14 950 → 11 400: below 12 606 (2024, EPCI row) → Q1; above the general 11 000 |
 * | A11 | L2 SA (assimilé)  | 2024-09-10 | bail_signe   | 2024-10-01 | D15 600 → 7 200 Q1                           |
 * | A12 | none: B1 91002    | 2024-10-15 | en_cours     | —          | D16 1 500 → 18 000 Q4; empty contingent → non_reserve:B1 |
 * | A13 | L3                | 2024-03-05 | non_attribution | —       | counts nowhere                               |
 * | A14 | L5 hors QPV COM1  | 2024-11-05 | bail_signe   | 2024-11-20 | allocation's own fields: 900, 1 p. → 10 800 Q1, prioritaire (request: 3 000, not prioritaire) |
 * | A15 | L1 QPV ETAT       | 2024-09-20 | en_cours     | —          | D20 1 100 → 13 200 Q2                        |
 * Half-years: H0 = 07–12/2023, H1 = 01–06/2024, H2 = 07–12/2024.
 */

const FIXTURE = fileURLToPath(new URL('../../test/fixtures/indicators/territoire', import.meta.url));

async function compute(dir: string, annee = 2024): Promise<IndicatorResults> {
  const store = await Store.open(':memory:');
  try {
    await importDataset(store, [dir]);
    return await calculerIndicateurs(store, { annee });
  } finally {
    store.close();
  }
}

function cell(r: IndicatorResults, indicateur: LegalIndicatorId, type: PerimeterType, id: string, periode: string): IndicatorRow | undefined {
  return r.indicateurs.find((x) => x.indicateur === indicateur && x.perimetre_type === type && x.perimetre_id === id && x.periode === periode);
}

const counts = (row: IndicatorRow | undefined) => (row ? [row.numerateur, row.denominateur] : undefined);
const territoire = (r: IndicatorResults, indicateur: LegalIndicatorId, periode = '2024') => counts(cell(r, indicateur, 'territoire', 'territoire', periode));

let golden: IndicatorResults;
beforeAll(async () => {
  golden = await compute(FIXTURE);
});

describe('hors_qpv_q1 — leases hors QPV to Q1 or relocated households', () => {
  it('counts relocated households whatever their resources', () => {
    // Leases hors QPV in 2024: A01 A02 A03 A04 A08 A10 A11 A14 = 8; Q1 or relocated: all but A03 = 7.
    // A04 (36 000 €/UC, Q4) is in the numerator only because it is relocated.
    expect(territoire(golden, 'hors_qpv_q1')).toEqual([7, 8]);
    // COM1 (L5): A04 A10 A14, all counted (A04 relocated).
    expect(counts(cell(golden, 'hors_qpv_q1', 'contingent', 'COM1', '2024'))).toEqual([3, 3]);
  });

  it('counts a household exactly at the threshold as Q1, in exact arithmetic', () => {
    // A01: 1 050.50 × 12 / 1 = 12 606 = threshold; A02: 1 365.65 × 12 / 1.3 = 12 606 exactly (a float division
    // gives 12 606.000000000002). Both Q1; A03 at 12 606.12 is not. Contingent nr:B2 = A01 (Q1) + A03 → 1 / 2;
    // AL = A02 + A08, both Q1 → 2 / 2.
    expect(counts(cell(golden, 'hors_qpv_q1', 'contingent', 'non_reserve:B2', '2024'))).toEqual([1, 2]);
    expect(counts(cell(golden, 'hors_qpv_q1', 'contingent', 'AL', '2024'))).toEqual([2, 2]);
  });

  it('applies the threshold of the year of the lease, the EPCI row winning over the general one', () => {
    // A09 (lease 2023-12-10, 11 400 €/UC > 10 000 of 2023) is not Q1; A10 (lease 2024-09-01, same 11 400 ≤ 12 606)
    // is Q1 — it would not be with the general 2024 row (11 000).
    // 12 months to 30/06/2024 = H0 + H1: A09, A01, A02, A03, A04 → 5 leases, Q1 or relocated: A01 A02 A04 = 3.
    expect(territoire(golden, 'hors_qpv_q1', '12m-2024-06-30')).toEqual([3, 5]);
    // 2024-S2: A08 A10 A11 A14, all Q1 → 4 / 4.
    expect(territoire(golden, 'hors_qpv_q1', '2024-S2')).toEqual([4, 4]);
  });

  it('reports the threshold applied and the quartile limits of the demand beside it', () => {
    const l2024 = golden.limites.find((l) => l.annee === 2024);
    expect(l2024).toMatchObject({ date_reference: '2023-12-31', demandes: 6, q1: 9901.5, mediane: 13803, q3: 17250, seuil_publie: 12606, origine_seuil: 'publie' });
    // No request was active on 31/12/2022: no computed limit, the published 2023 threshold applies.
    expect(golden.limites.find((l) => l.annee === 2023)).toMatchObject({ demandes: 0, mediane: null, seuil_applique: 10000 });
  });

  it('applies per-perimeter target overrides and judges atteint exactly', () => {
    // Commune 91002: A01 A02 A03 A08 → 3 / 4 = 0.75, override 0.30 → écart 0.45.
    expect(cell(golden, 'hors_qpv_q1', 'commune', '91002', '2024')).toMatchObject({ numerateur: 3, denominateur: 4, taux: 0.75, cible: 0.3, ecart: 0.45, atteint: true });
    expect(cell(golden, 'hors_qpv_q1', 'commune', '91001', '2024')).toMatchObject({ numerateur: 4, denominateur: 4, cible: 0.25 });
  });
});

describe('proposals and leases', () => {
  it('counts a refused proposal for the QPV and priority targets but not as a lease', () => {
    // Proposals in QPV (L1) in 2024: A05 (refused, Q4), A06 (Q1), A15 (Q2) → qpv_hors_q1 2 / 3, qpv_q3_q4 1 / 3.
    expect(territoire(golden, 'qpv_hors_q1')).toEqual([2, 3]);
    expect(territoire(golden, 'qpv_q3_q4')).toEqual([1, 3]);
    // ETAT contingent: A05 (prioritaire, refused) + A06 (DALO) + A15 → 2 / 3, target 100 % not met.
    expect(cell(golden, 'prioritaires', 'contingent', 'ETAT', '2024')).toMatchObject({ numerateur: 2, denominateur: 3, cible: 1, atteint: false });
    // A05 is not a lease: leases of 2024 by quartile are A01 A02 A06 A08 A10 A11 A14 (Q1), A03 (Q2), A04 (Q4) = 9.
    const baux = golden.demande.filter((d) => d.indicateur === 'quartile_attributions' && d.periode === '2024');
    expect(Object.fromEntries(baux.map((d) => [d.modalite, d.numerateur]))).toEqual({ q1: 7, q2: 1, q3: 0, q4: 1, inconnu: 0 });
    expect(baux[0]?.denominateur).toBe(9);
  });

  it('counts nowhere a lower-ranked candidate whose turn never came, nor a non-attribution', () => {
    // A07 (rank 3, non_proposee, prioritaire) and A13 (non_attribution) are left out:
    // proposals of 2024 = A01–A06, A08, A10, A11, A12, A14, A15 = 12; priority: A05, A06, A14 = 3.
    expect(territoire(golden, 'prioritaires')).toEqual([3, 12]);
    // S1: A01–A06, A08 = 7, priority A05 A06 → 2 / 7 (A07 would make it 3 / 8).
    expect(territoire(golden, 'prioritaires', '2024-S1')).toEqual([2, 7]);
  });

  it('dates proposals by the CALEOL and leases by the lease', () => {
    // A08: CALEOL 2024-06-25 (S1), lease 2024-07-05 (S2). Its mutation counts in S1 (1 / 7 proposals), its lease in S2.
    expect(territoire(golden, 'mutations', '2024-S1')).toEqual([1, 7]);
    expect(territoire(golden, 'mutations', '2024-S2')).toEqual([0, 5]);
    // hors_qpv_q1 S1 = A01 A02 A03 A04 (leases before 1 July) → 3 / 4, without A08.
    expect(territoire(golden, 'hors_qpv_q1', '2024-S1')).toEqual([3, 4]);
    // A06: CALEOL and lease both in S1; A10: CALEOL 2024-08-01, lease 2024-09-01 — both S2.
  });

  it('takes household fields missing from an allocation from its request, and keeps those it has', () => {
    // A01 has no household field: D03's resources (1 050.50, 1 p.) make it Q1 (counted above).
    // A14 carries its own: 900 €, prioritaire → Q1 and priority although D18 says 3 000 € and not prioritaire.
    // COM1 priority: A04 no, A10 no, A14 yes → 1 / 3 (0.333 ≥ 0.25, met).
    expect(cell(golden, 'prioritaires', 'contingent', 'COM1', '2024')).toMatchObject({ numerateur: 1, denominateur: 3, cible: 0.25, atteint: true });
    // The request's q1 flag of D07 (1) disagrees with the computed membership of A03 (not Q1): reported, not used.
    expect(golden.controles).toMatchObject({ q1_desaccords: 1, q1_desaccords_exemples: ['A03'], q1_inconnus: 0 });
  });
});

describe('contingents', () => {
  it('treats an empty contingent as the bailleur’s non-reserved stock, with the priority target', () => {
    // nr:B1 = A11 (L2 has no contingent) + A12 (no dwelling, bailleur B1) → 0 priority / 2; nr:B2 = A01 + A03 → 0 / 2.
    expect(cell(golden, 'prioritaires', 'contingent', 'non_reserve:B1', '2024')).toMatchObject({ numerateur: 0, denominateur: 2, cible: 0.25, atteint: false });
    expect(counts(cell(golden, 'prioritaires', 'contingent', 'non_reserve:B2', '2024'))).toEqual([0, 2]);
    expect(counts(cell(golden, 'prioritaires', 'type_contingent', 'non_reserve', '2024'))).toEqual([0, 4]);
    // The State's priority type takes the 100 % target; the territory has no priority target (it is per contingent).
    expect(cell(golden, 'prioritaires', 'type_contingent', 'etat_prioritaires', '2024')?.cible).toBe(1);
    expect(cell(golden, 'prioritaires', 'territoire', 'territoire', '2024')?.cible).toBeNull();
  });
});

describe('rolling windows', () => {
  it('straddle two years', () => {
    // 12 months to 30/06/2024 = H2 2023 + H1 2024: proposals A09 + (A01–A06, A08) = 8, priority A05 A06 = 2.
    expect(territoire(golden, 'prioritaires', '12m-2024-06-30')).toEqual([2, 8]);
    // nr:B2 over the window: A09 + A01 + A03 → leases 3, Q1 only A01 → 1 / 3.
    expect(counts(cell(golden, 'hors_qpv_q1', 'contingent', 'non_reserve:B2', '12m-2024-06-30'))).toEqual([1, 3]);
    // The 12 months to 31/12 equal the calendar year.
    expect(territoire(golden, 'hors_qpv_q1', '12m-2024-12-31')).toEqual([7, 8]);
  });
});

describe('assimilated sectors', () => {
  let dir: string;
  let assimiles: IndicatorResults;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mixite-indicateurs-'));
    cpSync(FIXTURE, dir, { recursive: true });
    const yaml = readFileSync(join(dir, 'cia.yaml'), 'utf8').replace('assimiles_comme_qpv: false', 'assimiles_comme_qpv: true');
    writeFileSync(join(dir, 'cia.yaml'), yaml);
    assimiles = await compute(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('count as hors QPV when the configuration says not', () => {
    // A11 (L2, sector SA09101) is a lease hors QPV: in hors_qpv_q1 (7 / 8 above), not in the QPV proposals (3).
    expect(counts(cell(golden, 'hors_qpv_q1', 'qpv', 'SA09101', '2024'))).toEqual([1, 1]);
    expect(cell(golden, 'qpv_hors_q1', 'qpv', 'SA09101', '2024')).toBeUndefined();
  });

  it('count as QPV when the configuration says so', async () => {
    // A11 leaves hors_qpv_q1 (6 / 7) and joins the QPV proposals as a Q1 household: qpv_hors_q1 2 / 4.
    expect(territoire(assimiles, 'hors_qpv_q1')).toEqual([6, 7]);
    expect(territoire(assimiles, 'qpv_hors_q1')).toEqual([2, 4]);
    expect(counts(cell(assimiles, 'qpv_hors_q1', 'qpv', 'SA09101', '2024'))).toEqual([0, 1]);
    const store = await Store.open(':memory:');
    await importDataset(store, [dir]);
    expect((await configurationCourante(store)).assimiles_comme_qpv).toBe(true);
    store.close();
  });
});

describe('a year without allocations', () => {
  it('still gives the territory’s rows, with zero counts and no rate', async () => {
    // 2026: no proposal or lease in the window (1 July 2025 – 31 December 2026), no threshold published.
    const vide = await compute(FIXTURE, 2026);
    // Six indicators × nine periods (year, two semesters, two rolling windows, four quarters).
    expect(vide.indicateurs).toHaveLength(6 * 9);
    expect(vide.indicateurs.every((r) => r.perimetre_type === 'territoire' && r.numerateur === 0 && r.denominateur === 0 && r.taux === null)).toBe(true);
    expect(vide.indicateurs.map((r) => r.periode).slice(0, 5)).toEqual(['2026', '2026-S1', '2026-S2', '12m-2026-06-30', '12m-2026-12-31']);
    // No arrêté for 2026: the Q1 limit of the requests active on 31/12/2025 is applied instead, and said so.
    expect(vide.limites.find((l) => l.annee === 2026)).toMatchObject({ seuil_publie: null, origine_seuil: 'calcule' });
  });
});

describe('demand side', () => {
  const value = (indicateur: string, modalite = '', periode = '2024') =>
    golden.demande.find((d) => d.indicateur === indicateur && d.modalite === modalite && d.periode === periode);

  it('counts the stock on the last day and the flows of the period', () => {
    // Active on 31/12/2024: D01 D02 D04 D05 D09 D11 D16 D19 D20 = 9. On 30/06/2024 also D12 D14 D15 D17 D18 = 14.
    expect(value('demandes_actives')?.valeur).toBe(9);
    expect(value('demandes_actives', '', '2024-S1')?.valeur).toBe(14);
    // Filed in 2024: D06–D12, D14–D18, D20 = 13; satisfied in 2024: D03 D06 D07 D08 D10 D12 D14 D15 D18 = 9; radiated: D17.
    expect(value('demandes_deposees')?.valeur).toBe(13);
    expect(value('demandes_satisfaites')?.valeur).toBe(9);
    expect(value('demandes_radiees')?.valeur).toBe(1);
  });

  it('splits the demand by quartile with the limits of the year', () => {
    // Stock 31/12/2024 (€/UC): D01 6 000 q1, D02 9 000 q1, D20 13 200 q2, D04 15 000 q3, D05 30 000, D09 24 000,
    // D11 36 000, D16 18 000, D19 18 000 q4.
    expect(value('quartile_demande', 'q1')).toMatchObject({ numerateur: 2, denominateur: 9 });
    expect(value('quartile_demande', 'q2')?.numerateur).toBe(1);
    expect(value('quartile_demande', 'q3')?.numerateur).toBe(1);
    expect(value('quartile_demande', 'q4')?.numerateur).toBe(5);
    // Mutations: D05 in the demand (1 / 9), A08 in the leases (1 / 9).
    expect(value('mutations_demande')).toMatchObject({ numerateur: 1, denominateur: 9 });
    expect(value('mutations_attributions')).toMatchObject({ numerateur: 1, denominateur: 9 });
  });

  it('computes tension by typology and quartile', () => {
    // Stock by minimal typology: t1 D01 D09 D11, t2 D02 D04 D19, t3 D05 D16 D20. Leases by rooms: t1 A01 A03,
    // t2 A11, t3 A02 A06 A08, t4 A04 A10 A14.
    expect(value('tension_typologie', 't1')).toMatchObject({ numerateur: 3, denominateur: 2, valeur: 1.5 });
    expect(value('tension_typologie', 't2')).toMatchObject({ numerateur: 3, denominateur: 1, valeur: 3 });
    expect(value('tension_typologie', 't5_plus')?.valeur).toBeNull();
    // Q1: 2 requests for 7 leases; Q4: 5 for 1.
    expect(value('tension_quartile', 'q1')).toMatchObject({ numerateur: 2, denominateur: 7 });
    expect(value('tension_quartile', 'q4')?.valeur).toBe(5);
  });

  it('averages the waiting time of satisfied requests and counts refusals by motive', () => {
    // Days from filing to radiation: D03 380, D06 87, D07 117, D08 155, D10 50, D12 176, D14 213, D15 242, D18 289
    // → 1 709 / 9.
    expect(value('delai_attente_satisfaites')).toMatchObject({ numerateur: 1709, denominateur: 9 });
    // One refusal (A05, loyer) among the 12 proposals of 2024.
    expect(value('refus_par_motif')).toMatchObject({ numerateur: 1, denominateur: 12 });
    expect(value('refus_par_motif', 'loyer')).toMatchObject({ numerateur: 1, denominateur: 1, valeur: 1 });
  });
});
