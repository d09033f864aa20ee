import type { LegalIndicatorId, PerimeterType, PublishedIndicatorRow } from '@mixite/core';
import { LEGAL_INDICATORS, TERRITOIRE_ID } from '@mixite/core';
import type { BilanDonnees } from '../donnees/collecte.ts';
import type { Publies } from '../donnees/publies.ts';
import type { RegistreSecret } from '../secret/registre.ts';
import type { Cellule } from './modele.ts';
import { SECRET, VIDE, nombre, taux } from './modele.ts';
import type { Redacteur } from './redacteur.ts';

/** What every section reads: the data, the published indicators, the masked counts, and the document being written. */
export interface Contexte {
  readonly donnees: BilanDonnees;
  readonly publies: Publies;
  readonly comptes: RegistreSecret;
  readonly r: Redacteur;
}

/** Short column names of each indicator's numerator and denominator (the declarations hold the full definitions). */
export const NOMS_COURTS: Record<
  LegalIndicatorId,
  { readonly titre: string; readonly numerateur: string; readonly denominateur: string; /** « 8 sur 24 … » */ readonly unite: string }
> = {
  hors_qpv_q1: { titre: 'Baux hors QPV au 1er quartile ou relogés', numerateur: 'Baux Q1 ou relogés', denominateur: 'Baux hors QPV', unite: 'baux hors QPV' },
  qpv_hors_q1: { titre: 'Propositions en QPV aux quartiles 2 à 4', numerateur: 'Propositions Q2 à Q4', denominateur: 'Propositions en QPV', unite: 'propositions en QPV' },
  qpv_q3_q4: { titre: 'Propositions en QPV aux quartiles 3 et 4', numerateur: 'Propositions Q3 et Q4', denominateur: 'Propositions en QPV', unite: 'propositions en QPV' },
  prioritaires: { titre: 'Propositions aux ménages prioritaires', numerateur: 'Propositions à des prioritaires', denominateur: 'Propositions', unite: 'propositions' },
  mutations: { titre: 'Propositions aux demandeurs de mutation', numerateur: 'Propositions en mutation', denominateur: 'Propositions', unite: 'propositions' },
  travailleurs_essentiels: {
    titre: 'Propositions aux travailleurs essentiels',
    numerateur: 'Propositions à des travailleurs essentiels',
    denominateur: 'Propositions',
    unite: 'propositions',
  },
};

/** The territory row of an indicator for a period id. */
export function territoire(ctx: Contexte, indicateur: LegalIndicatorId, periode: string): PublishedIndicatorRow | null {
  return ctx.publies.ligne(indicateur, 'territoire', TERRITOIRE_ID, periode);
}

/** Whether the indicator has a target somewhere in the year (on the territory or on any perimeter). */
export function aUneCible(ctx: Contexte, indicateur: LegalIndicatorId, type?: PerimeterType): boolean {
  const annee = ctx.donnees.parAnnee.get(ctx.donnees.annee);
  return (annee?.publies ?? []).some((r) => r.indicateur === indicateur && r.cible !== null && (type === undefined || r.perimetre_type === type));
}

/** The perimeter types whose cells sum to the territory for this indicator (QPV only for the QPV-counted ones). */
export function dimensionsDe(indicateur: LegalIndicatorId): readonly PerimeterType[] {
  return LEGAL_INDICATORS[indicateur].champ === 'qpv'
    ? ['type_contingent', 'contingent', 'bailleur', 'commune', 'qpv']
    : ['type_contingent', 'contingent', 'bailleur', 'commune'];
}

/** Cells of a published row: numerator, denominator, rate, target, gap, met. « s » where masked, « – » where not applicable. */
export function cellulesIndicateur(row: PublishedIndicatorRow | null): Cellule[] {
  if (!row) return [VIDE, VIDE, VIDE, VIDE, VIDE, VIDE];
  return [nombre(row.numerateur), nombre(row.denominateur), tauxDe(row), cibleDe(row), ecartDe(row), atteintDe(row)];
}

/** The rate of a row: « – » for an empty denominator, « s » when masked. */
export function tauxDe(row: PublishedIndicatorRow | null): Cellule {
  if (!row || row.denominateur === 0) return VIDE;
  return taux(row.taux);
}

export const cibleDe = (row: PublishedIndicatorRow | null): Cellule => (row?.cible === null || !row ? VIDE : taux(row.cible));

export function ecartDe(row: PublishedIndicatorRow | null): Cellule {
  if (!row || row.cible === null || row.denominateur === 0) return VIDE;
  return row.ecart === null ? SECRET : { kind: 'points', valeur: row.ecart };
}

export function atteintDe(row: PublishedIndicatorRow | null): Cellule {
  if (!row || row.cible === null || row.denominateur === 0) return VIDE;
  return row.atteint === null ? SECRET : { kind: 'booleen', valeur: row.atteint };
}
