import type { LegalIndicatorId } from '../indicators/declarations.ts';
import type { PerimeterType } from '../indicators/perimeter-types.ts';

/**
 * The CIA's action programme (issue 19, seed 000 §III–§IV, seed 004 §III–§V): the convention's dates, its fiches
 * action and, per year, what became of each. Pure types: the store (data/src/programme) keeps them, the spreadsheet
 * (tableur.ts) reads and writes them, the calendar (calendrier.ts) dates what they and the law require.
 */

/** The convention itself: its years bound every step of a fiche, its settings date some obligations. */
export interface ConventionProgramme {
  readonly intitule: string;
  /** Signature (or entry into force) of the convention, AAAA-MM-JJ. */
  readonly date_debut: string;
  /** End of the convention, AAAA-MM-JJ (its renewal is an obligation of the calendar). */
  readonly date_fin: string;
  /** Communes in zone A bis, A or B1: the CALEOL examine occupation three years after each lease (L442-5-2 CCH). */
  readonly zone_tendue: boolean;
  /** Day of the year (MM-JJ) by which the annual bilan is presented to the CIL: a local choice (CIA §IV). */
  readonly bilan_cil: string;
  /**
   * Day of the year (MM-JJ) by which the officer checks that the year's arrêté of the first-quartile threshold is
   * published and entered: the arrêté has no fixed date (published between January and spring), hence a setting.
   */
  readonly arrete_q1: string;
}

/** When a step of a fiche falls: a year of the convention (seed 000: « première année »), a calendar year, a day, or every year. */
export type QuandEtape =
  | { readonly genre: 'annee_convention'; readonly rang: number }
  | { readonly genre: 'annee'; readonly annee: number }
  | { readonly genre: 'date'; readonly date: string }
  | { readonly genre: 'annuel' }
  | { readonly genre: 'continu' };

export interface EtapeFiche {
  readonly quand: QuandEtape;
  readonly libelle: string;
}

/** A link to an indicator the engine computes: its id and the perimeter its value is read on. */
export interface LienIndicateur {
  readonly indicateur: LegalIndicatorId;
  readonly perimetre_type: PerimeterType;
  /** Null for the territory. */
  readonly perimetre_id: string | null;
}

/**
 * A partner of a fiche: one with accounts in Mixité (the EPCI, the State, a bailleur, a réservataire, a commune:
 * the comments are signed by them), or any other named body (an association, the CAF, the SIAO).
 */
export type PartenaireFiche =
  | { readonly genre: 'epci' }
  | { readonly genre: 'etat' }
  | { readonly genre: 'bailleur' | 'reservataire' | 'commune'; readonly id: string }
  | { readonly genre: 'autre'; readonly nom: string };

export interface FicheAction {
  /** Its number in the convention (seed 000: fiches 1 to 16). */
  readonly numero: number;
  readonly titre: string;
  readonly orientation: string;
  readonly enjeux: string;
  readonly etapes: readonly EtapeFiche[];
  readonly pilote: PartenaireFiche;
  readonly partenaires: readonly PartenaireFiche[];
  readonly indicateurs: readonly LienIndicateur[];
  /** Follow-up indicators nobody computes (« nombre de réunions du groupe de travail »): their text. */
  readonly indicateurs_qualitatifs: readonly string[];
}

export interface ProgrammeActions {
  readonly convention: ConventionProgramme;
  readonly fiches: readonly FicheAction[];
}

export const STATUTS_FICHE = ['non_commencee', 'en_cours', 'realisee', 'abandonnee'] as const;
export type StatutFiche = (typeof STATUTS_FICHE)[number];
export const LIBELLES_STATUT_FICHE: Record<StatutFiche, string> = {
  non_commencee: 'Non commencée',
  en_cours: 'En cours',
  realisee: 'Réalisée',
  abandonnee: 'Abandonnée',
};

/** The calendar years of a convention, first to last. */
export function anneesConvention(convention: ConventionProgramme): number[] {
  const debut = Number(convention.date_debut.slice(0, 4));
  const fin = Number(convention.date_fin.slice(0, 4));
  return Array.from({ length: Math.max(0, fin - debut + 1) }, (_, i) => debut + i);
}

/** A partner as the spreadsheet and the API write it: `epci`, `etat`, `bailleur:B01`, or a name. */
export function partenaireTexte(p: PartenaireFiche): string {
  switch (p.genre) {
    case 'epci':
    case 'etat':
      return p.genre;
    case 'bailleur':
    case 'reservataire':
    case 'commune':
      return `${p.genre}:${p.id}`;
    case 'autre':
      return p.nom;
  }
}

export function lirePartenaire(texte: string): PartenaireFiche {
  const t = texte.trim();
  if (t === 'epci' || t === 'etat') return { genre: t };
  const m = /^(bailleur|reservataire|commune):(.+)$/.exec(t);
  if (m) return { genre: m[1] as 'bailleur' | 'reservataire' | 'commune', id: (m[2] as string).trim() };
  return { genre: 'autre', nom: t };
}

/** Whether an account of this role and perimeter is the pilot or a partner of the fiche (it may then comment it). */
export function associeALaFiche(fiche: FicheAction, role: string, perimetre: string | null): boolean {
  return [fiche.pilote, ...fiche.partenaires].some((p) => {
    if (p.genre === 'epci' || p.genre === 'etat') return p.genre === role;
    if (p.genre === 'autre') return false;
    return p.genre === role && p.id === perimetre;
  });
}
