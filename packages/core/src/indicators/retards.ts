import { decimalDigits, toScaled } from '../quartile/exact.ts';
import type { LegalIndicatorDeclaration } from './declarations.ts';
import type { PerimeterType } from './perimeter-types.ts';

/**
 * The lagging list (issue 12, item 4): for each target, the partners behind it, sorted by the number of households
 * missing to reach it, with the status over the last semester and the twelve months the préfet reads (3DS law:
 * a bailleur in deficit over a semester may see the préfet make its allocations). Pure: it reads indicator rows
 * (the engine's, or the published ones where masked figures are null) and says nothing the rows do not say.
 * A count of perimeters (how many bailleurs are behind) is not a count of households: it may be published.
 */

/** What the lagging list reads of an indicator row: the engine's rows, the API's and the published ones fit. */
export interface LigneJugee {
  readonly indicateur: string;
  readonly perimetre_type: string;
  readonly perimetre_id: string;
  readonly periode: string;
  /** Null where the statistical secrecy masks it. */
  readonly numerateur: number | null;
  readonly denominateur: number | null;
  readonly cible: number | null;
  readonly atteint: boolean | null;
}

/** The standing of one perimeter over one period. */
export type Statut =
  | { readonly kind: 'atteint'; readonly numerateur: number; readonly denominateur: number }
  | { readonly kind: 'non_atteint'; readonly numerateur: number; readonly denominateur: number; readonly manquants: number }
  /** The secrecy masks the figures: neither behind nor met. */
  | { readonly kind: 'masque' }
  /** Too few to judge (the « faible effectif » mark of the caller's rule): neither behind nor met. */
  | { readonly kind: 'faible_effectif'; readonly numerateur: number; readonly denominateur: number }
  /** No row, no denominator or no target over the period. */
  | { readonly kind: 'sans_objet' };

export interface Retard {
  readonly perimetre_type: string;
  readonly perimetre_id: string;
  /** The calendar year: the CIA's targets are annual. */
  readonly annee: Statut;
  readonly semestre: Statut;
  readonly glissant: Statut;
}

export interface RetardsDeLObjectif {
  readonly indicateur: string;
  readonly perimetre_type: string;
  /** Behind over the year, or over the last semester only, most households missing first. */
  readonly retards: readonly Retard[];
  /** Perimeters judged over the year (met or behind), behind over the year, behind over the last semester. */
  readonly juges: number;
  readonly en_retard: number;
  readonly en_retard_semestre: number;
  /** Perimeters with a target whose year figures are masked, or too few to judge: counted apart. */
  readonly masques: number;
  readonly faibles: number;
}

export interface PeriodesDuSuivi {
  readonly annee: string;
  /** The last semester with data (`2024-S2`, else `2024-S1`) and the twelve months ending with it. */
  readonly semestre: string;
  readonly glissant: string;
}

export interface OptionsRetards {
  /**
   * Hook for the « faible effectif » mark (issue 12, item 3): a row it flags is not counted among the met or the
   * missed. None by default (every row with a denominator is judged).
   */
  readonly faibleEffectif?: (row: LigneJugee) => boolean;
}

/**
 * Households missing for a rate to reach its target: ceil(cible × denominateur) − numerateur, 0 when met. Exact:
 * the target is read as an integer over a power of ten (0.81 = 81 / 100), as `evaluer` decides `atteint`.
 */
export function menagesManquants(numerateur: number, denominateur: number, cible: number): number {
  const digits = decimalDigits(cible);
  const scale = 10n ** BigInt(digits);
  const produit = toScaled(cible, digits) * BigInt(denominateur);
  const requis = (produit + scale - 1n) / scale;
  const manque = requis - BigInt(numerateur);
  return manque > 0n ? Number(manque) : 0;
}

/** The perimeter types of a target's lagging list: the contingents for a target judged per contingent, else bailleurs, communes and QPV. */
export function typesDesRetards(declaration: Pick<LegalIndicatorDeclaration, 'presentation' | 'champ'>): readonly PerimeterType[] {
  if (declaration.presentation.jugement === 'contingent') return ['contingent'];
  return declaration.champ === 'qpv' ? ['bailleur', 'commune', 'qpv'] : ['bailleur', 'commune'];
}

