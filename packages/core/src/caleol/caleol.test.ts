import { describe, expect, it } from 'vitest';
import { BAREME_APL_2024 } from '../apl/baremes.ts';
import type { IndicatorRow } from '../indicators/targets.ts';
import type { ContexteCaleol, DemandeCaleol, LogementCaleol } from './eligibilite.ts';
import { examinerDemande } from './eligibilite.ts';
import { composerListe, ecartDuContingent } from './liste.ts';
import { parametresCaleol } from './parametres.ts';
import { categorieMenage, plafondRessources, zonePlafonds } from './plafonds.ts';

/**
 * Golden cases of the CALEOL list on a hand-built territory (issue 15). Every expected value is worked out by hand in
 * the comments: ceilings from DOMAIN.md (PLUS 2025, rest of Île-de-France: 26 687 / 39 885 / 47 944 / 57 429 €),
 * APL from the hand case of apl.test.ts, Q1 threshold 12 000 € per UC per year.
 */

const UC = { premiere_personne: 1, autre_14_ans_et_plus: 0.5, moins_14_ans: 0.3 };
const DATE = '2025-06-30';

/** A T3 outside QPV in Évry-Courcouronnes (91228, rest of Île-de-France), PLUS, zone APL 2. */
const T3: LogementCaleol = {
  id: 'L1',
  bailleur_id: 'B1',
  code_insee: '91228',
  code_qpv: null,
  en_qpv: false,
  nb_pieces: 3,
  financement: 'plus',
  loyer: 450,
  charges: 100,
  pmr: false,
  contingent: 'non_reserve:B1',
  type_contingent: 'non_reserve',
  zone_apl: '2',
  zone_plafonds: 'ile_de_france',
};

const ctx = (p: Partial<ContexteCaleol['parametres']> = {}): ContexteCaleol => ({
  date: DATE,
  seuil_q1: 12_000,
  poids: UC,
  bareme: BAREME_APL_2024,
  parametres: { ...parametresCaleol(undefined), ...p },
});

/** A couple with one child, 3 000 € a month: not Q1 (36 000 ÷ 1.8 UC = 20 000 > 12 000), APL 0, effort 550 ÷ 3 000 = 18.3 %. */
const demande = (nur: string, d: Partial<DemandeCaleol> = {}): DemandeCaleol => ({
  nur,
  date_depot: '2023-01-10',
  date_radiation: null,
  nb_personnes: 3,
  nb_moins_14_ans: 1,
  composition: 'couple_enfants',
  ressources_mensuelles: 3000,
  revenu_fiscal: null,
  typologie_min: null,
  typologie_max: null,
  communes_souhaitees: [],
  pmr: false,
  handicap: false,
  dalo: false,
  prioritaire: false,
  mutation: false,
  relogement_anru: false,
  travailleur_essentiel: false,
  note: 10,
  ...d,
});

const refus = (d: DemandeCaleol, l: LogementCaleol = T3, c: ContexteCaleol = ctx()) => examinerDemande(d, l, c).refus;

