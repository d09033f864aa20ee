import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { createInflateRaw, inflateRawSync } from 'node:zlib';
import type { ImportProblem } from './problems.ts';
import { problem } from './problems.ts';

/**
 * Bounded work: what a source file announces — an XLSX sheet's extent, a CSV header's width — is checked before
 * any parser sees the file. A 1.5 KB workbook with one cell at XFD1048576 makes the spreadsheet reader walk
 * 17 billion cells, a 1 000 000-column CSV header makes DuckDB create a 1 000 000-column table: both are refused
 * here in milliseconds. An XLSX is read as a stream of zip entries, never parsed: the `<dimension ref>` a sheet
 * declares is checked as soon as it is seen, then the cells, rows and merged ranges it really holds (a sheet may
 * lie about its dimension), and the total inflated size (a zip bomb). Used by `importDataset` (the CLI) and by
 * the server before it stages an upload.
 */
export interface ImportLimits {
  /** Columns of a file (canonical files have fewer than 40; free columns are kept, within reason). */
  readonly colonnesMax: number;
  /** Cells of an XLSX sheet's extent (rows × columns): the spreadsheet reader holds them all in memory. */
  readonly cellulesMax: number;
  /** Bytes all the entries of an XLSX archive may inflate to. */
  readonly decompresseMax: number;
}

export const DEFAULT_IMPORT_LIMITS: ImportLimits = {
  colonnesMax: 1_000,
  // The spreadsheet reader holds some 700 bytes per cell: 2 000 000 cells stay well under Node's default heap.
  cellulesMax: 2_000_000,
  // The reader holds the inflated parts in memory; 2 000 000 cells of a real workbook inflate to a fraction of this.
  decompresseMax: 256 * 1024 * 1024,
};

/**
 * Why a file is refused: `trop_gros` (it inflates beyond the limit: a zip bomb), `dimensions` (too many columns
 * or cells), `illisible` (not a zip archive the importer could read).
 */
export type LimitKind = 'trop_gros' | 'dimensions' | 'illisible';
export interface LimitViolation {
  readonly kind: LimitKind;
  readonly problem: ImportProblem;
}

/** The first line of a CSV is read up to this many bytes: a header is a few hundred bytes. */
export const HEADER_BYTES_MAX = 1024 * 1024;
const ZIP_ENTRIES_MAX = 10_000;

/** Checks one source file (CSV or XLSX; other files pass). Null when it is within the limits. */
export async function checkSourceLimits(path: string, fichier: string, limits: ImportLimits = DEFAULT_IMPORT_LIMITS): Promise<LimitViolation | null> {
  const ext = extname(fichier).toLowerCase();
  if (ext === '.csv') return checkCsvHeader(path, fichier, limits) ?? ((await rowsCertainlyNarrow(path, limits)) ? null : await checkCsvRows(path, fichier, limits));
  if (ext === '.xlsx') return checkXlsx(path, fichier, limits);
  return null;
}

const fmt = (n: number) => n.toLocaleString('fr-FR').replace(/\s/g, ' ');
const violation = (kind: LimitKind, fichier: string, message: string, ligne: number | null = null): LimitViolation => ({ kind, problem: problem({ fichier, ligne, message }) });

// ---------------------------------------------------------------------------------------------------------------
// CSV: the header's width, from a bounded read of the first line.

