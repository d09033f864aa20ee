import { formatTaux } from '../format/francais.ts';
import type { EcartContingent, EffetsCandidat, RegleListe } from './liste.ts';

/**
 * A CALEOL list in words, for the page and the agenda's documents alike (one wording, docs/caleol.md): what a
 * candidate would bring to the targets (the engine's counting rules) and the names of the CIA's list rules.
 */

export function effetsEnMots(e: EffetsCandidat): string {
  const mots: string[] = [];
  if (e.hors_qpv_q1) mots.push('objectif hors QPV (1er quartile ou relogé), au bail');
  if (e.qpv_hors_q1) mots.push('objectif QPV (quartiles 2 à 4)');
  if (e.prioritaires) mots.push('part de prioritaires du contingent');
  if (e.mutations) mots.push('mutations');
  if (e.travailleurs_essentiels) mots.push('travailleurs essentiels');
  return mots.length === 0 ? 'aucun objectif' : mots.join(' ; ');
}

export const LIBELLES_REGLE_LISTE: Readonly<Record<RegleListe, string>> = {
  q1_hors_qpv: 'Premier quartile hors QPV',
  prioritaire_contingent_etat: 'Prioritaire sur le contingent de l’État',
};

/** What the commission must check by hand (a rule the data did not let Mixité check). */
export function nonVerifieEnMots(nonVerifie: readonly ('plafond' | 'taux_effort')[]): string {
  return nonVerifie.map((x) => (x === 'plafond' ? 'plafond de ressources' : 'taux d’effort')).join(', ');
}

/**
 * The contingent's gap in one sentence (the CLI's and the agenda's wording): its priority proposals of the year,
 * their share, the target and how many priority proposals are still missing.
 */
export function ecartEnMots(e: EcartContingent, libelle: string): string {
  const debut = `Contingent ${libelle}, ${e.periode} : ${e.numerateur} proposition(s) à des prioritaires sur ${e.denominateur}${e.taux === null ? '' : ` (${formatTaux(e.taux)})`}`;
  return e.cible === null ? `${debut}, sans objectif.` : `${debut}, objectif ${formatTaux(e.cible)} : ${e.propositions_prioritaires_manquantes ?? 0} proposition(s) prioritaire(s) manquante(s).`;
}