describe('eligibility at every boundary', () => {
  it('active at the date: deposited on the date yes, radiated on the date no, deposited after no', () => {
    expect(refus(demande('a', { date_depot: DATE }))).toEqual([]);
    expect(refus(demande('a', { date_radiation: DATE }))).toEqual(['active']);
    expect(refus(demande('a', { date_radiation: '2025-07-01' }))).toEqual([]);
    expect(refus(demande('a', { date_depot: '2025-07-01' }))).toEqual(['active']);
  });

  it('typology: 3 rooms within min 3 and max 3; min 4 or max 2 refuse; empty bounds do not limit', () => {
    expect(refus(demande('a', { typologie_min: 3, typologie_max: 3 }))).toEqual([]);
    expect(refus(demande('a', { typologie_min: 4 }))).toEqual(['typologie']);
    expect(refus(demande('a', { typologie_max: 2 }))).toEqual(['typologie']);
    expect(refus(demande('a', { typologie_min: null, typologie_max: 5 }))).toEqual([]);
  });

  it('commune: no wish fits, a wish naming 91228 fits, a wish without it does not', () => {
    expect(refus(demande('a', { communes_souhaitees: [] }))).toEqual([]);
    expect(refus(demande('a', { communes_souhaitees: ['91174', '91228'] }))).toEqual([]);
    expect(refus(demande('a', { communes_souhaitees: ['91174'] }))).toEqual(['commune']);
  });

  it('PMR: a request needing it is refused a dwelling that is not accessible, accepted in one that is', () => {
    expect(refus(demande('a', { pmr: true }))).toEqual(['pmr']);
    expect(refus(demande('a', { pmr: true }), { ...T3, pmr: true })).toEqual([]);
    expect(refus(demande('a', { pmr: false }), { ...T3, pmr: true })).toEqual([]);
  });

  it('ceiling exactly reached fits, one euro above does not (category 3: 47 944 €)', () => {
    // 3 persons → category 3 → PLUS 2025 rest of Île-de-France 47 944 €.
    const juste = examinerDemande(demande('a', { revenu_fiscal: 47_944 }), T3, ctx());
    expect(juste.refus).toEqual([]);
    expect(juste.plafond?.montant).toBe(47_944);
    expect(juste.ressources_approximees).toBe(false);
    expect(refus(demande('a', { revenu_fiscal: 47_945 }))).toEqual(['plafond']);
    // Without a taxable income: 3 995 × 12 = 47 940 ≤ 47 944, marked as an approximation; 3 996 × 12 = 47 952 > 47 944.
    const approx = examinerDemande(demande('a', { ressources_mensuelles: 3995 }), T3, ctx());
    expect(approx.eligible).toBe(true);
    expect(approx.ressources_approximees).toBe(true);
    expect(approx.ressources_annuelles).toBe(47_940);
    expect(refus(demande('a', { ressources_mensuelles: 3996 }))).toEqual(['plafond']);
  });

  it('categories: a single parent and a household with a disabled person take the next one; PLS is PLUS × 1.3; PLAI 2022 elsewhere', () => {
    expect(categorieMenage({ nb_personnes: 2, composition: 'monoparentale', handicap: false })).toBe(3);
    expect(categorieMenage({ nb_personnes: 1, composition: 'personne_seule', handicap: true })).toBe(2);
    expect(categorieMenage({ nb_personnes: 2, composition: 'monoparentale', handicap: true })).toBe(3);
    // 8 persons: category 6 + 2 extra: 76 504 + 2 × 8 524 = 93 552.
    expect(plafondRessources('plus', 2025, 'ile_de_france', 8)?.montant).toBe(93_552);
    // PLS: 39 885 × 1.3 = 51 850.5 → 51 851 (rounded to the euro).
    expect(plafondRessources('pls', 2025, 'ile_de_france', 2)?.montant).toBe(51_851);
    // PLAI 2024, other regions: the 2022 table is the latest known (11 626).
    expect(plafondRessources('plai', 2024, 'autres_regions', 1)).toMatchObject({ montant: 11_626, annee: 2022 });
    expect(plafondRessources('plai', 2025, 'ile_de_france', 1)).toBeNull();
    expect(plafondRessources('pli', 2025, 'ile_de_france', 1)).toBeNull();
    expect(zonePlafonds('75056', [])).toBe('paris_limitrophes');
    expect(zonePlafonds('93048', ['93048'])).toBe('paris_limitrophes');
    expect(zonePlafonds('91228', [])).toBe('ile_de_france');
    expect(zonePlafonds('69123', [])).toBe('autres_regions');
  });

  it('a financing without a table is not checked and says so', () => {
    const e = examinerDemande(demande('a', { revenu_fiscal: 1_000_000 }), { ...T3, financement: 'pli' }, ctx());
    expect(e.eligible).toBe(true);
    expect(e.non_verifie).toContain('plafond');
  });

  it('effort rate after APL: the limit exactly reached fits, above does not', () => {
    // Single person, 3 000 € a month, PLI (no ceiling): PP ≥ 39.15 + 3.16 % × (36 000 − 5 186) ≈ 1 013 > L + C ⇒ APL 0.
    // Rent 890 + charges 100 = 990 ÷ 3 000 = 0.33 exactly: fits; rent 893: 993 ÷ 3 000 = 0.331: refused.
    const seul = { nb_personnes: 1, nb_moins_14_ans: 0, composition: 'personne_seule' as const };
    const pli = { ...T3, financement: 'pli' as const, nb_pieces: 1 };
    const juste = examinerDemande(demande('a', seul), { ...pli, loyer: 890 }, ctx());
    expect(juste.apl).toBe(0);
    expect(juste.taux_effort).toBeCloseTo(0.33, 10);
    expect(juste.refus).toEqual([]);
    expect(refus(demande('a', seul), { ...pli, loyer: 893 })).toEqual(['taux_effort']);
  });

  it('effort rate with APL: the hand case of apl.test.ts (zone 1, rent 300, 1 000 € a month → APL 100.16)', () => {
    // (300 + 50 − 100.16) ÷ 1 000 = 0.24984 ≤ 0.25: fits under a 25 % limit; under 24 % it does not.
    const seul = demande('a', { nb_personnes: 1, nb_moins_14_ans: 0, composition: 'personne_seule', ressources_mensuelles: 1000 });
    const l = { ...T3, nb_pieces: 1, loyer: 300, charges: 50, zone_apl: '1' as const };
    const e = examinerDemande(seul, l, ctx({ taux_effort_maximum: 0.25 }));
    expect(Math.abs((e.apl ?? 0) - 100.16)).toBeLessThan(1);
    expect(e.taux_effort).toBeCloseTo((350 - (e.apl ?? 0)) / 1000, 10);
    expect(e.eligible).toBe(true);
    expect(examinerDemande(seul, l, ctx({ taux_effort_maximum: 0.24 })).refus).toEqual(['taux_effort']);
  });

  it('no rent: the effort rate is not checked and says so; charges missing are the APL flat charges (estimated)', () => {
    expect(examinerDemande(demande('a'), { ...T3, loyer: null }, ctx()).non_verifie).toEqual(['taux_effort']);
    expect(examinerDemande(demande('a'), { ...T3, charges: null }, ctx()).charges_estimees).toBe(true);
  });

  it('Q1 at the threshold: a couple with 1 500 € a month is Q1 (18 000 ÷ 1.5 = 12 000), 1 500.01 € is not', () => {
    const couple = { nb_personnes: 2, nb_moins_14_ans: 0, composition: 'couple' as const };
    expect(examinerDemande(demande('a', { ...couple, ressources_mensuelles: 1500 }), T3, ctx()).q1).toBe(true);
    expect(examinerDemande(demande('a', { ...couple, ressources_mensuelles: 1500.01 }), T3, ctx()).q1).toBe(false);
  });
});

