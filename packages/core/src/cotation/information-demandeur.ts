import { formatEntier, formatNombre } from '../format/francais.ts';
import { champ } from './champs.ts';

/**
 * What the law requires a demandeur be told (L441-2-8 CCH): the note, how it is made, the positioning among similar
 * requests and the average waiting time of similar requests — in plain French, written once for the request view of
 * the Cotation page and the applicant's letter (packages/reports/src/lettre).
 */

export interface CotationAExpliquer {
  readonly note: number;
  readonly rang: number;
  readonly nb_similaires: number;
  readonly delai_moyen_jours: number | null;
  readonly nb_satisfaites_similaires: number;
  readonly cle_similarite: Readonly<Record<string, string | number | boolean | null>>;
  readonly lignes: readonly { readonly libelle: string; readonly points: number }[];
}

/** The words of a field of the similarity key (its label without the technical precision in parentheses). */
function nomDuChamp(nom: string): string {
  const LIBELLES: Record<string, string> = {
    typologie_min: 'le même nombre de pièces minimal souhaité',
    typologie_max: 'le même nombre de pièces maximal souhaité',
    commune_1: 'la même première commune souhaitée',
    composition: 'la même composition familiale',
    nb_personnes: 'le même nombre de personnes',
    mutation: 'la même situation (déjà locataire HLM ou non)',
  };
  return LIBELLES[nom] ?? `la même valeur de « ${(champ(nom)?.libelle ?? nom).replace(/\s*\(.*\)$/, '')} »`;
}

const valeur = (v: string | number | boolean | null) => (v === null ? 'inconnue' : typeof v === 'boolean' ? (v ? 'oui' : 'non') : String(v));

/** « les demandes actives qui ont le même nombre de pièces minimal souhaité (3) et la même première commune souhaitée (91228) ». */
export function similairesEnMots(cle: CotationAExpliquer['cle_similarite']): string {
  const parts = Object.entries(cle).map(([nom, v]) => `${nomDuChamp(nom)} (${valeur(v)})`);
  if (parts.length === 0) return 'toutes les demandes actives du territoire';
  const liste = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} et ${parts.at(-1)}`;
  return `les demandes actives qui ont ${liste}`;
}

/** « 2e sur 14 demandes similaires » with ties said. */
export function positionnementEnMots(c: Pick<CotationAExpliquer, 'rang' | 'nb_similaires'>): string {
  const rang = c.rang === 1 ? '1re' : `${formatEntier(c.rang)}e`;
  return `${rang} sur ${formatEntier(c.nb_similaires)} demande${c.nb_similaires > 1 ? 's' : ''} similaire${c.nb_similaires > 1 ? 's' : ''} (à note égale, le même rang)`;
}

/** « 14,2 mois (433 jours), moyenne de 12 demandes similaires satisfaites dans les douze derniers mois ». */
export function delaiEnMots(c: Pick<CotationAExpliquer, 'delai_moyen_jours' | 'nb_satisfaites_similaires'>): string {
  if (c.delai_moyen_jours === null || c.nb_satisfaites_similaires === 0) {
    return 'non connu : aucune demande similaire n’a été satisfaite dans les douze derniers mois';
  }
  const mois = Math.round((c.delai_moyen_jours / 30.4375) * 10) / 10;
  return (
    `${formatNombre(mois)} mois (${formatEntier(c.delai_moyen_jours)} jours), moyenne des ${formatEntier(c.nb_satisfaites_similaires)} ` +
    `demande${c.nb_satisfaites_similaires > 1 ? 's' : ''} similaire${c.nb_satisfaites_similaires > 1 ? 's' : ''} satisfaite${c.nb_satisfaites_similaires > 1 ? 's' : ''} dans les douze derniers mois`
  );
}

/** The points line by line: « DALO : +40 ». */
export const pointsEnMots = (l: { readonly libelle: string; readonly points: number }): string =>
  `${l.libelle} : ${l.points > 0 ? '+' : l.points < 0 ? '\u2212' : ''}${formatNombre(Math.abs(l.points))} point${Math.abs(l.points) > 1 ? 's' : ''}`;
