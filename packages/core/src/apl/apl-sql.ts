import type { BaremeApl } from './baremes.ts';

/**
 * `aplDepuisConstantes` (apl.ts) as DuckDB SQL, so that the whole stock is computed in the store in one pass: the
 * constants of a reference household × zone (`constantesApl`) are columns of a joined table, the rent and the
 * resources are expressions of the row. DOUBLE arithmetic as in JavaScript; a property test in packages/data checks
 * that the two agree to the cent on random cases. The TL rates, written by the code, are the table's.
 */

/** Column expressions of the constants (names of `ConstantesApl`). */
export interface ConstantesAplSql {
  readonly plafond: string;
  readonly plafondZone2: string;
  readonly charges: string;
  readonly p0Taux: string;
  readonly p0Minimum: string;
  readonly r0: string;
  readonly tf: string;
  readonly deduction: string;
}

const nombre = (x: number): string => {
  if (!Number.isFinite(x)) throw new Error(`nombre invalide dans le barème : ${x}`);
  return `${x}::DOUBLE`;
};

/** The monthly APL, rounded to the cent, never below 0. */
export function aplSql(loyer: string, ressourcesAnnuelles: string, k: ConstantesAplSql, tl: BaremeApl['tl']): string {
  const L = `least((${loyer})::DOUBLE, ${k.plafond})`;
  const rl = `round(${L} / ${k.plafondZone2} * 100, 2)`;
  const tlSql = `(CASE WHEN ${rl} < ${nombre(tl.seuil1)} THEN 0::DOUBLE
      WHEN ${rl} < ${nombre(tl.seuil2)} THEN ${nombre(tl.taux1)} * (${rl} - ${nombre(tl.seuil1)}) / 100
      ELSE (${nombre(tl.taux1)} * ${nombre(tl.seuil2 - tl.seuil1)} + ${nombre(tl.taux2)} * (${rl} - ${nombre(tl.seuil2)})) / 100 END)`;
  const p0 = `greatest(${k.p0Taux} * (${L} + ${k.charges}), ${k.p0Minimum})`;
  const pp = `(${p0} + (${k.tf} + ${tlSql}) * greatest(0::DOUBLE, (${ressourcesAnnuelles})::DOUBLE - ${k.r0}))`;
  return `greatest(0::DOUBLE, round(${L} + ${k.charges} - ${pp} - ${k.deduction}, 2))`;
}
