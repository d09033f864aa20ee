import { createWriteStream } from 'node:fs';
import { basename, join } from 'node:path';
import ExcelJS from 'exceljs';
import type { ImportProblem } from './problems.ts';
import { maxProblemsPerFile, problem } from './problems.ts';

/**
 * Converts the first sheet of an XLSX workbook to a UTF-8 `;` CSV, one CSV line per sheet row, so that line
 * numbers in error messages are those the spreadsheet shows. Empty rows stay as empty lines of delimiters.
 *
 * What a spreadsheet can hide is refused with the cell's line and column, never silently filled in:
 * - a formula without its computed value (a workbook written by a program that does not calculate);
 * - an error cell (#N/A, #REF!, #DIV/0!… typed or computed);
 * - merged cells: only the first cell holds the value, the reader would copy it into the others;
 * - a number of 16 digits or more (Excel keeps 15: the others are already lost).
 * Numbers are written as text the way they read: integers without `.0` nor exponent, and a zero-padded
 * number format (`00000`, the usual way to keep an INSEE code or a NUR's leading zero) is applied.
 */

export interface XlsxConversion {
  readonly csvPath: string;
  /** The name of the sheet read (the first one), for the report: « classeur Excel, feuille X ». */
  readonly feuille: string;
  /** Located problems: when there is any, the CSV must not be used. */
  readonly problems: readonly ImportProblem[];
}

export async function xlsxToCsv(sourcePath: string, workDir: string, stem: string, fichier: string = basename(sourcePath)): Promise<XlsxConversion> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(sourcePath);
  const sheet = workbook.worksheets[0];
  const csvPath = join(workDir, `${stem}-${Math.random().toString(36).slice(2)}.csv`);
  const problems: ImportProblem[] = [];
  const out = createWriteStream(csvPath, { encoding: 'utf8' });
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
  });
  if (sheet) {
    const width = Math.max(sheet.columnCount, 1);
    const header = sheet.getRow(1);
    const columnName = (c: number) => {
      const h = header.getCell(c).value;
      return typeof h === 'string' && h.trim() !== '' ? h.trim() : `colonne ${header.getCell(c).address.replace(/[0-9]+$/, '')}`;
    };
    const report = (ligne: number, c: number | null, valeur: string | null, message: string) => {
      if (problems.length < maxProblemsPerFile()) problems.push(problem({ fichier, ligne, colonne: c === null ? null : columnName(c), valeur, message }));
    };
    for (const range of mergedRanges(sheet)) {
      const first = sheet.getCell(range.split(':')[0] ?? 'A1');
      report(
        Number(first.row),
        Number(first.col),
        range,
        'cellules fusionnées : la valeur n’est écrite que dans la première, les autres seraient lues vides ou recopiées au hasard — défusionnez et écrivez la valeur dans chaque cellule',
      );
    }
    let chunk = '';
    for (let r = 1; r <= sheet.rowCount; r++) {
      const row = sheet.getRow(r);
      const cells: string[] = [];
      for (let c = 1; c <= width; c++) {
        const cell = row.getCell(c);
        const read = cellText(cell.value, cell.numFmt);
        if (read.ok) cells.push(quote(read.text));
        else {
          report(r, c, cell.address, read.message);
          cells.push('');
        }
      }
      chunk += `${cells.join(';')}\n`;
      if (chunk.length > 1 << 20) {
        if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
        chunk = '';
      }
    }
    out.write(chunk);
  }
  out.end();
  await done;
  return { csvPath, feuille: sheet?.name ?? '', problems };
}

function mergedRanges(sheet: ExcelJS.Worksheet): string[] {
  const merges = (sheet.model as { merges?: unknown }).merges;
  return Array.isArray(merges) ? merges.filter((m): m is string => typeof m === 'string') : [];
}

type Read = { ok: true; text: string } | { ok: false; message: string };

/** Excel keeps 15 significant digits: from 10^15 on, an integer may already have lost its last digits. */
const MAX_EXACT_INTEGER = 1e15;

function cellText(value: ExcelJS.CellValue, numFmt: string | undefined): Read {
  if (value === null || value === undefined) return { ok: true, text: '' };
  if (value instanceof Date) return { ok: true, text: value.toISOString().slice(0, 10) };
  if (typeof value === 'number') return numberText(value, numFmt);
  if (typeof value === 'boolean') return { ok: true, text: value ? '1' : '0' };
  if (typeof value === 'string') return { ok: true, text: value };
  if ('error' in value) return { ok: false, message: `cellule en erreur (${String(value.error)}) : corrigez-la ou videz-la` };
  if ('richText' in value) return { ok: true, text: value.richText.map((part) => part.text).join('') };
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as { result?: ExcelJS.CellValue }).result;
    if (result === undefined || result === null) {
      const formula = (value as { formula?: string; sharedFormula?: string }).formula ?? (value as { sharedFormula?: string }).sharedFormula ?? '';
      return {
        ok: false,
        message: `formule sans valeur calculée (=${formula.slice(0, 40)}) : le classeur n’a pas été recalculé — ouvrez-le et enregistrez-le dans un tableur, ou collez les valeurs`,
      };
    }
    if (typeof result === 'object' && !(result instanceof Date) && 'error' in result) {
      return { ok: false, message: `formule en erreur (${String(result.error)}) : corrigez-la ou remplacez-la par sa valeur` };
    }
    return cellText(result, numFmt);
  }
  if ('text' in value) return { ok: true, text: String(value.text) };
  return { ok: true, text: '' };
}

function numberText(n: number, numFmt: string | undefined): Read {
  if (!Number.isFinite(n)) return { ok: false, message: 'nombre illisible' };
  if (Number.isInteger(n)) {
    if (Math.abs(n) >= MAX_EXACT_INTEGER) {
      return {
        ok: false,
        message: 'nombre de 16 chiffres ou plus : le tableur n’en garde que 15 (les derniers sont perdus) — saisissez ces identifiants en cellules de texte',
      };
    }
    const text = BigInt(n).toString();
    // A zero-padded format shows (and means) the leading zeros the number lost: 1004 in `00000` is the INSEE code 01004.
    return { ok: true, text: n >= 0 && numFmt !== undefined && /^0+$/.test(numFmt) ? text.padStart(numFmt.length, '0') : text };
  }
  return { ok: true, text: String(n) };
}

function quote(cell: string): string {
  return /[;"\n\r]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}
