import type { LegalIndicatorId } from '../indicators/declarations.ts';
import type { PerimeterType } from '../indicators/perimeter-types.ts';
import type { Echeance } from './calendrier.ts';

/**
 * The CIA's governance (issue 19, seed 000 §IV, seed 004 §III–§V): its instances (the CIL, its technical committee,
 * the commission de coordination, the commissions per QPV…), their meetings with the decisions taken there, and the
 * partners' commitments. Pure types and rules: the store keeps them (data/src/programme/gouvernance.ts), entered
 * through the API, not the programme's workbook (a meeting is an event of the year, not a clause of the convention).
 */

export const GENRES_INSTANCE = ['cil', 'comite_technique', 'commission_coordination', 'commission_qpv', 'caleol', 'groupe_travail', 'autre'] as const;
export type GenreInstance = (typeof GENRES_INSTANCE)[number];
export const LIBELLES_GENRE_INSTANCE: Record<GenreInstance, string> = {
  cil: 'Conférence intercommunale du logement',
  comite_technique: 'Comité technique',
  commission_coordination: 'Commission de coordination',
  commission_qpv: 'Commission QPV',
  caleol: 'CALEOL',
  groupe_travail: 'Groupe de travail',
  autre: 'Autre instance',
};

export interface Instance {
  readonly id: number;
  readonly genre: GenreInstance;
  readonly nom: string;
  /** Its member organisations, written as a fiche's partners (`epci`, `bailleur:B1`, « Action Logement »). */
  readonly membres: readonly string[];
  /** « une fois par an a minima », « deux fois par an »: as the convention says it. */
  readonly frequence: string | null;
}

/** A decision taken in a meeting; `fiches` are the numbers of the fiches action it concerns (possibly none). */
export interface DecisionReunion {
  readonly texte: string;
  readonly fiches: readonly number[];
}

export interface Reunion {
  readonly id: number;
  readonly instance_id: number;
  /** AAAA-MM-JJ. */
  readonly date: string;
  readonly ordre_du_jour: string;
  /** The minutes as text; null until they are written. */
  readonly compte_rendu: string | null;
  /** Documents presented (« bilan 2023 de la CIA, édition publique »). */
  readonly documents: readonly string[];
  readonly decisions: readonly DecisionReunion[];
  /** The organisations present (attendance), written as members. */
  readonly presents: readonly string[];
  /** Who recorded it last, and when (ISO instant). */
  readonly auteur: string;
  readonly date_modification: string;
}

export const STATUTS_ENGAGEMENT = ['a_tenir', 'en_cours', 'tenu', 'non_tenu', 'abandonne'] as const;
export type StatutEngagement = (typeof STATUTS_ENGAGEMENT)[number];
export const LIBELLES_STATUT_ENGAGEMENT: Record<StatutEngagement, string> = {
  a_tenir: 'À tenir',
  en_cours: 'En cours',
  tenu: 'Tenu',
  non_tenu: 'Non tenu',
  abandonne: 'Abandonné',
};
/** A commitment in one of these states is closed: its due date past is no longer a delay. */
export const ENGAGEMENT_CLOS: ReadonlySet<StatutEngagement> = new Set(['tenu', 'non_tenu', 'abandonne']);

/** A quantified commitment (seed 004 §V: « 25 % des attributions hors QPV au 1er quartile ») reads an indicator the engine computes. */
export interface CibleEngagement {
  readonly indicateur: LegalIndicatorId;
  readonly perimetre_type: PerimeterType;
  /** Null for the territory. */
  readonly perimetre_id: string | null;
  /** The rate committed to, between 0 and 1. */
  readonly cible: number;
}

export interface Engagement {
  readonly id: number;
  /** The partner committed, written as a fiche's partner (`bailleur:B1`, `etat`, « SIAO »). */
  readonly partenaire: string;
  /** The fiche action it serves; null for a commitment of the convention outside any fiche. */
  readonly fiche: number | null;
  readonly libelle: string;
  /** AAAA-MM-JJ, null for a commitment for the convention's whole length. */
  readonly echeance: string | null;
  readonly statut: StatutEngagement;
  /** Null for a qualitative commitment. */
  readonly quantifie: CibleEngagement | null;
  readonly auteur: string;
  readonly date_modification: string;
}

/** Whether an account of this role and perimeter speaks for the partner written so (its own commitments). */
export function compteDuPartenaire(partenaire: string, role: string, perimetre: string | null): boolean {
  if (partenaire === 'epci' || partenaire === 'etat') return partenaire === role;
  return perimetre !== null && partenaire === `${role}:${perimetre}`;
}

/**
 * The commitments due in year N as dated obligations of the calendar (genre `engagement`): one event per commitment
 * with a due date in the year, late on the dashboard when its day is past and it is not closed (the caller's rule).
 */
export function echeancesEngagements(annee: number, engagements: readonly Engagement[]): (Echeance & { readonly engagement: number })[] {
  return engagements
    .filter((e) => e.echeance !== null && e.echeance.startsWith(`${annee}-`))
    .map((e) => ({
      date: e.echeance as string,
      obligation: `Engagement de ${e.partenaire} — ${e.libelle}`,
      source: e.fiche === null ? 'Engagement des partenaires de la convention' : `Engagement des partenaires, fiche action ${e.fiche}`,
      genre: 'engagement' as const,
      ...(e.fiche === null ? {} : { fiche: e.fiche }),
      engagement: e.id,
    }))
    .sort((a, b) => a.date.localeCompare(b.date) || a.engagement - b.engagement);
}
