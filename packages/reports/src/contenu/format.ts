/**
 * French number and date formats of the bilan, one place for the three outputs. Separators are no-break
 * spaces (U+00A0) rather than the narrow no-break space Intl produces: Word's default fonts and pdftotext
 * both handle U+00A0, and a figure never breaks across lines.
 */

const NBSP = '\u00a0';
const ENTIER = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });
const UNE_DECIMALE = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const EUROS = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });

const espaces = (s: string) => s.replace(/[\u202f\u00a0 ]/g, NBSP);

/** 12345 → « 12 345 ». */
export const formatEntier = (n: number): string => espaces(ENTIER.format(n));

/** 0.2534 → « 25,3 % ». */
export const formatTaux = (x: number): string => `${espaces(UNE_DECIMALE.format(x * 100))}${NBSP}%`;

/** A gap between two shares in percentage points: −0.016 → « −1,6 pt ». Zero is « 0,0 pt ». */
export function formatPoints(x: number): string {
  const v = Math.round(x * 1000) / 10;
  const sign = v > 0 ? '+' : v < 0 ? '−' : '';
  return `${sign}${espaces(UNE_DECIMALE.format(Math.abs(v)))}${NBSP}pt`;
}

/** A signed relative change: −0.286 → « −28,6 % ». */
export function formatVariation(x: number): string {
  const v = Math.round(x * 1000) / 10;
  const sign = v > 0 ? '+' : v < 0 ? '−' : '';
  return `${sign}${espaces(UNE_DECIMALE.format(Math.abs(v)))}${NBSP}%`;
}

/** 11720 → « 11 720 € ». */
export const formatEuros = (x: number): string => `${espaces(EUROS.format(x))}${NBSP}€`;

/** 7.6147 → « 7,6 ». */
export const formatRatio = (x: number): string => espaces(UNE_DECIMALE.format(x));

/** `2024-06-30` → « 30/06/2024 »; a timestamp keeps its hour. */
export function formatDate(value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?/.exec(value);
  if (!match) return value;
  const [, y, m, d, hh, mm] = match;
  return hh ? `${d}/${m}/${y} à ${hh}h${mm}` : `${d}/${m}/${y}`;
}

/** « 3 baux », « 1 proposition ». */
export function pluriel(n: number, singulier: string, plurielForme = `${singulier}s`): string {
  return `${formatEntier(n)} ${Math.abs(n) > 1 ? plurielForme : singulier}`;
}
