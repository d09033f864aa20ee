/**
 * The screen's French formats: those of @mixite/core/francais (one home for the web, the bilan and the command
 * line), with the screen's names and its few wordings of counts.
 */
import { formatPoints, pluriel } from '@mixite/core/francais';

export { formatBooleen, formatDate, formatDateLongue, formatEntier, formatEuros, formatNombre, formatRatio, formatTaux, formatVariation, formaterTauxContreCible } from '@mixite/core/francais';

/** A gap between two shares, in percentage points: 0.234 − 0.25 → « −1,6 pt ». */
export const formatEcart = formatPoints;

/** « 3 baux », « 1 proposition »: the counting base of an indicator with its plural. */
export function compte(n: number | null, base: string): string {
  // A count masked by the statistical secrecy reads « — baux ».
  if (n === null) return `— ${base}`;
  const singulier = base === 'baux' ? 'bail' : base === 'propositions' ? 'proposition' : base;
  return pluriel(n, singulier, base);
}
