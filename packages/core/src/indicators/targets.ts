import type { CiaConfig, PerimeterType } from '../config/cia-config.ts';
import { decimalDigits, toScaled } from '../quartile/exact.ts';
import type { LegalIndicatorDeclaration, LegalIndicatorId } from './declarations.ts';
import { LEGAL_INDICATORS, isLegalIndicatorId } from './declarations.ts';
import type { PeriodeId } from './periods.ts';
import type { Perimetre, TypeContingent } from './perimeters.ts';

/**
 * One row of indicateurs.csv (DATA-FORMAT.md "Indicator export"), unmasked: the internal computations.
 * `taux` is null when the denominator is 0; `ecart` and `atteint` are null without a target or a rate.
 */
export interface IndicatorRow {
  readonly indicateur: LegalIndicatorId;
  readonly perimetre_type: PerimeterType;
  readonly perimetre_id: string;
  readonly periode: PeriodeId;
  readonly numerateur: number;
  readonly denominateur: number;
  readonly taux: number | null;
  readonly cible: number | null;
  readonly ecart: number | null;
  readonly atteint: boolean | null;
}

/** The columns of indicateurs.csv, in order: part of the contract, never renamed (added columns: see export.ts). */
export const INDICATOR_EXPORT_COLUMNS = [
  'indicateur',
  'perimetre_type',
  'perimetre_id',
  'periode',
  'numerateur',
  'denominateur',
  'taux',
  'cible',
  'ecart',
  'atteint',
] as const;

type TargetConfig = Pick<CiaConfig, 'cibles' | 'cibles_par_perimetre'>;

/**
 * The target of an indicator on a perimeter, from the CIA configuration:
 * 1. an override of `cibles_par_perimetre` for this indicator, perimeter type and id (a null override removes the target);
 * 2. for a contingent, an override on its contingent type (`type_contingent`), so a CIA can set one rate for all
 *    the communes' contingents;
 * 3. the default key of the declaration, where it applies (`perimetresCibles`): for `prioritaires`, only
 *    contingents and contingent types, the State's priority contingent taking `etat_prioritaires` (100 %) and
 *    every other contingent, a bailleur's non-reserved stock included, `prioritaires` (25 %). A declaration
 *    whose key the configuration does not know (one passed to the engine, not yet in cia.yaml's schema) takes
 *    its declared default.
 */
export function resoudreCible(
  config: TargetConfig,
  indicateur: LegalIndicatorId,
  perimetre: Perimetre,
  declaration: LegalIndicatorDeclaration = LEGAL_INDICATORS[indicateur],
): number | null {
  const override = (type: PerimeterType, id: string) =>
    config.cibles_par_perimetre.find((o) => o.indicateur === indicateur && o.perimetre_type === type && o.perimetre_id === id);
  const exact = override(perimetre.type, perimetre.id);
  if (exact) return exact.cible;
  const typeContingent = typeContingentDe(perimetre);
  if (perimetre.type === 'contingent' && typeContingent) {
    const parType = override('type_contingent', typeContingent);
    if (parType) return parType.cible;
  }
  if (!declaration.perimetresCibles.includes(perimetre.type)) return null;
  const parType = typeContingent ? declaration.ciblesParTypeContingent[typeContingent] : undefined;
  const [key, defaut] = parType ? [parType.cle, parType.defaut] : [declaration.id, declaration.cibleParDefaut];
  const cibles: Readonly<Record<string, number | null>> = config.cibles;
  return key in cibles ? (cibles[key] ?? null) : defaut;
}

function typeContingentDe(perimetre: Perimetre): TypeContingent | null {
  if (perimetre.type === 'type_contingent') return perimetre.id as TypeContingent;
  if (perimetre.type === 'contingent') return perimetre.typeContingent ?? null;
  return null;
}

/** Overrides of cibles_par_perimetre that name no known indicator (reported, never silently ignored). */
export function ciblesInconnues(config: TargetConfig, declarations?: readonly LegalIndicatorDeclaration[]): readonly string[] {
  const connu = (id: string) => (declarations ? declarations.some((d) => d.id === id) : isLegalIndicatorId(id));
  return config.cibles_par_perimetre.filter((o) => !connu(o.indicateur)).map((o) => o.indicateur);
}