/** Q1 household: single parent with two children under 14, 1 200 € a month: 14 400 ÷ 1.6 UC = 9 000 ≤ 12 000. */
const q1 = { nb_personnes: 3, nb_moins_14_ans: 2, composition: 'monoparentale' as const, ressources_mensuelles: 1200 };

describe('ranking, ties and effects', () => {
  it('note descending, then the earliest deposit, then the NUR; ineligible requests left out', () => {
    const l = composerListe(
      [
        demande('N4', { note: 20, date_depot: '2022-05-01' }),
        demande('N1', { note: 30 }),
        demande('N3', { note: 20, date_depot: '2021-01-01' }),
        demande('N2', { note: 20, date_depot: '2021-01-01' }),
        demande('X', { note: 99, typologie_min: 4 }),
      ],
      T3,
      ctx({ q1_minimum_hors_qpv: 0 }),
    );
    expect(l.candidats.map((c) => [c.rang, c.demande.nur])).toEqual([
      [1, 'N1'],
      [2, 'N2'],
      [3, 'N3'],
    ]);
    expect(l.eligibles).toBe(4);
    expect(l.examinees).toBe(5);
    expect(l.regles).toEqual([]);
  });

  it('effects: outside QPV Q1 or relocated count; in QPV quartiles 2–4 count; priority, mutation, key worker', () => {
    const liste = composerListe(
      [
        demande('Q1', { ...q1, note: 30 }),
        demande('RELOGE', { note: 20, relogement_anru: true }),
        demande('PRIO', { note: 10, dalo: true, mutation: true, travailleur_essentiel: true }),
      ],
      T3,
      ctx(),
    );
    const effets = Object.fromEntries(liste.candidats.map((c) => [c.demande.nur, c.effets]));
    expect(effets.Q1).toEqual({ hors_qpv_q1: true, qpv_hors_q1: false, prioritaires: false, mutations: false, travailleurs_essentiels: false });
    expect(effets.RELOGE).toEqual({ hors_qpv_q1: true, qpv_hors_q1: false, prioritaires: false, mutations: false, travailleurs_essentiels: false });
    expect(effets.PRIO).toEqual({ hors_qpv_q1: false, qpv_hors_q1: false, prioritaires: true, mutations: true, travailleurs_essentiels: true });
    const qpv = composerListe([demande('Q1', { ...q1, note: 30 }), demande('Q2', { note: 20 })], { ...T3, en_qpv: true, code_qpv: 'QN09101M' }, ctx());
    expect(qpv.candidats.map((c) => [c.demande.nur, c.effets.qpv_hors_q1, c.effets.hors_qpv_q1])).toEqual([
      ['Q1', false, false],
      ['Q2', true, false],
    ]);
    // In QPV the Q1 rule does not apply.
    expect(qpv.regles).toEqual([]);
  });
});