function checkCsvHeader(path: string, fichier: string, limits: ImportLimits): LimitViolation | null {
  const fd = openSync(path, 'r');
  let header: Buffer;
  let complete: boolean;
  try {
    const buf = Buffer.alloc(Math.min(HEADER_BYTES_MAX, fstatSync(fd).size));
    const read = readSync(fd, buf, 0, buf.length, 0);
    const end = buf.subarray(0, read).indexOf(0x0a);
    complete = end !== -1 || read < HEADER_BYTES_MAX;
    header = buf.subarray(0, end === -1 ? read : end);
  } finally {
    closeSync(fd);
  }
  // The widest reading of the header: the delimiter the importer will pick is one of these, quoted names aside.
  const counts = { ';': 0, ',': 0, '\t': 0 };
  let quoted = false;
  for (const byte of header) {
    if (byte === 0x22) quoted = !quoted;
    else if (!quoted) {
      if (byte === 0x3b) counts[';'] += 1;
      else if (byte === 0x2c) counts[','] += 1;
      else if (byte === 0x09) counts['\t'] += 1;
    }
  }
  const columns = Math.max(counts[';'], counts[','], counts['\t']) + 1;
  if (columns > limits.colonnesMax) {
    return violation('dimensions', fichier, `l’en-tête compte ${complete ? '' : 'au moins '}${fmt(columns)} colonnes ; au plus ${fmt(limits.colonnesMax)} acceptées`, 1);
  }
  if (!complete) return violation('dimensions', fichier, `la ligne 1 (l’en-tête) dépasse ${fmt(HEADER_BYTES_MAX / 1024)} Ko : ce n’est pas un en-tête de colonnes`, 1);
  return null;
}

/** Bytes read at once by the cheap proof below. */
const PROOF_WINDOW = 4 * 1024 * 1024;

/**
 * The cheap proof that no row is too wide, tried before the exact pass (issue 18: that pass looked at every line end,
 * about 2 s of the national import). In a file without any quote, rows are physical lines, and a line shorter than
 * `colonnesMax - 1` bytes holds at most `colonnesMax` fields (fields = delimiters + 1). So it looks for the LAST line
 * end within each stretch of that many bytes (one native search per stretch, not per line: a canonical line is about
 * 120 bytes) and answers true only when every stretch holds one. False is only "not proven": the first quote, or a
 * stretch without a line end, and the exact pass decides and locates. Read by windows, asynchronously, so that the
 * server's event loop stays free.
 */
export async function rowsCertainlyNarrow(path: string, limits: ImportLimits, window: number = PROOF_WINDOW): Promise<boolean> {
  // Conservative by one byte: a line of at most colonnesMax - 2 bytes cannot reach colonnesMax + 1 fields.
  const maxLine = limits.colonnesMax - 2;
  if (maxLine < 1) return false;
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(window);
    let carried = 0; // bytes of the current line seen in earlier windows
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0) return true;
      const view = buf.subarray(0, bytesRead);
      if (view.indexOf(0x22) !== -1) return false;
      let start = 0; // where the unseen part of the current line begins in this window
      for (;;) {
        const budget = maxLine - carried; // the current line must end at or before start + budget
        if (budget < 0) return false;
        const last = start + budget;
        const end = view.lastIndexOf(0x0a, Math.min(last, bytesRead - 1));
        if (end >= start) {
          // Every line ending in [start, end] is at most `maxLine` bytes long.
          start = end + 1;
          carried = 0;
        } else if (last >= bytesRead) {
          // The window ends inside the current line: its bytes so far carry over.
          carried += bytesRead - start;
          break;
        } else {
          return false;
        }
        if (start >= bytesRead) break;
      }
    }
  } finally {
    await handle.close();
  }
}

/**
 * The rows' widths: a header of four columns followed by a line of a million fields makes the reader work for
 * minutes too. One streamed pass over the bytes counts the delimiters outside quotes of each row (a quoted field
 * may hold line breaks: rows, not physical lines), with the delimiter the importer picks (the header's most
 * frequent). Stops at the first row too wide. Chunked reads keep the event loop free meanwhile.
 */
