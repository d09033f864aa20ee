import { graineDuTirage } from './aleatoire.ts';
import type { TerritoireSimule } from './modele.ts';
import type { MesuresTirage, OptionsTirage } from './moteur.ts';
import { INDICATEURS_SIMULES, simulerAnnee } from './moteur.ts';
import type { PolitiqueSimulation } from './politique.ts';

/**
 * Monte-Carlo over simulated years (issue 16): run k uses the seed graineDuTirage(graine, k), so a run's draws do not
 * depend on which thread computes it, and the aggregation reads the runs in their order: the same inputs and seed
 * give the same figures, byte for byte.
 */

/** Runs [debut, fin) of a Monte-Carlo, one after the other (a worker thread calls this on its share). */
export function simulerTirages(territoire: TerritoireSimule, politique: PolitiqueSimulation, graine: number, debut: number, fin: number, options: OptionsTirage = {}): MesuresTirage[] {
  const out: MesuresTirage[] = [];
  for (let k = debut; k < fin; k++) out.push(simulerAnnee(territoire, politique, graineDuTirage(graine, k), options));
  return out;
}

/**
 * The p-quantile of sorted values by the nearest-rank rule (the value of rank ⌈p·n⌉): a value that some run gave,
 * no interpolation — with 100 runs, p05 is the 5th smallest and p95 the 95th.
 */
export function quantileRang(tries: readonly number[], p: number): number {
  if (tries.length === 0) return NaN;
  const rang = Math.min(tries.length, Math.max(1, Math.ceil(p * tries.length)));
  return tries[rang - 1]!;
}

export interface Intervalle {
  readonly moyenne: number;
  readonly p05: number;
  readonly p95: number;
  /** Runs where the measure exists (a rate needs a non-zero denominator). */
  readonly tirages: number;
}

export function intervalleDesTirages(valeurs: readonly number[]): Intervalle {
  const tries = [...valeurs].sort((a, b) => a - b);
  // Summed in run order, not sorted order: the mean does not depend on ties broken by the sort.
  const moyenne = valeurs.reduce((a, b) => a + b, 0) / valeurs.length;
  return { moyenne, p05: quantileRang(tries, 0.05), p95: quantileRang(tries, 0.95), tirages: valeurs.length };
}

/** One line of the result: the columns of `mixite simuler` (politique;indicateur;perimetre_type;perimetre_id;moyenne;p05;p95;observe). */
export interface LigneSimulation {
  readonly politique: string;
  readonly indicateur: string;
  readonly perimetre_type: string;
  readonly perimetre_id: string;
  readonly moyenne: number;
  readonly p05: number;
  readonly p95: number;
  /** The observed value of the year, null when the year has no data (a future year) or the measure no counterpart. */
  readonly observe: number | null;
}

const ORDRE_INDICATEURS: readonly string[] = [...INDICATEURS_SIMULES, 'menages_loges', 'attente_jours', 'baux', 'propositions', 'vacances_non_pourvues'];
const ORDRE_PERIMETRES: readonly string[] = ['territoire', 'type_contingent', 'contingent', 'bailleur', 'quartile', 'profil'];
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function clesTriees(tirages: readonly MesuresTirage[]): string[] {
  const cles = new Set<string>();
  for (const t of tirages) for (const k of Object.keys(t)) cles.add(k);
  return [...cles].sort((a, b) => {
    const [ia = '', ta = '', pa = ''] = a.split('|');
    const [ib = '', tb = '', pb = ''] = b.split('|');
    return ORDRE_INDICATEURS.indexOf(ia) - ORDRE_INDICATEURS.indexOf(ib) || ORDRE_PERIMETRES.indexOf(ta) - ORDRE_PERIMETRES.indexOf(tb) || compare(pa, pb);
  });
}

/** The lines of one policy: per measure, mean and 5–95 % interval over the runs, and the observed value. */
export function lignesDeLaPolitique(politique: string, tirages: readonly MesuresTirage[], observes: Readonly<Record<string, number>> = {}): LigneSimulation[] {
  return clesTriees(tirages).map((cle) => {
    const [indicateur = '', perimetre_type = '', perimetre_id = ''] = cle.split('|');
    const valeurs = tirages.map((t) => t[cle]).filter((v): v is number => v !== undefined);
    const { moyenne, p05, p95 } = intervalleDesTirages(valeurs);
    return { politique, indicateur, perimetre_type, perimetre_id, moyenne, p05, p95, observe: observes[cle] ?? null };
  });
}

/**
 * Two policies side by side: per measure, the difference B − A run by run (run k of both policies starts from the
 * same seed, so the arrivals, radiations and vacancies of the year are the same draws), its mean and interval.
 */
export function lignesDeLaDifference(nom: string, a: readonly MesuresTirage[], b: readonly MesuresTirage[]): LigneSimulation[] {
  const differences: MesuresTirage[] = a.map((ta, k) => {
    const tb = b[k] ?? {};
    const d: MesuresTirage = {};
    for (const cle of Object.keys(ta)) if (tb[cle] !== undefined) d[cle] = tb[cle]! - ta[cle]!;
    return d;
  });
  return lignesDeLaPolitique(nom, differences);
}
