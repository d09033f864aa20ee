import type { SeuilsFragilite } from './parametres.ts';

/**
 * The fragility of a residence from one occupation survey (issue 14, seed 002 §2.5, CASA's classes): the share of
 * its households counted by the indicator (by default those under 40 % of the PLUS ceilings) is
 * - above `seuil_tres_fragile` (50 %): `tres_fragile`;
 * - from `seuil_fragile` to `seuil_tres_fragile` inclusive (25–50 %): `fragile`;
 * - below `seuil_fragile`: `non_fragile`;
 * - `inconnue` without a survey, without the counted column, or with no household.
 * The comparisons are made on integers (count × 10 000 against threshold × 10 000 × households), so that exactly 25 %
 * or exactly 50 % never falls on the wrong side by a floating-point rounding. classeSql is the same rule in SQL.
 */

export const CLASSES_FRAGILITE = ['tres_fragile', 'fragile', 'non_fragile', 'inconnue'] as const;
export type ClasseFragilite = (typeof CLASSES_FRAGILITE)[number];

export const LIBELLES_CLASSE: Record<ClasseFragilite, string> = {
  tres_fragile: 'Très fragile',
  fragile: 'Fragile',
  non_fragile: 'Non fragile',
  inconnue: 'Inconnue (sans enquête)',
};

const DIX_MILLE = 10_000;
const enDixMilliemes = (part: number): number => Math.round(part * DIX_MILLE);

export function classeFragilite(comptes: number | null, menages: number | null, seuils: SeuilsFragilite): ClasseFragilite {
  if (comptes === null || menages === null || menages <= 0) return 'inconnue';
  const gauche = comptes * DIX_MILLE;
  if (gauche > enDixMilliemes(seuils.seuil_tres_fragile) * menages) return 'tres_fragile';
  if (gauche >= enDixMilliemes(seuils.seuil_fragile) * menages) return 'fragile';
  return 'non_fragile';
}

/** The same rule as a SQL CASE over two integer expressions (the counted households and the households). */
export function classeFragiliteSql(comptes: string, menages: string, seuils: SeuilsFragilite): string {
  const tf = enDixMilliemes(seuils.seuil_tres_fragile);
  const f = enDixMilliemes(seuils.seuil_fragile);
  return `CASE WHEN (${comptes}) IS NULL OR (${menages}) IS NULL OR (${menages}) <= 0 THEN 'inconnue'
    WHEN (${comptes})::BIGINT * ${DIX_MILLE} > ${tf}::BIGINT * (${menages}) THEN 'tres_fragile'
    WHEN (${comptes})::BIGINT * ${DIX_MILLE} >= ${f}::BIGINT * (${menages}) THEN 'fragile'
    ELSE 'non_fragile' END`;
}

export type Tendance = 'aggravation' | 'amelioration' | 'stable';

/** How the share moved from the survey before to the last one (exact: n1 × m0 against n0 × m1); null without two surveys. */
export function tendance(avant: { comptes: number | null; menages: number | null } | null, apres: { comptes: number | null; menages: number | null }): Tendance | null {
  if (avant === null || avant.comptes === null || apres.comptes === null || !avant.menages || !apres.menages) return null;
  const a = apres.comptes * avant.menages;
  const b = avant.comptes * apres.menages;
  return a > b ? 'aggravation' : a < b ? 'amelioration' : 'stable';
}