function checkCsvRows(path: string, fichier: string, limits: ImportLimits): Promise<LimitViolation | null> {
  return new Promise((resolve, reject) => {
    const input = createReadStream(path, { highWaterMark: 1024 * 1024 });
    let delimiter = -1;
    const header = { ';': 0, ',': 0, '\t': 0 };
    let quoted = false;
    let fields = 1;
    let row = 1;
    let done = false;
    input.on('data', (chunk) => {
      if (done) return;
      const bytes = chunk as Buffer;
      let quote = -1;
      for (let i = 0; i < bytes.length; i++) {
        // Fast path, at the start of a row: a line shorter than the limit and without quotes cannot be too wide —
        // skipped with native searches, so that the pass costs little more than reading the file.
        if (fields === 1 && !quoted && delimiter !== -1) {
          const nl = bytes.indexOf(0x0a, i);
          if (nl !== -1 && nl - i < limits.colonnesMax) {
            if (quote < i) {
              const next = bytes.indexOf(0x22, i);
              quote = next === -1 ? bytes.length : next;
            }
            if (quote > nl) {
              row += 1;
              i = nl;
              continue;
            }
          }
        }
        const b = bytes[i] as number;
        if (b === 0x22) quoted = !quoted;
        else if (quoted) continue;
        else if (b === 0x0a) {
          if (delimiter === -1) delimiter = header[';'] >= header[','] && header[';'] >= header['\t'] ? 0x3b : header[','] >= header['\t'] ? 0x2c : 0x09;
          row += 1;
          fields = 1;
        } else if (delimiter === -1) {
          if (b === 0x3b) header[';'] += 1;
          else if (b === 0x2c) header[','] += 1;
          else if (b === 0x09) header['\t'] += 1;
        } else if (b === delimiter && ++fields > limits.colonnesMax) {
          done = true;
          input.destroy();
          resolve(violation('dimensions', fichier, `la ligne compte plus de ${fmt(limits.colonnesMax)} champs ; au plus ${fmt(limits.colonnesMax)} colonnes acceptées`, row));
          return;
        }
      }
    });
    input.on('end', () => resolve(null));
    input.on('error', reject);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// XLSX: the zip's central directory, then each entry inflated as a stream.

interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly compressed: number;
  readonly dataStart: number;
}

async function checkXlsx(path: string, fichier: string, limits: ImportLimits): Promise<LimitViolation | null> {
  const listed = listEntries(path);
  if (typeof listed === 'string') return violation(listed.startsWith('archive de ') ? 'trop_gros' : 'illisible', fichier, listed);
  const names = sheetNames(listed, path);
  let budget = limits.decompresseMax;
  const tooBig = () =>
    violation('trop_gros', fichier, `le classeur se décompresse au-delà de ${fmt(Math.round(limits.decompresseMax / (1024 * 1024)))} Mo (archive piégée ou classeur trop grand : importez plutôt des CSV)`);
  // Sheets first: a lying dimension is refused before the rest of the archive is inflated.
  const ordered = [...listed].sort((a, b) => Number(isSheet(b.name)) - Number(isSheet(a.name)));
  for (const entry of ordered) {
    if (entry.method !== 0 && entry.method !== 8) return violation('illisible', fichier, `méthode de compression ${entry.method} non prise en charge dans un fichier XLSX`);
    const scanner: Scanner | null = isSheet(entry.name)
      ? new SheetScanner(fichier, names.get(entry.name) ?? entry.name, limits)
      : /^xl\/sharedStrings\.xml$/i.test(entry.name)
        ? new StringsScanner(fichier, limits)
        : null;
    const result = await inflateEntry(path, entry, budget, scanner);
    if (result === 'invalide') return violation('illisible', fichier, 'fichier XLSX illisible (données compressées invalides)');
    if (result === 'trop') return tooBig();
    if (typeof result !== 'number') return result;
    budget -= result;
    const final = scanner?.finish();
    if (final) return final;
  }
  return null;
}

const isSheet = (name: string) => /^xl\/worksheets\/[^/]+\.xml$/i.test(name);

function listEntries(path: string): ZipEntry[] | string {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const read = (position: number, length: number): Buffer => {
      const buf = Buffer.alloc(Math.max(0, Math.min(length, size - position)));
      readSync(fd, buf, 0, buf.length, position);
      return buf;
    };
    const tailStart = Math.max(0, size - 22 - 0xffff);
    const tail = read(tailStart, size - tailStart);
    let eocd = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) return 'fichier XLSX illisible (archive zip sans répertoire central)';
    const count = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    if (count === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff) return 'archive zip64 non prise en charge : enregistrez le classeur depuis un tableur';
    if (count > ZIP_ENTRIES_MAX) return `archive de ${count} entrées refusée (${ZIP_ENTRIES_MAX} au plus)`;
    if (cdOffset + cdSize > size) return 'fichier XLSX illisible (répertoire central hors du fichier)';
    const cd = read(cdOffset, cdSize);
    const entries: ZipEntry[] = [];
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50) return 'fichier XLSX illisible (entrée du répertoire central invalide)';
      const method = cd.readUInt16LE(p + 10);
      const compressed = cd.readUInt32LE(p + 20);
      const nameLength = cd.readUInt16LE(p + 28);
      const local = cd.readUInt32LE(p + 42);
      const name = cd.subarray(p + 46, p + 46 + nameLength).toString('utf8');
      p += 46 + nameLength + cd.readUInt16LE(p + 30) + cd.readUInt16LE(p + 32);
      const header = read(local, 30);
      if (header.length < 30 || header.readUInt32LE(0) !== 0x04034b50) return 'fichier XLSX illisible (en-tête local invalide)';
      const dataStart = local + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
      if (dataStart > size) return 'fichier XLSX illisible (données hors du fichier)';
      entries.push({ name, method, compressed: Math.min(compressed, size - dataStart), dataStart });
    }
    return entries;
  } finally {
    closeSync(fd);
  }
}

