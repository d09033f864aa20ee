import { describe, expect, it } from 'vitest';
import { simulerAnnee } from './moteur.ts';
import { lignesDeLaPolitique, quantileRang, simulerTirages } from './monte-carlo.ts';
import { demande, logement, politique, territoire } from '../../test/territoires-simules.ts';

/**
 * The engine on tiny hand-built territories whose outcome is known exactly (issue 16, « Done when »): no arrival,
 * no radiation, a fixed number of vacancies; the expected figures are worked out by hand in each test.
 */


describe('one vacancy, two candidates, deterministic acceptance', () => {
  const stock = [demande('A-q1-ancien', 0, -300), demande('B-q2-recent', 1, -10)];

  it('by seniority, the older (Q1) household is proposed first, accepts, and is the only lease', () => {
    const m = simulerAnnee(territoire(stock), politique('ordre: anciennete\ntaille_liste: 2'), 7);
    // One lease hors QPV, to a Q1 household: 1 / 1.
    expect(m['hors_qpv_q1|territoire|territoire']).toBe(1);
    expect(m['baux|territoire|territoire']).toBe(1);
    // Rank 1 accepts: rank 2 is never proposed.
    expect(m['propositions|territoire|territoire']).toBe(1);
    expect(m['menages_loges|quartile|q1']).toBe(1);
    expect(m['menages_loges|quartile|q2']).toBe(0);
  });

  it('when Q1 households always refuse, rank 2 (Q2) signs: 2 proposals, hors-QPV Q1 rate 0 / 1', () => {
    const m = simulerAnnee(territoire(stock, { refus: [[1, 0, 0, 0], [0, 0, 0, 0]] }), politique('ordre: anciennete\ntaille_liste: 2'), 7);
    expect(m['hors_qpv_q1|territoire|territoire']).toBe(0);
    expect(m['propositions|territoire|territoire']).toBe(2);
    expect(m['menages_loges|quartile|q2']).toBe(1);
  });

  it('in QPV the proposals count: 2 proposals, the Q1 one refused, the Q2 one signed → qpv_hors_q1 = 1/2', () => {
    const t = territoire(stock, { refus: [[0, 0, 0, 0], [1, 0, 0, 0]], vacances: { parAn: 1, profils: [logement({ enQpv: true })] } });
    const m = simulerAnnee(t, politique('ordre: anciennete\ntaille_liste: 2'), 7);
    expect(m['qpv_hors_q1|territoire|territoire']).toBe(0.5);
    expect(m['qpv_q3_q4|territoire|territoire']).toBe(0);
    expect(m['hors_qpv_q1|territoire|territoire']).toBeUndefined();
  });

  it('with no household fitting the typology, the vacancy stays unfilled', () => {
    const petits = stock.map((d) => ({ ...d, typologieMin: 1, typologieMax: 2 }));
    const m = simulerAnnee(territoire(petits), politique('ordre: anciennete'), 7);
    expect(m['baux|territoire|territoire']).toBe(0);
    expect(m['vacances_non_pourvues|territoire|territoire']).toBe(1);
  });

  it('the waiting time is the day of the lease minus the deposit day', () => {
    const m = simulerAnnee(territoire(stock), politique('ordre: anciennete\ntaille_liste: 1'), 7);
    const attente = m['attente_jours|profil|q1']!;
    // Deposited 300 days before 1 January, housed on a day of the year (0 ≤ jour < 365): 300 ≤ attente < 665.
    expect(attente).toBeGreaterThanOrEqual(300);
    expect(attente).toBeLessThan(665);
  });
});

