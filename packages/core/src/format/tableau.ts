/**
 * The one CSV writer of the tables Mixité writes for people or for their spreadsheets: the « Exporter » files of
 * the server (packages/server/src/http/table-file.ts, which streams the lines this module writes), the indicator
 * export `indicateurs.csv` and the cotation impact of the command line. It does three things and nothing else:
 * - turns a typed value into a cell: a number stays a number (decimal separator of the format, optionally rounded,
 *   never neutralised: a negative number is not a formula), a `Pourcentage` a percentage (« 15,6% »), booleans in the words of the format, a list joined
 *   with « , », nothing for null, NaN or an infinity;
 * - passes every text cell through the formula-injection rule (format/tableur.ts, `texteCsv`);
 * - quotes a field holding the separator, a quote or a line break (RFC 4180), ends lines and starts the file
 *   with a BOM as the format says.
 *
 * Not for the canonical data files (`mixite exporter`, DuckDB COPY, read back byte for byte by the import) nor for
 * the demo generator's fast writer: those are data interchange, their cells are never neutralised.
 */
import { formatTauxA } from './francais.ts';
import { texteCsv } from './tableur.ts';

export interface FormatCsv {
  readonly separateur: ';' | ',';
  readonly decimale: ',' | '.';
  /** A UTF-8 byte order mark first: without it Excel reads the accents of a `;` file as Windows-1252. */
  readonly bom: boolean;
  readonly finDeLigne: '\r\n' | '\n';
  /** How `true` and `false` are written. */
  readonly booleens: readonly [vrai: string, faux: string];
  /** Numbers rounded to this many decimals (machine files); absent: written in full. */
  readonly decimalesMax?: number;
}

/** A file for a spreadsheet opened in France: `;`, decimal comma, BOM, CRLF, « oui »/« non ». */
export const CSV_TABLEUR: FormatCsv = { separateur: ';', decimale: ',', bom: true, finDeLigne: '\r\n', booleens: ['oui', 'non'] };

/**
 * indicateurs.csv (DATA-FORMAT.md, "Indicator export"): `,`, decimal point, no BOM, `\n`, booleans 1/0, at most
 * 6 decimals.
 */
export const CSV_INDICATEURS: FormatCsv = { separateur: ',', decimale: '.', bom: false, finDeLigne: '\n', booleens: ['1', '0'], decimalesMax: 6 };

/** The long CSV of the command line's cotation impact: `;`, decimal point, no BOM, `\n`, at most 6 decimals. */
export const CSV_POINT_VIRGULE_POINT: FormatCsv = { separateur: ';', decimale: '.', bom: false, finDeLigne: '\n', booleens: ['1', '0'], decimalesMax: 6 };

export const BOM = '\uFEFF';

function nombre(n: number, format: FormatCsv): string {
  if (!Number.isFinite(n)) return '';
  const p = format.decimalesMax === undefined ? null : 10 ** format.decimalesMax;
  const v = p === null ? n : Math.round(n * p) / p;
  // String(-0) is already « 0 »: a rounded tiny negative gap does not print « -0 ».
  const texte = String(v);
  return format.decimale === '.' ? texte : texte.replace('.', format.decimale);
}

/**
 * A share written as a percentage, with the decimals the screen prints (« Exporter » files for people: a rate reads
 * « 15,6% », not « 0,155893536121673 »). Built from a number, so never neutralised: « -2,3% » is a number for the
 * spreadsheet, which reads « 15,6% » as 0,156. The machine file indicateurs.csv keeps the raw fraction instead.
 */
export interface Pourcentage {
  readonly part: number;
  readonly decimales: number;
}

/** A share to write as a percentage (one decimal, or more: see formaterTauxContreCible); null stays an empty cell. */
export const pourcentage = (part: number | null | undefined, decimales = 1): Pourcentage | null =>
  part === null || part === undefined || !Number.isFinite(part) ? null : { part, decimales };

const estPourcentage = (v: unknown): v is Pourcentage => typeof v === 'object' && v !== null && 'part' in v && 'decimales' in v;

function pourcentageCsv(p: Pourcentage, format: FormatCsv): string {
  // The very digits of the screen (formatTauxA), without its spaces, with an ASCII minus and the format's decimal sign.
  const texte = formatTauxA(p.part, p.decimales).replace(/[\s\u00a0\u202f]/g, '').replace('\u2212', '-');
  return format.decimale === ',' ? texte : texte.replace(',', '.');
}

/** A value as the text of a cell (not yet quoted): see the module's comment. */
export function celluleCsv(valeur: unknown, format: FormatCsv): string {
  if (valeur === null || valeur === undefined) return '';
  if (typeof valeur === 'number') return nombre(valeur, format);
  if (estPourcentage(valeur)) return pourcentageCsv(valeur, format);
  if (typeof valeur === 'boolean') return valeur ? format.booleens[0] : format.booleens[1];
  return texteCsv(Array.isArray(valeur) ? valeur.map(String).join(', ') : String(valeur));
}

/** A field quoted when it holds the separator, a quote or a line break (RFC 4180: inner quotes doubled). */
export function champCsv(texte: string, format: FormatCsv): string {
  const aCiter = texte.includes(format.separateur) || /["\r\n]/.test(texte);
  return aCiter ? `"${texte.replaceAll('"', '""')}"` : texte;
}

/** One line of values, ended. */
export const ligneCsv = (valeurs: readonly unknown[], format: FormatCsv): string =>
  `${valeurs.map((v) => champCsv(celluleCsv(v, format), format)).join(format.separateur)}${format.finDeLigne}`;

/** The start of a file: the BOM when the format has one, then the header line (labels are text cells like any other). */
export const enteteCsv = (libelles: readonly string[], format: FormatCsv): string => `${format.bom ? BOM : ''}${ligneCsv(libelles, format)}`;

/** A whole table in memory (the small tables of the command line; the server streams `enteteCsv` and `ligneCsv`). */
export function tableauCsv(libelles: readonly string[], lignes: Iterable<readonly unknown[]>, format: FormatCsv): string {
  let texte = enteteCsv(libelles, format);
  for (const ligne of lignes) texte += ligneCsv(ligne, format);
  return texte;
}
