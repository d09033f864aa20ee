import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDataset } from '../import/import-dataset.ts';
import { Store } from '../store/store.ts';
import type { LigneRefus, ObservatoireRefus } from './observatoire.ts';
import { analyserRefus } from './observatoire.ts';

/**
 * Golden tests of the refusal observatory and of the mutations on a hand-built territory
 * (packages/data/test/fixtures/refus/territoire), imported by the real importer. Every figure below is counted by
 * hand from the fixture:
 *
 * Dwellings: L1 R1 QPV T2 300 € ETAT · L2 R1 QPV T3 400 € AL · L3 R2 B1 T3 520 € non réservé (hors flux) ·
 * L4 R3 B2 T4 600 € AL · L5 R3 B2 T1 280 € non réservé. Q1 threshold 12 000 €/UC/year (one-person households:
 * 900 €/month → 10 800 Q1; 1 000 → 12 000 = threshold, Q1; 1 500 → 18 000 non-Q1).
 * Proposals of 2024 (A09 non_proposee and A10 non_attribution are not): A01 D01 L1 refused (localisation) · A02 D02 L1
 * lease · A03 D03 L2 refused (loyer) · A04 D03 L3 refused (no motive) · A05 D03 L4 lease · A06 D04 L3 lease · A07 D05 L5
 * en cours · A08 D06 L2 refused (localisation) · A11 D09 L2 lease (mutation from B1: internal) · A12 D10 L5 lease
 * (mutation from B1 to B2, motive trop_grand) → 10 proposals, 4 refusals.
 * Proposals of 2023: A21 D04 L2 refused (etat) · A22 D11 L1 lease · A23 D12 L3 refused (localisation) · A24 D12 L4 lease
 * → 4 proposals, 2 refusals.
 */

const FIXTURE = fileURLToPath(new URL('../../test/fixtures/refus/territoire', import.meta.url));

let store: Store;
let obs: ObservatoireRefus;
beforeAll(async () => {
  store = await Store.open(':memory:');
  await importDataset(store, [FIXTURE]);
  obs = await analyserRefus(store, { annee: 2024 });
});
afterAll(() => store.close());

const cellules = (dimension: string) =>
  Object.fromEntries(
    (obs.ventilations.find((v) => v.dimension === dimension)?.lignes ?? []).map((l: LigneRefus) => [l.modalite, [l.propositions, l.refus, l.taux, l.propositions_precedentes, l.taux_precedent]]),
  );