describe('CIA rules', () => {
  // One Q1 household deposited last, nine Q2 households before it: seniority alone never picks the Q1 one.
  const stock = [demande('Q1', 0, -1), ...Array.from({ length: 9 }, (_, k) => demande(`Q2-${k}`, 1, -100 - k))];

  it('one Q1 candidate per list outside QPV: the Q1 household is in the list and, ranked by seniority last, is proposed only when the others refuse', () => {
    const sans = simulerAnnee(territoire(stock), politique('ordre: anciennete\ntaille_liste: 1'), 3);
    expect(sans['menages_loges|quartile|q1']).toBe(0);
    const avec = simulerAnnee(territoire(stock), politique('ordre: anciennete\ntaille_liste: 1\nregles: { q1_min_par_liste_hors_qpv: 1 }'), 3);
    // A list of one: the Q1 slot is the whole list.
    expect(avec['menages_loges|quartile|q1']).toBe(1);
    expect(avec['hors_qpv_q1|territoire|territoire']).toBe(1);
  });

  it('the rule does not apply in QPV', () => {
    const t = territoire(stock, { vacances: { parAn: 1, profils: [logement({ enQpv: true })] } });
    const m = simulerAnnee(t, politique('ordre: anciennete\ntaille_liste: 1\nregles: { q1_min_par_liste_hors_qpv: 1 }'), 3);
    expect(m['menages_loges|quartile|q1']).toBe(0);
  });

  it('Q2–Q4 first in QPV: a Q1 household deposited first is passed over for a Q2 one', () => {
    const s = [demande('Q1-ancien', 0, -500), demande('Q2', 1, -5)];
    const t = territoire(s, { vacances: { parAn: 1, profils: [logement({ enQpv: true })] } });
    expect(simulerAnnee(t, politique('ordre: anciennete\ntaille_liste: 1'), 3)['menages_loges|quartile|q1']).toBe(1);
    expect(simulerAnnee(t, politique('ordre: anciennete\ntaille_liste: 1\nregles: { q2_q4_en_qpv: true }'), 3)['menages_loges|quartile|q2']).toBe(1);
  });

  it('State priority contingent at 100 %: only priority households are proposed on it', () => {
    const s = [demande('ancien', 1, -500), demande('prioritaire', 1, -5, { prioritaire: true }), demande('autre', 2, -400)];
    const t = territoire(s, { vacances: { parAn: 1, profils: [logement({ contingent: 'ETAT', typeContingent: 'etat_prioritaires' })] }, refus: [[0, 1, 0, 0], [0, 0, 0, 0]] });
    const m = simulerAnnee(t, politique('ordre: anciennete\ntaille_liste: 3\nregles: { quotas_prioritaires: { etat_prioritaires: 1 } }'), 3);
    // Every slot wants a priority household; there is one: the list is completed with the others (nobody else
    // fits the rule) and the priority household is ranked first. It is Q2 and refuses (refusal probability 1 for Q2
    // hors QPV), the oldest other (Q2) refuses too, the Q3–Q4 one accepts: 3 proposals, 1 of them priority.
    expect(m['prioritaires|type_contingent|etat_prioritaires']).toBe(1 / 3);
    expect(m['propositions|territoire|territoire']).toBe(3);
    expect(m['menages_loges|quartile|q3_q4']).toBe(1);
  });
});

describe('a refusal changes the note as the grid says', () => {
  // A (Q1, 10.00 points) refuses everything; B (9.00) and C (8.50) accept. Two vacancies, lists of one, one round.
  const stock = [demande('A', 0, -10, { note: 1000 }), demande('B', 1, -10, { note: 900 }), demande('C', 1, -10, { note: 850 })];
  const t = (centiemes: number) => territoire(stock, { vacances: { parAn: 2, profils: [logement()] }, refus: [[1, 0, 0, 0], [0, 0, 0, 0]], penaliteRefus: { centiemes, parRefus: true, maxRefus: null } });
  const p = politique('ordre: cotation\ngrille: grille.yaml\ntaille_liste: 1\ntours_max: 1');

  it('without a penalty A heads both lists and refuses twice: no lease', () => {
    const m = simulerAnnee(t(0), p, 1);
    expect(m['baux|territoire|territoire']).toBe(0);
    expect(m['propositions|territoire|territoire']).toBe(2);
  });

  it('with −2 points per refusal A falls to 8.00 after the first vacancy: B (9.00) gets the second', () => {
    const m = simulerAnnee(t(-200), p, 1);
    expect(m['baux|territoire|territoire']).toBe(1);
    expect(m['menages_loges|quartile|q2']).toBe(1);
  });
});

