import { describe, expect, it } from 'vitest';
import type { PartFlux } from './modele.ts';
import { simulerAnnee } from './moteur.ts';
import { simulerTirages } from './monte-carlo.ts';
import { demande, logement, politique, territoire } from '../../test/territoires-simules.ts';

/**
 * `flux: conventions` (issue 16, « flux shares when present »): a vacancy of a bailleur with conventions falls to a
 * contingent drawn from their shares instead of the contingent observed on the dwelling. Tiny hand-built territories
 * whose outcome is worked out by hand.
 */

const ETAT: PartFlux = { contingent: 'ETAT', typeContingent: 'etat_prioritaires', part: 1 };
const QUOTA_ETAT = 'ordre: anciennete\ntaille_liste: 1\nregles: { quotas_prioritaires: { etat_prioritaires: 1 } }';

describe('one vacancy, the State’s convention takes the whole flow of its bailleur', () => {
  // The older household is not a priority one; the priority one was deposited later: seniority alone picks the older.
  const stock = [demande('ancien', 1, -500), demande('prioritaire', 1, -5, { prioritaire: true })];
  const t = territoire(stock, { partsFlux: { B1: [ETAT] } });

  it('flux: observe keeps the observed contingent (the bailleur’s own): the older household is housed, 0 priority proposal out of 1', () => {
    const m = simulerAnnee(t, politique(`${QUOTA_ETAT}\nflux: observe`), 3);
    expect(m['prioritaires|territoire|territoire']).toBe(0);
    expect(m['prioritaires|type_contingent|non_reserve']).toBe(0);
    expect(m['prioritaires|type_contingent|etat_prioritaires']).toBeUndefined();
  });

  it('flux: conventions gives the vacancy to the State (share 1), whose 100 % quota proposes the priority household: 1 out of 1', () => {
    const m = simulerAnnee(t, politique(`${QUOTA_ETAT}\nflux: conventions`), 3);
    expect(m['prioritaires|territoire|territoire']).toBe(1);
    expect(m['prioritaires|type_contingent|etat_prioritaires']).toBe(1);
    expect(m['prioritaires|type_contingent|non_reserve']).toBeUndefined();
  });

  it('a bailleur without conventions keeps its observed contingent', () => {
    const autre = territoire(stock, { partsFlux: { B1: [ETAT] }, vacances: { parAn: 1, profils: [logement({ bailleurId: 'B2', contingent: 'non_reserve:B2' })] } });
    expect(simulerAnnee(autre, politique(`${QUOTA_ETAT}\nflux: conventions`), 3)['prioritaires|territoire|territoire']).toBe(0);
  });

  it('without any convention the engine refuses flux: conventions (the data layer says it in French before)', () => {
    expect(() => simulerAnnee(territoire(stock), politique('ordre: anciennete\nflux: conventions'), 3)).toThrow('flux: conventions sans convention');
  });
});

describe('the shares are followed in frequency (fixed seed)', () => {
  // 2 000 older non-priority households and 2 000 recent priority ones; 400 vacancies a year, all refusals 0. On the
  // State's contingent (quota 100 %) the oldest priority household signs; on the bailleur's own, the oldest of all,
  // always a non-priority one (400 vacancies cannot exhaust 2 000). So the year's priority rate is exactly the share
  // of vacancies drawn for the State.
  const stock = [
    ...Array.from({ length: 2000 }, (_, k) => demande(`n${k}`, 1, -1000 - k)),
    ...Array.from({ length: 2000 }, (_, k) => demande(`p${k}`, 1, -1 - (k % 900), { prioritaire: true })),
  ];
  const t = territoire(stock, {
    vacances: { parAn: 400, profils: [logement()] },
    partsFlux: { B1: [{ ...ETAT, part: 0.25 }, { contingent: 'non_reserve:B1', typeContingent: 'non_reserve', part: 0.75 }] },
  });

  it('a 25 % State share gives about 25 % of the vacancies (and so of the proposals) to priority households', () => {
    const RUNS = 20;
    const tirages = simulerTirages(t, politique(`${QUOTA_ETAT}\nflux: conventions`), 2024, 0, RUNS);
    const f = tirages.reduce((s, m) => s + m['prioritaires|territoire|territoire']!, 0) / RUNS;
    // 20 runs × 400 vacancies = 8 000 draws of share 0.25: standard error √(0.25 × 0.75 / 8000) ≈ 0.0048; 0.02 is
    // four standard errors.
    expect(Math.abs(f - 0.25)).toBeLessThan(0.02);
    // Every run housed one household per vacancy: 400 leases.
    expect(tirages.every((m) => m['baux|territoire|territoire'] === 400)).toBe(true);
  });

  it('the contingent draws have their own stream: shares that repeat the observed contingent change nothing in a run', () => {
    // Random order, refusals and arrivals: every other draw of the run would shift if the contingents used its stream.
    const s = Array.from({ length: 200 }, (_, k) => demande(`d${k}`, (k % 4) as 0 | 1 | 2 | 3, -k, { prioritaire: k % 5 === 0 }));
    const base = territoire(s, {
      arrivees: { parAn: 40, profils: s.slice(0, 20) },
      radiationsParAn: 0.15,
      vacances: { parAn: 60, profils: [logement(), logement({ enQpv: true, nbPieces: 2 })] },
      refus: [[0.3, 0.2, 0.2, 0.2], [0.3, 0.2, 0.2, 0.2]],
      partsFlux: { B1: [{ contingent: 'non_reserve:B1', typeContingent: 'non_reserve', part: 1 }] },
    });
    expect(simulerAnnee(base, politique('ordre: tirage_au_sort\nflux: conventions'), 11)).toEqual(simulerAnnee(base, politique('ordre: tirage_au_sort'), 11));
  });
});