/** Sheet names by entry path (« Feuil1 » for xl/worksheets/sheet1.xml), from the workbook and its relations; best effort. */
function sheetNames(entries: readonly ZipEntry[], path: string): Map<string, string> {
  const out = new Map<string, string>();
  const small = (name: string): string | null => {
    const entry = entries.find((e) => e.name === name);
    if (!entry || entry.compressed > 1024 * 1024) return null;
    const fd = openSync(path, 'r');
    try {
      const buf = Buffer.alloc(entry.compressed);
      readSync(fd, buf, 0, buf.length, entry.dataStart);
      // Bounded: a workbook's list of sheets is small; a bomb hidden here is cut at 4 Mo and counted again later.
      return entry.method === 0 ? buf.toString('utf8') : inflateRawSyncBounded(buf, 4 * 1024 * 1024);
    } catch {
      return null;
    } finally {
      closeSync(fd);
    }
  };
  const workbook = small('xl/workbook.xml');
  const rels = small('xl/_rels/workbook.xml.rels');
  if (!workbook || !rels) return out;
  const targets = new Map<string, string>();
  for (const m of rels.matchAll(/<(?:\w+:)?Relationship\b([^>]*)>/g)) {
    const id = attr(m[1] as string, 'Id');
    const target = attr(m[1] as string, 'Target');
    if (id && target) targets.set(id, target.startsWith('/') ? target.slice(1) : `xl/${target}`);
  }
  for (const m of workbook.matchAll(/<(?:\w+:)?sheet\b([^>]*)>/g)) {
    const name = attr(m[1] as string, 'name');
    const id = attr(m[1] as string, 'r:id') ?? attr(m[1] as string, 'id');
    const target = id ? targets.get(id) : undefined;
    if (name && target) out.set(target, decodeXml(name));
  }
  return out;
}

function inflateRawSyncBounded(buf: Buffer, max: number): string | null {
  try {
    return inflateRawSync(buf, { maxOutputLength: max }).toString('utf8');
  } catch {
    return null;
  }
}