describe('lottery and observed-practice weights converge to their probabilities (fixed seed)', () => {
  const RUNS = 3000;
  it('a lottery among three households houses each about one time in three', () => {
    const s = [demande('a', 0, -1), demande('b', 1, -2), demande('c', 2, -3)];
    const tirages = simulerTirages(territoire(s), politique('ordre: tirage_au_sort\ntaille_liste: 1'), 20_241_201, 0, RUNS);
    for (const classe of ['q1', 'q2', 'q3_q4']) {
      const f = tirages.reduce((n, m) => n + (m[`menages_loges|quartile|${classe}`] ?? 0), 0) / RUNS;
      // 1/3 ± 0.03: the standard error is √(1/3 × 2/3 / 3000) ≈ 0.0086, so 0.03 is 3.5 standard errors.
      expect(Math.abs(f - 1 / 3)).toBeLessThan(0.03);
    }
  });

  it('the observed practice picks a category in proportion to its weight: Q1 weight 3, Q2 weight 1 → Q1 housed 3/4 of the time', () => {
    const s = [demande('a', 0, -1), demande('b', 1, -2)];
    const poids = [3, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];
    const tirages = simulerTirages(territoire(s, { poidsObserves: { 'hors_qpv|*': poids } }), politique('ordre: pratique_observee\ntaille_liste: 1'), 42, 0, RUNS);
    const f = tirages.reduce((n, m) => n + (m['menages_loges|quartile|q1'] ?? 0), 0) / RUNS;
    // 3 / (3 + 1) = 0.75; standard error √(0.75 × 0.25 / 3000) ≈ 0.0079.
    expect(Math.abs(f - 0.75)).toBeLessThan(0.03);
  });
});

describe('determinism', () => {
  const s = Array.from({ length: 200 }, (_, k) => demande(`d${k}`, (k % 4) as 0 | 1 | 2 | 3, -k, { prioritaire: k % 5 === 0, typologieMin: 1 + (k % 3), typologieMax: 3 + (k % 3) }));
  const t = territoire(s, {
    arrivees: { parAn: 40, profils: s.slice(0, 20) },
    radiationsParAn: 0.15,
    vacances: { parAn: 60, profils: [logement(), logement({ enQpv: true, nbPieces: 2 }), logement({ nbPieces: 5 })] },
    refus: [[0.3, 0.2, 0.2, 0.2], [0.3, 0.2, 0.2, 0.2]],
  });
  const p = politique('ordre: tirage_au_sort');

  it('the same seed gives the same measures; another seed other measures', () => {
    expect(simulerAnnee(t, p, 5)).toEqual(simulerAnnee(t, p, 5));
    expect(simulerAnnee(t, p, 5)).not.toEqual(simulerAnnee(t, p, 6));
  });

  it('runs split in shares (as between worker threads) give the runs of one pass', () => {
    const ensemble = simulerTirages(t, p, 9, 0, 10);
    expect([...simulerTirages(t, p, 9, 0, 4), ...simulerTirages(t, p, 9, 4, 10)]).toEqual(ensemble);
    expect(JSON.stringify(lignesDeLaPolitique('essai', ensemble))).toBe(JSON.stringify(lignesDeLaPolitique('essai', simulerTirages(t, p, 9, 0, 10))));
  });

  it('p05 and p95 are nearest-rank values: of 1…100, the 5th and the 95th', () => {
    const cent = Array.from({ length: 100 }, (_, k) => k + 1);
    expect(quantileRang(cent, 0.05)).toBe(5);
    expect(quantileRang(cent, 0.95)).toBe(95);
  });
});