describe('refusal observatory of a hand-built territory (2024)', () => {
  it('rates the territory with its motives', () => {
    expect([obs.ensemble.propositions, obs.ensemble.refus, obs.ensemble.taux]).toEqual([10, 4, 0.4]);
    // 2023: 2 refusals of 4 proposals.
    expect([obs.ensemble.propositions_precedentes, obs.ensemble.taux_precedent]).toEqual([4, 0.5]);
    const motifs = Object.fromEntries(obs.ensemble.motifs.map((m) => [m.motif, m.refus]));
    // A01, A08 localisation; A03 loyer; A04 without motive.
    expect(motifs).toEqual({ localisation: 2, typologie: 0, loyer: 1, etat: 0, environnement: 0, sans_reponse: 0, autre: 0, non_renseigne: 1 });
  });

  it('breaks refusals down by residence, typology, QPV, contingent, bailleur, rent band and Q1', () => {
    // R1 = L1 + L2: A01 A02 A03 A08 A11 → 3 of 5 (2023: A21 A22 → 1 of 2); R2 = L3: A04 A06 → 1 of 2 (2023: A23 → 1 of 1);
    // R3 = L4 + L5: A05 A07 A12 → 0 of 3 (2023: A24 → 0 of 1).
    expect(cellules('residence')).toEqual({ R1: [5, 3, 0.6, 2, 0.5], R2: [2, 1, 0.5, 1, 1], R3: [3, 0, 0, 1, 0] });
    // T1 = L5: A07 A12 · T2 = L1: A01 A02 · T3 = L2 + L3: A03 A08 A11 A04 A06 · T4 = L4: A05.
    // 2023: T2 A22 (0/1), T3 A21 A23 (2/2), T4 A24 (0/1).
    expect(cellules('typologie')).toEqual({ T1: [2, 0, 0, 0, null], T2: [2, 1, 0.5, 1, 0], T3: [5, 3, 0.6, 2, 1], T4: [1, 0, 0, 1, 0] });
    // In QPV = L1 + L2 (R1): 3 of 5; hors QPV 1 of 5. 2023: QPV A21 A22 1/2, hors QPV A23 A24 1/2.
    expect(cellules('qpv')).toEqual({ hors_qpv: [5, 1, 0.2, 2, 0.5], qpv: [5, 3, 0.6, 2, 0.5] });
    // ETAT = L1: A01 A02 · AL = L2 + L4: A03 A08 A11 A05 · B1 non-reserved = L3: A04 A06 · B2 non-reserved = L5: A07 A12.
    // 2023: ETAT A22 0/1, AL A21 A24 1/2, non_reserve:B1 A23 1/1.
    expect(cellules('reservataire')).toEqual({
      AL: [4, 2, 0.5, 2, 0.5],
      ETAT: [2, 1, 0.5, 1, 0],
      'non_reserve:B1': [2, 1, 0.5, 1, 1],
      'non_reserve:B2': [2, 0, 0, 0, null],
    });
    // B1 = L1 L2 L3: 7 proposals, 4 refusals; B2 = L4 L5: 3, 0. 2023: B1 A21 A22 A23 2/3, B2 A24 0/1.
    expect(cellules('bailleur')).toEqual({ B1: [7, 4, 4 / 7, 3, 2 / 3], B2: [3, 0, 0, 1, 0] });
    // 280 € (L5) < 300 · 300 € (L1, the band's lower bound) · 400 € (L2) · 520 € (L3) · 600 € (L4, lower bound of the top band).
    expect(cellules('loyer')).toEqual({
      moins_300: [2, 0, 0, 0, null],
      '300_399': [2, 1, 0.5, 1, 0],
      '400_499': [3, 2, 2 / 3, 1, 1],
      '500_599': [2, 1, 0.5, 1, 1],
      '600_plus': [1, 0, 0, 1, 0],
      inconnu: [0, 0, null, 0, null],
    });
    // Q1: D01 (A01 refused), D02 at the threshold (A02), D05 (A07), D10 (A12) → 1 of 4; non-Q1: A03 A04 A05 A06 A08 A11 → 3 of 6.
    // 2023: Q1 D11 (A22) 0/1; non-Q1 A21 A23 A24 2/3.
    expect(cellules('quartile')).toEqual({ non_q1: [6, 3, 0.5, 3, 2 / 3], q1: [4, 1, 0.25, 1, 0] });
    expect(obs.ventilations.find((v) => v.dimension === 'bailleur')?.lignes.map((l) => l.libelle)).toEqual(['Office Un', 'Entreprise Deux']);
  });

  it('lists the most refused residences and the trend', () => {
    expect(obs.residences_plus_refusees.map((r) => [r.modalite, r.refus, r.libelle, r.commune, r.en_qpv])).toEqual([
      ['R1', 3, 'Les Tilleuls (R1)', 'Alpha', true],
      ['R2', 1, 'Le Parc (R2)', 'Beta', false],
    ]);
    expect(obs.tendance.map((a) => [a.annee, a.propositions, a.refus, a.taux])).toEqual([
      [2023, 4, 2, 0.5],
      [2024, 10, 4, 0.4],
    ]);
  });

  it('counts the refusals each household made before its lease of 2024, by profile', () => {
    // Leases of 2024: A02 D02 (0 refusal before) · A05 D03 (A03 and A04 before 1 June: 2) · A06 D04 (A21 in 2023: 1) ·
    // A11 D09 (0) · A12 D10 (0) → 5 leases, 3 refusals, 3 without, 1 with one, 1 with two or more.
    const l = (profil: string, modalite: string) => {
      const x = obs.refus_avant_bail.find((r) => r.profil === profil && r.modalite === modalite);
      return x && [x.baux, x.refus, x.moyenne, x.sans_refus, x.un_refus, x.deux_refus_ou_plus];
    };
    expect(l('ensemble', 'ensemble')).toEqual([5, 3, 0.6, 3, 1, 1]);
    // Q1: D02, D10 → 0; non-Q1: D03 (2), D04 (1), D09 (0).
    expect([l('quartile', 'q1'), l('quartile', 'non_q1')]).toEqual([[2, 0, 0, 2, 0, 0], [3, 3, 1, 1, 1, 1]]);
    // D02 is the only priority household.
    expect([l('prioritaire', 'oui'), l('prioritaire', 'non')]).toEqual([[1, 0, 0, 1, 0, 0], [4, 3, 0.75, 2, 1, 1]]);
    expect([l('mutation', 'mutation'), l('mutation', 'premier_acces')]).toEqual([[2, 0, 0, 2, 0, 0], [3, 3, 1, 1, 1, 1]]);
    // Typology of the dwelling let: A12 T1, A02 T2, A06 + A11 T3, A05 T4.
    expect([l('typologie', 'T1'), l('typologie', 'T3'), l('typologie', 'T4')]).toEqual([[1, 0, 0, 1, 0, 0], [2, 1, 0.5, 1, 1, 0], [1, 2, 2, 0, 0, 1]]);
  });
});