const attr = (attrs: string, name: string): string | null => {
  const m = new RegExp(`(?:^|\\s)${name.replace(':', '\\:')}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(attrs);
  return m ? ((m[1] ?? m[2]) as string) : null;
};
const R_ATTR = /(?:^|\s)r\s*=\s*(?:"([^"]*)"|'([^']*)')/;
const REF_ATTR = /(?:^|\s)ref\s*=\s*(?:"([^"]*)"|'([^']*)')/;
const quick = (re: RegExp, attrs: string): string | null => {
  const m = re.exec(attrs);
  return m ? ((m[1] ?? m[2]) as string) : null;
};
const decodeXml = (s: string) =>
  s.replace(/&(lt|gt|amp|quot|apos);/g, (_, e: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[e] as string);

/**
 * Inflates one entry as a stream, counting (and, for a sheet, scanning) the output and throwing it away. Stops
 * at the first violation: the bytes of the 17-billion-cell sheet are never all inflated.
 */
function inflateEntry(path: string, entry: ZipEntry, budget: number, scanner: Scanner | null): Promise<number | 'trop' | 'invalide' | LimitViolation> {
  // An empty entry (a folder, an empty part) has nothing to read.
  if (entry.compressed <= 0) return Promise.resolve(entry.method === 8 ? 'invalide' : 0);
  return new Promise((resolve) => {
    let total = 0;
    let settled = false;
    const input = createReadStream(path, { start: entry.dataStart, end: entry.dataStart + entry.compressed - 1 });
    const stop = (value: number | 'trop' | 'invalide' | LimitViolation) => {
      if (settled) return;
      settled = true;
      input.destroy();
      inflate?.destroy();
      resolve(value);
    };
    const onData = (chunk: Buffer) => {
      if (settled) return;
      total += chunk.length;
      if (total > budget) return stop('trop');
      const found = scanner?.push(chunk);
      if (found) stop(found);
    };
    const inflate = entry.method === 8 ? createInflateRaw() : null;
    input.on('error', () => stop('invalide'));
    if (inflate) {
      inflate.on('data', onData);
      inflate.on('end', () => stop(total));
      inflate.on('error', () => stop(total > budget ? 'trop' : 'invalide'));
      input.pipe(inflate);
    } else {
      input.on('data', (chunk) => onData(chunk as Buffer));
      input.on('end', () => stop(total));
    }
  });
}

/**
 * Reads a sheet's XML as it streams by, looking only at the tags that decide the spreadsheet reader's work: the
 * declared `<dimension>`, the rows and cells (with or without their `r` reference) and the merged ranges (the
 * reader creates every cell of a merged range).
 */
const SHARED_STRING = /<(?:[A-Za-z_][\w.-]*:)?si[\s/>]/g;

interface Scanner {
  push(chunk: Buffer): LimitViolation | null;
  finish(): LimitViolation | null;
}

/**
 * The shared strings: the reader keeps one string per entry, so a table of tens of millions of tiny strings (well
 * within the inflated-size limit) would exhaust memory as surely as a sheet of empty cells. A workbook's shared
 * strings are the texts of its cells: at most as many as the cells allowed.
 */
class StringsScanner implements Scanner {
  private carry = '';
  private count = 0;

  constructor(
    private readonly fichier: string,
    private readonly limits: ImportLimits,
  ) {}

  push(chunk: Buffer): LimitViolation | null {
    // Matches starting in the last 16 characters are counted with the next chunk, which starts with them.
    const text = this.carry + chunk.toString('latin1');
    const cut = text.length - 16;
    for (const m of text.matchAll(SHARED_STRING)) if (m.index < cut) this.count += 1;
    this.carry = text.slice(Math.max(0, cut));
    return this.check();
  }

  finish(): LimitViolation | null {
    this.count += [...this.carry.matchAll(SHARED_STRING)].length;
    this.carry = '';
    return this.check();
  }

  private check(): LimitViolation | null {
    if (this.count <= this.limits.cellulesMax) return null;
    return violation('dimensions', this.fichier, `le classeur déclare plus de ${fmt(this.limits.cellulesMax)} textes partagés ; au plus ${fmt(this.limits.cellulesMax)} cellules acceptées (importez plutôt un CSV)`);
  }
}

class SheetScanner implements Scanner {
  private carry = '';
  private row = 0;
  private col = 0;
  private maxRow = 0;
  private maxCol = 0;

  constructor(
    private readonly fichier: string,
    private readonly feuille: string,
    private readonly limits: ImportLimits,
  ) {}

  push(chunk: Buffer): LimitViolation | null {
    // Tags are ASCII: latin1 never splits a character and keeps offsets simple.
    let text = this.carry + chunk.toString('latin1');
    const lastClose = text.lastIndexOf('>');
    const lastOpen = text.lastIndexOf('<');
    this.carry = lastOpen > lastClose ? text.slice(lastOpen, lastOpen + 64 * 1024) : '';
    text = text.slice(0, lastClose + 1);
    for (const m of text.matchAll(/<(?:[A-Za-z_][\w.-]*:)?(dimension|row|c|mergeCell)(?=[\s/>])([^>]*)>/g)) {
      const tag = m[1] as string;
      const attrs = m[2] as string;
      if (tag === 'c') {
        const ref = quick(R_ATTR, attrs);
        const parsed = ref ? parseCell(ref) : null;
        this.col = parsed ? parsed.col : this.col + 1;
        if (parsed && parsed.row > 0) this.row = Math.max(this.row, parsed.row);
        this.extend(this.row, this.col);
      } else if (tag === 'row') {
        const r = quick(R_ATTR, attrs);
        this.row = r && /^\d{1,9}$/.test(r) ? Number(r) : this.row + 1;
        this.col = 0;
        this.extend(this.row, 0);
      } else {
        const ref = quick(REF_ATTR, attrs);
        const range = ref ? parseRange(ref) : null;
        if (!range) continue;
        if (tag === 'dimension') {
          const declared = this.check(range.rows, range.cols, 'déclare');
          if (declared) return declared;
        } else this.extend(range.lastRow, range.lastCol);
      }
      const real = this.check(this.maxRow, this.maxCol, 'contient des cellules sur');
      if (real) return real;
    }
    return null;
  }

  finish(): LimitViolation | null {
    return this.check(this.maxRow, this.maxCol, 'contient des cellules sur');
  }

  private extend(row: number, col: number): void {
    if (row > this.maxRow) this.maxRow = row;
    if (col > this.maxCol) this.maxCol = col;
  }

  private check(rows: number, cols: number, verbe: string): LimitViolation | null {
    if (cols <= this.limits.colonnesMax && rows * cols <= this.limits.cellulesMax) return null;
    return violation(
      'dimensions',
      this.fichier,
      `la feuille « ${this.feuille} » ${verbe} ${fmt(cols)} colonne${cols > 1 ? 's' : ''} × ${fmt(rows)} ligne${rows > 1 ? 's' : ''} ; au plus ${fmt(this.limits.colonnesMax)} colonnes et ${fmt(this.limits.cellulesMax)} cellules acceptées (importez plutôt un CSV)`,
    );
  }
}

/** `AB12` → column 28, row 12 (row 0 when the reference names a whole column). */
function parseCell(ref: string): { col: number; row: number } | null {
  const m = /^\$?([A-Za-z]{1,7})\$?(\d{0,10})$/.exec(ref.trim());
  if (!m) return null;
  let col = 0;
  for (const ch of (m[1] as string).toUpperCase()) col = col * 26 + (ch.charCodeAt(0) - 64);
  return { col, row: m[2] ? Number(m[2]) : 0 };
}

function parseRange(ref: string): { rows: number; cols: number; lastRow: number; lastCol: number } | null {
  const [a, b] = ref.split(':');
  const first = a ? parseCell(a) : null;
  const last = b ? parseCell(b) : first;
  if (!first || !last) return null;
  const lastRow = Math.max(first.row, last.row);
  const lastCol = Math.max(first.col, last.col);
  // The reader allocates from A1 whatever the range's start: the extent is what counts.
  return { rows: lastRow, cols: lastCol, lastRow, lastCol };
}
