import type { PoidsUc } from './quartile.ts';
import { poidsEntiers } from './quartile.ts';

/**
 * The quartile rules of quartile.ts as DuckDB SQL fragments, so that the store computes exactly what the
 * pure functions compute (a property test in packages/data checks the two agree on random households).
 * Money goes to BIGINT cents through DECIMAL(18,2), the UC weights are scaled integers, and the Q1 test
 * compares two HUGEINT products: no floating point at the threshold.
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
  /** Money (a DECIMAL, an integer or a decimal literal) in BIGINT cents, rounded like DECIMAL(18,2). */
  centimes(expression: string): string;
  /** UC × 10^echelle as BIGINT; NULL when nb_personnes is unknown or below 1. */
  ucEntieres(menage: MenageSql): string;
  /** Annual resources per UC as DOUBLE (display and quantiles only). */
  ressourcesParUc(menage: MenageSql): string;
  /** Resources per UC at or below a limit given in cents (BOOLEAN, NULL when unknown). */
  auPlusLaLimite(menage: MenageSql, limiteCentimes: string): string;
  /** Quartile 1–4 as INTEGER, NULL when a needed limit or field is unknown. */
  quartile(menage: MenageSql, limites: LimitesSql): string;
}

export function quartileSql(poids: PoidsUc): QuartileSql {
  const p = poidsEntiers(poids);
  const scale = 10n ** BigInt(p.echelle);
  const centimes = (expression: string) => `CAST(CAST(${expression} AS DECIMAL(18,2)) * 100 AS BIGINT)`;
  const ucEntieres = (m: MenageSql) => {
    const n = `CAST(${m.nbPersonnes} AS BIGINT)`;
    // The first person is the applicant: at most n − 1 children under 14 (enfantsComptes in quartile.ts).
    const enfants = `least(greatest(coalesce(CAST(${m.nbMoins14} AS BIGINT), 0), 0), ${n} - 1)`;
    return `(CASE WHEN ${n} >= 1 THEN ${p.premiere_personne} + (${n} - 1 - ${enfants}) * ${p.autre_14_ans_et_plus} + ${enfants} * ${p.moins_14_ans} END)`;
  };
  const auPlusLaLimite = (m: MenageSql, limiteCentimes: string) =>
    `(CAST(${centimes(m.ressources)} AS HUGEINT) * ${12n * scale} <= CAST(${limiteCentimes} AS HUGEINT) * ${ucEntieres(m)})`;
  return {
    echelle: p.echelle,
    centimes,
    ucEntieres,
    ressourcesParUc: (m) => `(CAST(${centimes(m.ressources)} AS DOUBLE) * 12 / 100 / (CAST(${ucEntieres(m)} AS DOUBLE) / ${scale}))`,
    auPlusLaLimite,
    quartile: (m, l) =>
      `(CASE WHEN ${auPlusLaLimite(m, l.seuilQ1)} IS NULL THEN NULL WHEN ${auPlusLaLimite(m, l.seuilQ1)} THEN 1` +
      ` WHEN ${auPlusLaLimite(m, l.mediane)} IS NULL THEN NULL WHEN ${auPlusLaLimite(m, l.mediane)} THEN 2` +
      ` WHEN ${auPlusLaLimite(m, l.q3)} IS NULL THEN NULL WHEN ${auPlusLaLimite(m, l.q3)} THEN 3 ELSE 4 END)`,
  };
}