describe('mutations of a hand-built territory (2024)', () => {
  it('measures satisfaction by motive against first access', () => {
    const m = obs.mutations;
    // Requests of 2024 (filed by 31/12/2024, not radiated before 1/1/2024): D01–D10, D13, D16 (D11, D12, D14 radiated in
    // 2023, D15 filed in 2025). Mutations: D09 D10 D13 D16, satisfied D09 D10 → 2 of 4. First access: D01–D08, satisfied
    // D02 D03 D04 → 3 of 8.
    expect(m.mutation).toEqual({ demandes: 4, satisfaites: 2, taux: 0.5 });
    expect(m.premier_acces).toEqual({ demandes: 8, satisfaites: 3, taux: 3 / 8 });
    const motif = (code: string) => m.par_motif.find((p) => p.motif === code);
    // trop_petit D09 (satisfied) D16 · trop_grand D10 (satisfied) · trop_cher D13.
    expect([motif('trop_petit'), motif('trop_grand'), motif('trop_cher'), motif('sante')].map((p) => p && [p.demandes, p.satisfaites, p.taux])).toEqual([
      [2, 1, 0.5],
      [1, 1, 1],
      [1, 0, 0],
      [0, 0, null],
    ]);
    // 2023: everything filed in 2022 but D14 radiated 1 June 2023 still counts (radiated after 1/1/2023): mutations D09 D10
    // D13 D14 D16 (none satisfied), first access D01–D08 D11 D12, satisfied D11 D12 → 2 of 10.
    const a2023 = m.tendance.find((t) => t.annee === 2023);
    expect([a2023?.mutation, a2023?.premier_acces]).toEqual([
      { demandes: 5, satisfaites: 0, taux: 0 },
      { demandes: 10, satisfaites: 2, taux: 0.2 },
    ]);
    expect(m.tendance.map((t) => t.annee)).toEqual([2020, 2021, 2022, 2023, 2024]);
    expect(m.tendance[0]?.mutation).toEqual({ demandes: 0, satisfaites: 0, taux: null });
  });

  it('splits the mutation leases internal / inter-bailleurs, the under-occupation freed and the flux exclusions', () => {
    const m = obs.mutations;
    // Leases of 2024: A02 A05 A06 A11 A12; mutations A11 (B1 → L2 of B1: internal) and A12 (B1 → L5 of B2).
    expect(m.baux).toEqual({ total: 5, mutations: 2, internes: 1, inter_bailleurs: 1, bailleur_inconnu: 0 });
    // A12: request motive trop_grand.
    expect(m.sous_occupation_liberee).toBe(1);
    // Flux (conventions imported, default exclusions): A11 internal mutation, A06 on L3 hors flux → 2 excluded, 1 mutation.
    expect(m.flux).toEqual({ exclusion_mutations_active: true, baux_exclus: 2, mutations_internes_exclues: 1, part: 0.5 });
  });
});

