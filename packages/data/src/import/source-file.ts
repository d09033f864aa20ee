import { createWriteStream, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { FileName } from '@mixite/core';
import { FILE_SPECS } from '@mixite/core';
import type { FileMapping } from './mapping.ts';
import type { ImportProblem } from './problems.ts';
import { problem } from './problems.ts';
import { scanFile } from './byte-scan.ts';

/**
 * Turns one source file (CSV in any accepted encoding and delimiter) into a UTF-8 CSV that DuckDB reads,
 * with its header mapped onto canonical column names. Everything else happens in DuckDB.
 */

export type Delimiter = ';' | ',' | '\t';
export type Encoding = 'utf-8' | 'utf-8-bom' | 'windows-1252';

export interface PreparedFile {
  /** The name shown to the user (the source file's own name). */
  readonly fichier: string;
  readonly table: FileName;
  /** A UTF-8 CSV DuckDB can read: the source itself when possible, otherwise a converted copy in the work folder. */
  readonly csvPath: string;
  readonly delimiter: Delimiter;
  readonly encoding: Encoding;
  /** Canonical column names, in the file's order (free columns keep their source header). */
  readonly columns: readonly string[];
  readonly sourceHeaders: readonly string[];
  /** The source had blank lines; they were turned into empty rows so that line numbers stay those of the file. */
  readonly hadBlankLines: boolean;
  /** Some cell may start or end with a space or a tab: staging must trim. */
  readonly mayHaveEdgeSpaces: boolean;
  /**
   * Rows already in DuckDB: a TEMP table or view of text cells named by `columns`, in the source's order (rowid + 2 =
   * the source's line). Staging reads it instead of `csvPath`, which then only holds the header. Set through
   * `attacherRelation` by the RPLS preset (presets/rpls.ts), which hands its converted table over instead of writing
   * then re-reading a canonical CSV of a million rows (issue 17).
   */
  readonly relation?: string;
  /**
   * The same rows with their columns already of the contract's types (relation-typee.ts): the import judges their
   * values and loads them as they are, and stages `relation`, their text twin, the exact way only when a row fails.
   */
  readonly relationTypee?: string;
}

/** Header-only CSV paths whose rows are a DuckDB relation (see `PreparedFile.relation`), and its typed twin. */
const RELATIONS = new Map<string, string>();
const RELATIONS_TYPEES = new Map<string, string>();

/**
 * Entry point of the relation hand-off: `csvPath` (a header-only canonical CSV) is read from `relation` until the
 * returned function detaches it. The path must be unique to one import (a fresh temporary folder).
 */
export function attacherRelation(csvPath: string, relation: string, relationTypee?: string): () => void {
  RELATIONS.set(csvPath, relation);
  if (relationTypee !== undefined) RELATIONS_TYPEES.set(csvPath, relationTypee);
  return () => {
    RELATIONS.delete(csvPath);
    RELATIONS_TYPEES.delete(csvPath);
  };
}

export type PrepareResult = { readonly ok: true; readonly file: PreparedFile } | { readonly ok: false; readonly problems: ImportProblem[] };

const DELIMITER_NAMES: Record<Delimiter, string> = { ';': 'point-virgule', ',': 'virgule', '\t': 'tabulation' };
export const delimiterName = (d: Delimiter) => DELIMITER_NAMES[d];

export async function prepareCsv(
  sourcePath: string,
  table: FileName,
  mapping: FileMapping | undefined,
  workDir: string,
  displayName: string = basename(sourcePath),
): Promise<PrepareResult> {
  const fichier = displayName;
  const fail = (message: string, extra: Partial<ImportProblem> = {}): PrepareResult => ({
    ok: false,
    problems: [problem({ fichier, ligne: extra.ligne ?? null, colonne: extra.colonne ?? null, valeur: extra.valeur ?? null, message })],
  });

  // One pass over fixed windows (byte-scan.ts): a large file is not held in memory to look at its bytes.
  const scan = scanFile(sourcePath);
  const head = scan.head;
  if (scan.size === 0) return fail('le fichier est vide : la ligne 1 doit contenir l’en-tête des colonnes');
  // A NUL byte never occurs in a text CSV: this is a binary file (a spreadsheet saved under a .csv name, an archive…).
  if (scan.hasNul && !(head[0] === 0x50 && head[1] === 0x4b)) {
    return fail('le fichier n’est pas un texte CSV (contenu binaire). Enregistrez-le au format CSV (UTF-8) ou XLSX.');
  }
  if (head[0] === 0x50 && head[1] === 0x4b) {
    return fail('le fichier est une archive ou un classeur (ZIP/XLSX) mais porte l’extension .csv : renommez-le en .xlsx');
  }

  let encoding: Encoding;
  /** The whole file, read only when it must be decoded or rewritten (Windows-1252, interior blank lines). */
  let bytes: Buffer | null = null;
  let text: string | null = null;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) encoding = 'utf-8-bom';
  else if (scan.utf8) encoding = 'utf-8';
  else {
    // Not valid UTF-8: spreadsheets on Windows save CSV in Windows-1252 (é = 0xE9, œ = 0x9C, € = 0x80).
    encoding = 'windows-1252';
    bytes = readFileSync(sourcePath);
    text = new TextDecoder('windows-1252').decode(bytes);
  }

  const headerEnd = indexOfLineEnd(head);
  const headerText = (text ?? head.subarray(encoding === 'utf-8-bom' ? 3 : 0, headerEnd).toString('utf8')).split(/\r?\n/, 1)[0] ?? '';
  if (headerText.trim() === '') return fail('la ligne 1 est vide : elle doit contenir l’en-tête des colonnes', { ligne: 1 });

  const delimiter = detectDelimiter(headerText);
  const sourceHeaders = splitHeader(headerText, delimiter);
  const columns = sourceHeaders.map((h) => mapping?.colonnes[h] ?? h.trim());

  const spec = FILE_SPECS[table];
  const known = new Set(Object.keys(spec.columns));
  const problems: ImportProblem[] = [];
  if (!columns.some((c) => known.has(c))) {
    const hint =
      delimiter === ',' && headerText.includes(';') ? '' : sourceHeaders.length === 1 ? ` (une seule colonne lue : le séparateur n’est ni « ; » ni « , »)` : '';
    return fail(
      `la ligne 1 ne contient aucune des colonnes attendues de ${table}.csv${hint}. La ligne 1 doit être l’en-tête (${Object.keys(spec.columns)
        .slice(0, 6)
        .join(', ')}…) ; si une ligne de titre la précède, supprimez-la.`,
      { ligne: 1, valeur: headerText.slice(0, 80) },
    );
  }
  const seen = new Map<string, number>();
  columns.forEach((c, i) => {
    if (c === '') problems.push(problem({ fichier, ligne: 1, colonne: `n° ${i + 1}`, message: 'en-tête de colonne vide' }));
    else if (seen.has(c)) problems.push(problem({ fichier, ligne: 1, colonne: c, message: `colonne en double (déjà en position ${(seen.get(c) ?? 0) + 1})` }));
    else seen.set(c, i);
  });
  for (const [name, col] of Object.entries(spec.columns)) {
    if (col.required && !seen.has(name)) problems.push(problem({ fichier, ligne: 1, colonne: name, message: 'colonne obligatoire absente de l’en-tête' }));
  }
  if (problems.length > 0) return { ok: false, problems };

  if (bytes !== null) {
    const mixed = mixedEncoding(bytes, delimiter, columns);
    if (mixed) return { ok: false, problems: [problem({ fichier, ...mixed })] };
  }

  // Blank lines are skipped by DuckDB, which would shift line numbers: turn them into empty rows.
  const hasBlankLines = scan.interiorBlankLine;
  let csvPath = sourcePath;
  if (text !== null || hasBlankLines) {
    csvPath = join(workDir, `${table}-${Math.random().toString(36).slice(2)}.csv`);
    const content = text ?? readFileSync(sourcePath).toString('utf8');
    const filler = delimiter.repeat(Math.max(columns.length - 1, 1));
    await writeText(csvPath, hasBlankLines ? content.replace(/\n(?=\r?\n)/g, `\n${filler}`) : content);
  }
  return {
    ok: true,
    file: {
      fichier,
      table,
      csvPath,
      delimiter,
      encoding,
      columns,
      sourceHeaders,
      hadBlankLines: hasBlankLines,
      mayHaveEdgeSpaces: scan.edgeSpaces[delimiter],
      ...(RELATIONS.has(sourcePath) ? { relation: RELATIONS.get(sourcePath) } : {}),
      ...(RELATIONS_TYPEES.has(sourcePath) ? { relationTypee: RELATIONS_TYPEES.get(sourcePath) } : {}),
    },
  };
}

