/**
 * French number and date formats, one home for the screen (packages/web), the bilan (packages/reports) and the
 * command line (packages/cli). The rules:
 * - thousands separated by a narrow no-break space (U+202F, what Intl writes for fr-FR): « 12 345 »;
 * - a decimal comma; rates and changes with one decimal, « 25,3 % », the unit after a no-break space (U+00A0);
 * - gaps between two shares in percentage points, signed with a true minus (U+2212): « +8,3 pt », « −1,6 pt »,
 *   « 0,0 pt »;
 * - dates « 31/12/2024 » (a timestamp keeps its time: « 31/12/2024 à 14h05 ») or « 31 décembre 2024 »;
 * - an unknown value (null, undefined) is « — ».
 * Documents for Word and PDF take `pourDocument`, which turns the narrow spaces into plain no-break spaces (Word's
 * default fonts and pdftotext handle U+00A0 everywhere): the figures are the same, only the width of a space changes.
 *
 * A rate judged against a target goes through `formaterTauxContreCible`: as many decimals as needed for the printed
 * rate, target and gap to say what `atteint` says (« 80,98 % » against « 81,00 % », never « 81,0 % » twice).
 *
 * Not for the canonical data files or the indicator export (machine formats with a decimal point): see
 * indicators/export.ts and format/tableau-csv.ts.
 */

import { evaluer } from '../indicators/targets.ts';

/** Written where a value is unknown. */
export const INCONNU = '—';

const FINE = '\u202f';
const INSECABLE = '\u00a0';
const MOINS = '\u2212';

const ENTIER = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });
const DEUX_DECIMALES_AU_PLUS = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 });
const EN_ENTIER = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 15 });
const UNE_DECIMALE = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
// Intl scales a percentage in decimal (0.2345 → 23,5 %), where `x * 100` in floating point would give 23,4 %.
const POURCENT = new Intl.NumberFormat('fr-FR', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });

type Nombre = number | null | undefined;

/** Intl's spaces, whatever the version of ICU: narrow no-break space for thousands, no-break space before a unit. */
const espacesFines = (s: string): string => s.replace(/[\u00a0\u202f ]/g, FINE);

/** 12345 → « 12 345 » (U+202F). */
export const formatEntier = (n: Nombre): string => (n === null || n === undefined ? INCONNU : espacesFines(ENTIER.format(n)));

/** 1234.567 → « 1 234,57 »: at most two decimals, none when round. */
export const formatNombre = (n: Nombre): string => (n === null || n === undefined ? INCONNU : espacesFines(DEUX_DECIMALES_AU_PLUS.format(n)));

/** A parameter written in full (UC weights: 0.5 → « 0,5 », 0.3 → « 0,3 »), up to 15 decimals. */
export const formatDecimal = (n: Nombre): string => (n === null || n === undefined ? INCONNU : espacesFines(EN_ENTIER.format(n)));

/** 7.6147 → « 7,6 »: a ratio with one decimal. */
export const formatRatio = (n: Nombre): string => (n === null || n === undefined ? INCONNU : espacesFines(UNE_DECIMALE.format(n)));

/** 0.2534 → « 25,3 % ». */
export function formatTaux(x: Nombre): string {
  if (x === null || x === undefined) return INCONNU;
  const texte = espacesFines(POURCENT.format(x));
  // Intl puts its own space before « % »: make it a no-break space (a rate never breaks from its unit).
  return texte.replace(/\u202f%$/, `${INSECABLE}%`);
}

const TAUX_A: Intl.NumberFormat[] = [];
const SIGNE_A: Intl.NumberFormat[] = [];
/** A rate with `decimales` decimals (0.8098 at 2 → « 80,98 % »). */
export function formatTauxA(x: Nombre, decimales: number): string {
  if (x === null || x === undefined) return INCONNU;
  const f = (TAUX_A[decimales] ??= new Intl.NumberFormat('fr-FR', { style: 'percent', minimumFractionDigits: decimales, maximumFractionDigits: decimales }));
  return espacesFines(f.format(x)).replace(/\u202f%$/, `${INSECABLE}%`);
}

/** A gap in points with `decimales` decimals, rounded once in decimal by Intl, zero unsigned (−0.0002 at 2 → « −0,02 pt »). */
export function formatPointsA(x: Nombre, decimales: number): string {
  if (x === null || x === undefined) return INCONNU;
  const f = (SIGNE_A[decimales] ??= new Intl.NumberFormat('fr-FR', { minimumFractionDigits: decimales, maximumFractionDigits: decimales, signDisplay: 'exceptZero' }));
  // Intl scales nothing here: the gap in points is the difference of shares × 100, rounded by Intl from the decimal text.
  return `${espacesFines(f.format(Number((x * 100).toPrecision(12)))).replace('-', MOINS)}${INSECABLE}pt`;
}

/** A rate, its target and the gap, printed with the same number of decimals (see `formaterTauxContreCible`). */
export interface TauxContreCible {
  readonly taux: string;
  readonly cible: string;
  readonly ecart: string;
  /** Decimals of the percentages and of the points: 1 unless more were needed. */
  readonly decimales: number;
}