/**
 * Rate, gap to the target and whether it is met. `atteint` is decided exactly (numerateur × 10^k ≥
 * cible × 10^k × denominateur in integers), so a rate exactly at the target is met.
 */
export function evaluer(numerateur: number, denominateur: number, cible: number | null): Pick<IndicatorRow, 'taux' | 'ecart' | 'atteint'> {
  if (denominateur <= 0) return { taux: null, ecart: null, atteint: null };
  const taux = numerateur / denominateur;
  if (cible === null) return { taux, ecart: null, atteint: null };
  const { scale, scaled } = cibleEntiere(cible);
  const gauche = numerateur * scale;
  const droite = scaled * denominateur;
  if (Number.isSafeInteger(gauche) && Number.isSafeInteger(droite) && Number.isSafeInteger(denominateur * scale)) {
    // Exact integers: one division, so the gap is correctly rounded (0.3 − 0.25 gives 0.05, not 0.04999…).
    return { taux, ecart: (gauche - droite) / (denominateur * scale), atteint: gauche >= droite };
  }
  const g = BigInt(numerateur) * BigInt(scale);
  const d = BigInt(scaled) * BigInt(denominateur);
  return { taux, ecart: Number(g - d) / Number(BigInt(denominateur) * BigInt(scale)), atteint: g >= d };
}

/** A target as an integer over a power of ten (0.81 → 81 / 100), memoized: the engine evaluates many rows per target. */
const ciblesEntieres = new Map<number, { scale: number; scaled: number }>();
function cibleEntiere(cible: number): { scale: number; scaled: number } {
  let entry = ciblesEntieres.get(cible);
  if (!entry) {
    const digits = decimalDigits(cible);
    entry = { scale: 10 ** digits, scaled: Number(toScaled(cible, digits)) };
    ciblesEntieres.set(cible, entry);
  }
  return entry;
}

/** Builds a full row from counts and the configuration. */
export function ligneIndicateur(
  config: TargetConfig,
  indicateur: LegalIndicatorId,
  perimetre: Perimetre,
  periode: PeriodeId,
  numerateur: number,
  denominateur: number,
): IndicatorRow {
  const cible = resoudreCible(config, indicateur, perimetre);
  const { taux, ecart, atteint } = evaluer(numerateur, denominateur, cible);
  return { indicateur, perimetre_type: perimetre.type, perimetre_id: perimetre.id, periode, numerateur, denominateur, taux, cible, ecart, atteint };
}

/**
 * Whether a rate rests on too few households to be judged (`effectif_minimum` of the CIA settings):
 * 0 < denominator < minimum. Null when the denominator is unknown (masked by the statistical secrecy), false when
 * nothing was counted (no rate). The screen and the documents mark such a rate « faible effectif ».
 */
export function faibleEffectif(denominateur: number | null, minimum: number): boolean | null {
  if (denominateur === null) return null;
  return denominateur > 0 && denominateur < minimum;
}

type JugementConfig = Pick<CiaConfig, 'effectif_minimum' | 'compter_faibles_effectifs'>;

/**
 * How a row counts in a summary (« n périmètres sur m atteignent leur cible »): its `atteint`, or null — not
 * counted among the met nor the missed — when its rate rests on a low count and the CIA chose not to count those
 * (`compter_faibles_effectifs`, false by default). `atteint` itself is never changed: the row keeps its verdict.
 */
export function atteintDansLesSyntheses(row: { readonly denominateur: number | null; readonly atteint: boolean | null }, config: JugementConfig): boolean | null {
  if (row.atteint === null) return null;
  if (!config.compter_faibles_effectifs && faibleEffectif(row.denominateur, config.effectif_minimum) === true) return null;
  return row.atteint;
}

/**
 * The same rule as a predicate over rows, for the lagging lists' hook (`OptionsRetards.faibleEffectif` in
 * retards.ts): true when a row is left out of the met and the missed. The bilan and the dashboard must pass the same
 * one, built from the same settings, for their counts to agree.
 */
export const horsDesSyntheses =
  (config: JugementConfig) =>
  (row: { readonly denominateur: number | null }): boolean =>
    !config.compter_faibles_effectifs && faibleEffectif(row.denominateur, config.effectif_minimum) === true;