/**
 * A file that is not valid UTF-8 is read as Windows-1252 — unless it also holds well-formed multi-byte UTF-8
 * sequences (`é` as C3 A9): then it mixes both encodings (lines pasted from two sources), and either reading
 * would garble part of it. Refused at its first byte that is not UTF-8, with the line and the column.
 * (A genuine Windows-1252 text almost never holds such pairs: `Ã©` is not French.)
 */
function mixedEncoding(
  bytes: Buffer,
  delimiter: Delimiter,
  columns: readonly string[],
): { ligne: number; colonne: string | null; valeur: string; message: string } | null {
  const scan = scanUtf8(bytes);
  if (scan.firstInvalid < 0 || scan.firstMultibyte < 0) return null;
  const lineStart = bytes.lastIndexOf(0x0a, scan.firstInvalid - 1) + 1;
  const ligne = lineOf(bytes, scan.firstInvalid);
  // The column: delimiters before the byte, outside quotes (a quoted line break is rare enough to be ignored here).
  let index = 0;
  let quoted = false;
  for (let i = lineStart; i < scan.firstInvalid; i++) {
    if (bytes[i] === 0x22) quoted = !quoted;
    else if (!quoted && bytes[i] === delimiter.charCodeAt(0)) index++;
  }
  const lineEnd = bytes.indexOf(0x0a, scan.firstInvalid);
  const lineText = new TextDecoder('windows-1252').decode(bytes.subarray(lineStart, lineEnd === -1 ? bytes.length : lineEnd)).replace(/\r$/, '');
  const byte = (bytes[scan.firstInvalid] ?? 0).toString(16).toUpperCase().padStart(2, '0');
  return {
    ligne,
    colonne: columns[index] ?? null,
    valeur: lineText.split(delimiter)[index] ?? lineText,
    message: `encodages mélangés : le fichier contient des caractères UTF-8 (ligne ${lineOf(bytes, scan.firstMultibyte)}) mais l’octet 0x${byte} de cette ligne n’est pas de l’UTF-8 (Windows-1252 ?) — enregistrez tout le fichier en UTF-8`,
  };
}