/** Beyond this, a difference is below a millionth of a point: no count of households gets there. */
const DECIMALES_MAX = 6;

/**
 * The one way to print a rate beside its target (web, bilan, Excel, command line). `atteint` is decided on exact
 * fractions (indicators/targets.ts, `evaluer`); the printed figures must not contradict it: when rate and target
 * print alike at one decimal (1 141 / 1 409 = 80,98 % against 81 %: « 81,0 % » both) or the gap prints « 0,0 pt »
 * while the rate is not exactly the target, decimals are added until they differ — « 80,98 % », « 81,00 % »,
 * « −0,02 pt ». A rate exactly at its target keeps one decimal (« 81,0 % », « 0,0 pt »: met).
 * The counts give the rate exactly; without them (masked by the statistical secrecy) `tauxPublie` is used.
 */
export function formaterTauxContreCible(
  numerateur: Nombre,
  denominateur: Nombre,
  cible: Nombre,
  tauxPublie?: Nombre,
): TauxContreCible {
  const compte = numerateur !== null && numerateur !== undefined && denominateur !== null && denominateur !== undefined && denominateur > 0;
  const taux = compte ? numerateur / denominateur : (tauxPublie ?? null);
  if (taux === null || cible === null || cible === undefined) {
    return { taux: formatTaux(taux), cible: formatTaux(cible), ecart: INCONNU, decimales: 1 };
  }
  // The gap of the legal rule (exactly zero when the rate is the target), else the floats of a masked row.
  const ecart = compte ? (evaluer(numerateur, denominateur, cible).ecart ?? 0) : taux - cible;
  let decimales = 1;
  const confondus = (d: number): boolean =>
    formatTauxA(taux, d) === formatTauxA(cible, d) || formatPointsA(ecart, d) === formatPointsA(0, d);
  while (ecart !== 0 && decimales < DECIMALES_MAX && confondus(decimales)) decimales++;
  return { taux: formatTauxA(taux, decimales), cible: formatTauxA(cible, decimales), ecart: formatPointsA(ecart, decimales), decimales };
}

/** A signed figure with one decimal, rounded once (−0.0166 → « −1,7 »), zero unsigned (« 0,0 »). */
function signeUneDecimale(v: number): string {
  const arrondi = Math.round(v * 10) / 10;
  const signe = arrondi > 0 ? '+' : arrondi < 0 ? MOINS : '';
  return `${signe}${espacesFines(UNE_DECIMALE.format(Math.abs(arrondi)))}`;
}

/** A gap between two shares, in percentage points: 0.234 − 0.25 → « −1,6 pt »; zero is « 0,0 pt ». */
export const formatPoints = (x: Nombre): string => (x === null || x === undefined ? INCONNU : `${signeUneDecimale(x * 100)}${INSECABLE}pt`);

/** A signed relative change: 12000 / 16800 − 1 → « −28,6 % ». */
export const formatVariation = (x: Nombre): string => (x === null || x === undefined ? INCONNU : `${signeUneDecimale(x * 100)}${INSECABLE}%`);

/** 11720 → « 11 720 € » (whole euros). */
export const formatEuros = (x: Nombre): string => (x === null || x === undefined ? INCONNU : `${formatEntier(x)}${INSECABLE}€`);

/** « oui », « non », « — ». */
export const formatBooleen = (b: boolean | null | undefined): string => (b === true ? 'oui' : b === false ? 'non' : INCONNU);

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?/;

/** `2024-06-30` → « 30/06/2024 »; a timestamp keeps its time (« 25/11/2026 à 02h21 »); any other text is kept as is. */
export function formatDate(valeur: string | null | undefined): string {
  if (!valeur) return INCONNU;
  const m = DATE.exec(valeur);
  if (!m) return valeur;
  const [, a, mo, j, h, mi] = m;
  return h ? `${j}/${mo}/${a} à ${h}h${mi}` : `${j}/${mo}/${a}`;
}

const MOIS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'] as const;

/** `2024-12-31` → « 31 décembre 2024 », `2024-03-01` → « 1er mars 2024 »; any other text is kept as is. */
export function formatDateLongue(valeur: string | null | undefined): string {
  if (!valeur) return INCONNU;
  const m = DATE.exec(valeur);
  const mois = m ? MOIS[Number(m[2]) - 1] : undefined;
  if (!m || !mois) return valeur;
  const jour = Number(m[3]);
  return `${jour === 1 ? '1er' : jour} ${mois} ${m[1]}`;
}

/** « 3 baux », « 1 proposition », « 0 bail »: a count with its noun, plural above one. */
export function pluriel(n: number, singulier: string, plurielForme = `${singulier}s`): string {
  return `${formatEntier(n)} ${Math.abs(n) > 1 ? plurielForme : singulier}`;
}

/** The figures of a document (Word, PDF): narrow no-break spaces become no-break spaces, nothing else changes. */
export const pourDocument = (texte: string): string => texte.replaceAll(FINE, INSECABLE);