describe('the CIA list rules and the replacement', () => {
  it('no Q1 among the three best outside QPV: the best Q1 replaces the third', () => {
    const l = composerListe(
      [demande('A', { note: 50 }), demande('B', { note: 40 }), demande('C', { note: 30 }), demande('D', { ...q1, note: 10 }), demande('E', { ...q1, note: 5 })],
      T3,
      ctx(),
    );
    expect(l.candidats.map((c) => [c.rang, c.demande.nur, c.ajoute_par])).toEqual([
      [1, 'A', null],
      [2, 'B', null],
      [3, 'D', 'q1_hors_qpv'],
    ]);
    expect(l.regles).toEqual([
      {
        regle: 'q1_hors_qpv',
        minimum: 1,
        avant: 0,
        apres: 1,
        respectee: true,
        remplacements: [{ sort: 'C', entre: 'D' }],
        message: expect.stringContaining('D remplace C') as unknown as string,
      },
    ]);
  });

  it('a Q1 already among the three: nothing replaced', () => {
    const l = composerListe([demande('A', { note: 50 }), demande('B', { ...q1, note: 40 }), demande('C', { note: 30 }), demande('D', { ...q1, note: 10 })], T3, ctx());
    expect(l.candidats.map((c) => c.demande.nur)).toEqual(['A', 'B', 'C']);
    expect(l.regles[0]).toMatchObject({ avant: 1, apres: 1, respectee: true, remplacements: [] });
  });

  it('no eligible Q1 at all: the rule stays broken and says so', () => {
    const l = composerListe([demande('A', { note: 50 }), demande('B', { note: 40 }), demande('C', { note: 30 })], T3, ctx());
    expect(l.candidats.map((c) => c.demande.nur)).toEqual(['A', 'B', 'C']);
    expect(l.regles[0]).toMatchObject({ respectee: false, apres: 0 });
    expect(l.regles[0]?.message).toMatch(/^Règle non respectée .*aucun autre candidat éligible/);
  });

  it('State priority contingent outside QPV: both rules, the second never removes the candidate the first brought', () => {
    const etat = { ...T3, contingent: 'R-ETAT', type_contingent: 'etat_prioritaires' as const };
    // Ranking: A 50, C 40, F 30, D 20 (Q1), E 10 (priority). Q1 rule: D replaces F → A, C, D.
    // Priority rule: D is protected (brought by a rule): the lowest other non-priority is C → E replaces C → A, D, E.
    const l = composerListe(
      [demande('A', { note: 50 }), demande('C', { note: 40 }), demande('F', { note: 30 }), demande('D', { ...q1, note: 20 }), demande('E', { note: 10, prioritaire: true })],
      etat,
      ctx(),
    );
    expect(l.candidats.map((c) => [c.demande.nur, c.ajoute_par])).toEqual([
      ['A', null],
      ['D', 'q1_hors_qpv'],
      ['E', 'prioritaire_contingent_etat'],
    ]);
    expect(l.regles.map((r) => [r.regle, r.remplacements])).toEqual([
      ['q1_hors_qpv', [{ sort: 'F', entre: 'D' }]],
      ['prioritaire_contingent_etat', [{ sort: 'C', entre: 'E' }]],
    ]);
    // Notes never increase down the list.
    const notes = l.candidats.map((c) => c.demande.note);
    expect(notes).toEqual([50, 20, 10]);
  });

  it('a Q1 candidate who is also priority meets both rules at once', () => {
    const etat = { ...T3, contingent: 'R-ETAT', type_contingent: 'etat_prioritaires' as const };
    const l = composerListe([demande('A', { note: 50 }), demande('B', { note: 40 }), demande('C', { note: 30 }), demande('D', { ...q1, note: 10, dalo: true })], etat, ctx());
    expect(l.candidats.map((c) => c.demande.nur)).toEqual(['A', 'B', 'D']);
    expect(l.regles.map((r) => [r.regle, r.respectee, r.remplacements.length])).toEqual([
      ['q1_hors_qpv', true, 1],
      ['prioritaire_contingent_etat', true, 0],
    ]);
  });

  it('the number of candidates is a parameter', () => {
    const l = composerListe([demande('A', { note: 50 }), demande('B', { ...q1, note: 40 }), demande('C', { note: 30 })], T3, ctx({ nombre_candidats: 1 }));
    // One candidate: A is not Q1 → B replaces A.
    expect(l.candidats.map((c) => c.demande.nur)).toEqual(['B']);
  });
});