/** Offsets of the first byte that breaks UTF-8 and of the first well-formed multi-byte sequence (-1: none). */
function scanUtf8(bytes: Buffer): { firstInvalid: number; firstMultibyte: number } {
  let firstInvalid = -1;
  let firstMultibyte = -1;
  const cont = (i: number) => i < bytes.length && ((bytes[i] as number) & 0xc0) === 0x80;
  for (let i = 0; i < bytes.length && (firstInvalid < 0 || firstMultibyte < 0); ) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let n = 0;
    const b1 = bytes[i + 1] ?? 0;
    if (b >= 0xc2 && b <= 0xdf) n = cont(i + 1) ? 2 : 0;
    else if (b >= 0xe0 && b <= 0xef) {
      const lowOk = b === 0xe0 ? b1 >= 0xa0 : b === 0xed ? b1 <= 0x9f : true;
      n = lowOk && cont(i + 1) && cont(i + 2) ? 3 : 0;
    } else if (b >= 0xf0 && b <= 0xf4) {
      const lowOk = b === 0xf0 ? b1 >= 0x90 : b === 0xf4 ? b1 <= 0x8f : true;
      n = lowOk && cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : 0;
    }
    if (n === 0) {
      if (firstInvalid < 0) firstInvalid = i;
      i++;
    } else {
      if (firstMultibyte < 0) firstMultibyte = i;
      i += n;
    }
  }
  return { firstInvalid, firstMultibyte };
}

/** The line (1 = first) holding a byte offset. */
function lineOf(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let i = bytes.indexOf(0x0a); i !== -1 && i < offset; i = bytes.indexOf(0x0a, i + 1)) line++;
  return line;
}

function indexOfLineEnd(bytes: Buffer): number {
  const i = bytes.indexOf(0x0a);
  return i === -1 ? bytes.length : i;
}

/** The delimiter is the one of `;`, `,`, tab that occurs most in the header (outside quotes). */
export function detectDelimiter(header: string): Delimiter {
  const counts: Record<Delimiter, number> = { ';': 0, ',': 0, '\t': 0 };
  let quoted = false;
  for (const ch of header) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === ';' || ch === ',' || ch === '\t')) counts[ch] += 1;
  }
  const best = (Object.keys(counts) as Delimiter[]).sort((a, b) => counts[b] - counts[a])[0] ?? ';';
  return counts[best] === 0 ? ';' : best;
}

/** Splits a header line (RFC 4180 quoting). */
export function splitHeader(header: string, delimiter: Delimiter): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < header.length; i++) {
    const ch = header[i];
    if (quoted) {
      if (ch === '"' && header[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      cells.push(cell);
      cell = '';
    } else if (ch !== '\r') cell += ch;
  }
  cells.push(cell);
  return cells.map((c) => c.replace(/^\uFEFF/, ''));
}

function writeText(path: string, content: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(path, { encoding: 'utf8' });
    out.on('error', reject);
    out.end(content, () => resolve());
  });
}
