import type { PoidsUc } from './quartile.ts';
import { poidsEntiers } from './quartile.ts';

/**
 * The quartile rules of quartile.ts as DuckDB SQL fragments, so that the store computes exactly what the
 * pure functions compute (a property test in packages/data checks the two agree on random households).
 * Money goes to BIGINT cents through DECIMAL(18,2), the UC weights are scaled integers, and the Q1 test
 * compares two integer products (BIGINT when the weights keep them in range, else HUGEINT): no
 * floating point at the threshold.
 */

/** SQL expressions of a household's fields (column names or any expression). */
export interface MenageSql {
  readonly ressources: string;
  readonly nbPersonnes: string;
  readonly nbMoins14: string;
}

/** SQL expressions of the quartile limits, in BIGINT cents per UC per year (NULL when unknown). */
export interface LimitesSql {
  readonly seuilQ1: string;
  readonly mediane: string;
  readonly q3: string;
}

export interface QuartileSql {
  /** Decimal digits of the scaled UC. */
  readonly echelle: number;
  /** The integer type wide enough for the products (BIGINT for sensible weights, else HUGEINT). */
  readonly entier: 'BIGINT' | 'HUGEINT';
  /** Money (a DECIMAL, an integer or a decimal literal) in BIGINT cents, rounded like DECIMAL(18,2). */
  centimes(expression: string): string;
  /** UC × 10^echelle as BIGINT; NULL when nb_personnes is unknown or below 1. */
  ucEntieres(menage: MenageSql): string;
  /** Annual resources × 10^echelle in cents: ressources_cents × 12 × 10^echelle. */
  ressourcesEntieres(menage: MenageSql): string;
  /** Annual resources per UC as DOUBLE (display only). */
  ressourcesParUc(menage: MenageSql): string;
  /** Annual resources per UC in cents, rounded half up, exactly (the values the quartile limits are computed on). */
  ressourcesParUcCentimes(menage: MenageSql): string;
  /** Resources per UC at or below a limit given in cents (BOOLEAN, NULL when unknown). */
  auPlusLaLimite(menage: MenageSql, limiteCentimes: string): string;
  /** The same from precomputed `ressourcesEntieres` and `ucEntieres` expressions (columns of a previous step). */
  auPlusLaLimiteEntiers(ressourcesEntieres: string, ucEntieres: string, limiteCentimes: string): string;
  /** Quartile 1–4 as INTEGER, NULL when a needed limit or field is unknown. */
  quartile(menage: MenageSql, limites: LimitesSql): string;
  /** The same from precomputed `ressourcesEntieres` and `ucEntieres` expressions. */
  quartileEntiers(ressourcesEntieres: string, ucEntieres: string, limites: LimitesSql): string;
}

/** Bounds of the canonical format (files.ts): resources ≤ 1 000 000 €/month, household ≤ 20 persons. */
const RESSOURCES_MAX_CENTIMES = 100_000_000n;
const PERSONNES_MAX = 20n;
/** A limit per UC can reach resources × 12 per UC of the smallest household (computed limits are not capped). */
const BIGINT_MAX = 2n ** 63n - 1n;

export function quartileSql(poids: PoidsUc): QuartileSql {
  const p = poidsEntiers(poids);
  const scale = 10n ** BigInt(p.echelle);
  // Widest products: resources × 12 × 10^k, and a limit (at most the largest resources per UC) × the largest UC.
  const ucMax = p.premiere_personne + (PERSONNES_MAX - 1n) * (p.autre_14_ans_et_plus > p.moins_14_ans ? p.autre_14_ans_et_plus : p.moins_14_ans);
  const limiteMax = (RESSOURCES_MAX_CENTIMES * 12n * scale) / (p.premiere_personne > 0n ? p.premiere_personne : 1n);
  const entier = RESSOURCES_MAX_CENTIMES * 12n * scale < BIGINT_MAX && limiteMax * ucMax < BIGINT_MAX ? 'BIGINT' : 'HUGEINT';
  const centimes = (expression: string) => `CAST(CAST(${expression} AS DECIMAL(18,2)) * 100 AS BIGINT)`;
  const ucEntieres = (m: MenageSql) => {
    const n = `CAST(${m.nbPersonnes} AS BIGINT)`;
    // The first person is the applicant: at most n − 1 children under 14 (enfantsComptes in quartile.ts).
    const enfants = `least(greatest(coalesce(CAST(${m.nbMoins14} AS BIGINT), 0), 0), ${n} - 1)`;
    return `(CASE WHEN ${n} >= 1 THEN ${p.premiere_personne} + (${n} - 1 - ${enfants}) * ${p.autre_14_ans_et_plus} + ${enfants} * ${p.moins_14_ans} END)`;
  };
  const ressourcesEntieres = (m: MenageSql) => `(CAST(${centimes(m.ressources)} AS ${entier}) * ${12n * scale})`;
  const auPlusLaLimiteEntiers = (r: string, uc: string, limite: string) => `(${r} <= CAST(${limite} AS ${entier}) * ${uc})`;
  const quartileEntiers = (r: string, uc: string, l: LimitesSql) => {
    const le = (limite: string) => auPlusLaLimiteEntiers(r, uc, limite);
    return (
      `(CASE WHEN ${le(l.seuilQ1)} IS NULL THEN NULL WHEN ${le(l.seuilQ1)} THEN 1` +
      ` WHEN ${le(l.mediane)} IS NULL THEN NULL WHEN ${le(l.mediane)} THEN 2` +
      ` WHEN ${le(l.q3)} IS NULL THEN NULL WHEN ${le(l.q3)} THEN 3 ELSE 4 END)`
    );
  };
  return {
    echelle: p.echelle,
    entier,
    centimes,
    ucEntieres,
    ressourcesEntieres,
    ressourcesParUc: (m) => `(CAST(${centimes(m.ressources)} AS DOUBLE) * 12 / 100 / (CAST(${ucEntieres(m)} AS DOUBLE) / ${scale}))`,
    ressourcesParUcCentimes: (m) => `((2 * ${ressourcesEntieres(m)} + ${ucEntieres(m)}) // (2 * ${ucEntieres(m)}))`,
    auPlusLaLimite: (m, limite) => auPlusLaLimiteEntiers(ressourcesEntieres(m), ucEntieres(m), limite),
    auPlusLaLimiteEntiers,
    quartile: (m, l) => quartileEntiers(ressourcesEntieres(m), ucEntieres(m), l),
    quartileEntiers,
  };
}
