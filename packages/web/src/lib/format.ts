/** French number formats, one place for the whole application. */

const PERCENT = new Intl.NumberFormat('fr-FR', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
const INTEGER = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });
const DECIMAL = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 });
const POINTS = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero' });
const EUROS = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });

export const formatTaux = (value: number | null | undefined): string => (value === null || value === undefined ? '—' : PERCENT.format(value));
export const formatEntier = (value: number | null | undefined): string => (value === null || value === undefined ? '—' : INTEGER.format(value));
export const formatNombre = (value: number | null | undefined): string => (value === null || value === undefined ? '—' : DECIMAL.format(value));
export const formatEuros = (value: number | null | undefined): string => (value === null || value === undefined ? '—' : EUROS.format(value));
/** A gap between two shares, in percentage points: 0.234 − 0.25 → « −1,6 pt ». */
export const formatEcart = (value: number | null | undefined): string => (value === null || value === undefined ? '—' : `${POINTS.format(value * 100)} pt`);

export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?/.exec(value);
  if (!match) return value;
  const [, y, m, d, hh, mm] = match;
  return hh ? `${d}/${m}/${y} ${hh}:${mm}` : `${d}/${m}/${y}`;
}

export const formatBooleen = (value: boolean | null | undefined): string => (value === true ? 'oui' : value === false ? 'non' : '—');

/** « 3 baux », « 1 proposition »: the counting base of an indicator with its plural. */
export function compte(n: number | null, base: string): string {
  // A count masked by the statistical secrecy reads « — baux ».
  if (n === null) return `— ${base}`;
  const singular = base === 'baux' ? 'bail' : base === 'propositions' ? 'proposition' : base;
  return `${formatEntier(n)} ${n > 1 ? base : singular}`;
}