describe('the contingent’s gap', () => {
  const ligne = (numerateur: number, denominateur: number, cible: number | null): IndicatorRow => ({
    indicateur: 'prioritaires',
    perimetre_type: 'contingent',
    perimetre_id: 'R-AL',
    periode: '2025',
    numerateur,
    denominateur,
    taux: denominateur === 0 ? null : numerateur / denominateur,
    cible,
    ecart: cible === null || denominateur === 0 ? null : numerateur / denominateur - cible,
    atteint: null,
  });
  it('5 priority proposals of 25 against 25 %: 2 more are needed ((5 + 2) ÷ 27 = 25.9 %, (5 + 1) ÷ 26 = 23.1 %)', () => {
    expect(ecartDuContingent([ligne(5, 25, 0.25)], 'R-AL', 2025)).toMatchObject({ numerateur: 5, denominateur: 25, propositions_prioritaires_manquantes: 2 });
  });
  it('met: 0; no target: null; the State’s 100 %: every non-priority proposal of the year (10 − 7 = 3)', () => {
    expect(ecartDuContingent([ligne(7, 25, 0.25)], 'R-AL', 2025).propositions_prioritaires_manquantes).toBe(0);
    expect(ecartDuContingent([ligne(7, 25, null)], 'R-AL', 2025).propositions_prioritaires_manquantes).toBeNull();
    expect(ecartDuContingent([ligne(7, 10, 1)], 'R-AL', 2025).propositions_prioritaires_manquantes).toBe(3);
  });
  it('a contingent without proposals this year: zeros', () => {
    expect(ecartDuContingent([], 'R-AL', 2025)).toMatchObject({ numerateur: 0, denominateur: 0, cible: null, taux: null });
  });
});
