import type { LegalIndicatorDeclaration, LegalIndicatorId, PerimeterType, PublishedIndicatorRow } from '@mixite/core';
import { TERRITOIRE_ID, faibleEffectif } from '@mixite/core';
import type { BilanDonnees } from '../donnees/collecte.ts';
import type { Publies } from '../donnees/publies.ts';
import type { RegistreSecret } from '../secret/registre.ts';
import { formaterTauxContreCible } from './format.ts';
import type { Cellule } from './modele.ts';
import { SECRET, VIDE, nombre, taux, texte } from './modele.ts';
import type { Redacteur } from './redacteur.ts';

/** What every section reads: the data, the published indicators, the masked counts, and the document being written. */
export interface Contexte {
  readonly donnees: BilanDonnees;
  readonly publies: Publies;
  readonly comptes: RegistreSecret;
  readonly r: Redacteur;
  /** The legal indicators the bilan presents, in order (core's declarations; a test may pass others). */
  readonly declarations: readonly LegalIndicatorDeclaration[];
}

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
export function dimensionsDe(declaration: LegalIndicatorDeclaration): readonly PerimeterType[] {
  return declaration.champ === 'qpv'
    ? ['type_contingent', 'contingent', 'bailleur', 'commune', 'qpv']
    : ['type_contingent', 'contingent', 'bailleur', 'commune'];
}

/** Cells of a published row: numerator, denominator, rate, target, gap, met. « s » where masked, « – » where not applicable. */
export function cellulesIndicateur(row: PublishedIndicatorRow | null, effectifMinimum?: number): Cellule[] {
  if (!row) return [VIDE, VIDE, VIDE, VIDE, VIDE, VIDE];
  // Too few households to judge (the CIA's effectif_minimum): the verdict is printed, marked « faible effectif ».
  if (effectifMinimum !== undefined && row.atteint !== null && faibleEffectif(row.denominateur, effectifMinimum) === true) {
    return [...cellulesIndicateur(row).slice(0, 5), texte(`${row.atteint ? 'oui' : 'non'} (faible effectif)`)];
  }
  // Rate, target and gap with the decimals that keep them consistent with « atteint » (80,98 % against 81,00 %).
  const { decimales } = formaterTauxContreCible(row.numerateur, row.denominateur, row.cible, row.taux);
  const avec = (c: Cellule): Cellule => (decimales > 1 && (c.kind === 'taux' || c.kind === 'points') ? { ...c, decimales } : c);
  return [nombre(row.numerateur), nombre(row.denominateur), avec(tauxDe(row)), avec(cibleDe(row)), avec(ecartDe(row)), atteintDe(row)];
}

/**
 * The rate of a row: « – » for an empty denominator, « s » when masked; with the decimals that tell it from the row's
 * target when one decimal would print them alike (a semester column beside the year's target, too).
 */
export function tauxDe(row: PublishedIndicatorRow | null): Cellule {
  if (!row || row.denominateur === 0) return VIDE;
  const cellule = taux(row.taux);
  const { decimales } = formaterTauxContreCible(row.numerateur, row.denominateur, row.cible, row.taux);
  return decimales > 1 && cellule.kind === 'taux' ? { ...cellule, decimales } : cellule;
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