/** The periods of the follow-up of a year: the second semester when it has proposals or leases, else the first. */
export function periodesDuSuivi(annee: number, rows: readonly LigneJugee[]): PeriodesDuSuivi {
  const s2 = `${annee}-S2`;
  const avecS2 = rows.some((r) => r.perimetre_type === 'territoire' && r.periode === s2 && (r.denominateur ?? 0) > 0);
  return avecS2 ? { annee: String(annee), semestre: s2, glissant: `12m-${annee}-12-31` } : { annee: String(annee), semestre: `${annee}-S1`, glissant: `12m-${annee}-06-30` };
}

/** The standing of a row (null: no row). */
export function statutDeLaLigne(row: LigneJugee | null | undefined, options: OptionsRetards = {}): Statut {
  if (!row || row.cible === null || row.denominateur === 0) return { kind: 'sans_objet' };
  if (row.numerateur === null || row.denominateur === null || row.atteint === null) return { kind: 'masque' };
  const { numerateur, denominateur } = row;
  if (options.faibleEffectif?.(row)) return { kind: 'faible_effectif', numerateur, denominateur };
  if (row.atteint) return { kind: 'atteint', numerateur, denominateur };
  return { kind: 'non_atteint', numerateur, denominateur, manquants: menagesManquants(numerateur, denominateur, row.cible) };
}

const manquantsDe = (s: Statut): number => (s.kind === 'non_atteint' ? s.manquants : 0);

/**
 * The lagging list of one target on one perimeter type: every perimeter behind over the year or over the last
 * semester, the most households missing over the year first, then over the semester, then by id (a stable order).
 */
export function retardsDeLObjectif(indicateur: string, perimetreType: string, rows: readonly LigneJugee[], periodes: PeriodesDuSuivi, options: OptionsRetards = {}): RetardsDeLObjectif {
  const parPerimetre = new Map<string, Map<string, LigneJugee>>();
  for (const r of rows) {
    if (r.indicateur !== indicateur || r.perimetre_type !== perimetreType) continue;
    if (r.periode !== periodes.annee && r.periode !== periodes.semestre && r.periode !== periodes.glissant) continue;
    let parPeriode = parPerimetre.get(r.perimetre_id);
    if (!parPeriode) parPerimetre.set(r.perimetre_id, (parPeriode = new Map()));
    parPeriode.set(r.periode, r);
  }
  const retards: Retard[] = [];
  let juges = 0;
  let masques = 0;
  let faibles = 0;
  let enRetardSemestre = 0;
  for (const [id, parPeriode] of parPerimetre) {
    const retard: Retard = {
      perimetre_type: perimetreType,
      perimetre_id: id,
      annee: statutDeLaLigne(parPeriode.get(periodes.annee), options),
      semestre: statutDeLaLigne(parPeriode.get(periodes.semestre), options),
      glissant: statutDeLaLigne(parPeriode.get(periodes.glissant), options),
    };
    if (retard.annee.kind === 'atteint' || retard.annee.kind === 'non_atteint') juges += 1;
    if (retard.annee.kind === 'masque') masques += 1;
    if (retard.annee.kind === 'faible_effectif') faibles += 1;
    if (retard.semestre.kind === 'non_atteint') enRetardSemestre += 1;
    if (retard.annee.kind === 'non_atteint' || retard.semestre.kind === 'non_atteint') retards.push(retard);
  }
  retards.sort(
    (a, b) =>
      manquantsDe(b.annee) - manquantsDe(a.annee) ||
      manquantsDe(b.semestre) - manquantsDe(a.semestre) ||
      (a.perimetre_id < b.perimetre_id ? -1 : a.perimetre_id > b.perimetre_id ? 1 : 0),
  );
  return {
    indicateur,
    perimetre_type: perimetreType,
    retards,
    juges,
    en_retard: retards.filter((r) => r.annee.kind === 'non_atteint').length,
    en_retard_semestre: enRetardSemestre,
    masques,
    faibles,
  };
}

/** The lagging list of every target with a target somewhere: per declaration, one list per perimeter type of `typesDesRetards`. */
export function retardsDesObjectifs(
  declarations: readonly Pick<LegalIndicatorDeclaration, 'id' | 'presentation' | 'champ'>[],
  rows: readonly LigneJugee[],
  periodes: PeriodesDuSuivi,
  options: OptionsRetards = {},
): RetardsDeLObjectif[] {
  const out: RetardsDeLObjectif[] = [];
  for (const d of declarations) {
    for (const type of typesDesRetards(d)) {
      const liste = retardsDeLObjectif(d.id, type, rows, periodes, options);
      if (liste.juges + liste.masques + liste.faibles > 0 || liste.retards.length > 0) out.push(liste);
    }
  }
  return out;
}