describe('years before N−1 (only N−1 and N are resolved, issue 15 speed)', () => {
  // The same territory plus two proposals to D06 older than N−1: A40 refused on 1 May 2021 (L2, localisation), and A41
  // examined by the CALEOL of 1 December 2022 whose lease on L4 (T4, non-Q1 household, first access) was signed on
  // 10 January 2024. A41 is a lease of 2024 although its CALEOL is not of 2023 or 2024.
  let autre: Store;
  let o: ObservatoireRefus;
  beforeAll(async () => {
    autre = await Store.open(':memory:');
    await importDataset(autre, [FIXTURE]);
    await autre.run(`INSERT INTO attributions (id, nur, logement_id, date_cal, decision, rang, issue, date_bail, motif_refus) VALUES
      ('A40', 'D06', 'L2', DATE '2021-05-01', 'attribution', 1, 'refus_demandeur', NULL, 'localisation'),
      ('A41', 'D06', 'L4', DATE '2022-12-01', 'attribution', 1, 'bail_signe', DATE '2024-01-10', NULL)`);
    o = await analyserRefus(autre, { annee: 2024 });
  });
  afterAll(() => autre.close());

  it('keeps the breakdowns of N and N−1, and counts the older years in the trend', () => {
    // Neither CALEOL is of 2023 or 2024: the breakdowns are those of the first describe.
    expect([o.ensemble.propositions, o.ensemble.refus, o.ensemble.propositions_precedentes]).toEqual([10, 4, 4]);
    // 2021: A40, refused; 2022: A41, a lease.
    expect(o.tendance.map((a) => [a.annee, a.propositions, a.refus])).toEqual([
      [2021, 1, 1],
      [2022, 1, 0],
      [2023, 4, 2],
      [2024, 10, 4],
    ]);
  });

  it('counts the lease of 2024 examined in 2022, and the refusal of 2021 before it', () => {
    const l = (profil: string, modalite: string) => {
      const x = o.refus_avant_bail.find((r) => r.profil === profil && r.modalite === modalite);
      return x && [x.baux, x.refus, x.sans_refus, x.un_refus, x.deux_refus_ou_plus];
    };
    // 6 leases: the five of 2024 + A41; D06's refusals before 1 December 2022: A40 (A08, in October 2024, is after) →
    // 3 + 1 = 4 refusals; without: D02 D09 D10; one: D04, D06; two or more: D03.
    expect(l('ensemble', 'ensemble')).toEqual([6, 4, 3, 2, 1]);
    // A41's CALEOL is of 2022, a year without a Q1 threshold here: its household's quartile is unknown.
    expect(l('quartile', 'inconnu')).toEqual([1, 1, 0, 1, 0]);
    // First access in 2024: D02 D03 D04 and now D06 satisfied, of 8 requests; A41 is a lease of 2024, not a mutation.
    expect(o.mutations.premier_acces).toEqual({ demandes: 8, satisfaites: 4, taux: 0.5 });
    expect(o.mutations.baux).toEqual({ total: 6, mutations: 2, internes: 1, inter_bailleurs: 1, bailleur_inconnu: 0 });
    // L4 is in the flux and D06 is no mutation: the exclusions are unchanged.
    expect(o.mutations.flux).toEqual({ exclusion_mutations_active: true, baux_exclus: 2, mutations_internes_exclues: 1, part: 0.5 });
  });
});
