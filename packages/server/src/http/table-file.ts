/**
 * The files of the « Exporter » buttons: a table (title, typed columns, rows) turned into CSV or XLSX in one
 * place, for the aggregate tables the page sends back and for the household lists the server reads itself.
 *
 * Both writers stream: rows are written in batches to a Node stream, with a pause between batches so that the
 * other requests are served while a large file is written (exceljs's in-memory workbook held the event loop
 * for tens of seconds on 500 000 rows). Every text cell goes through the formula-injection rule of
 * @mixite/core (`texteCsv`, `celluleXlsx`).
 */
import { PassThrough, Readable } from 'node:stream';
import type { Writable } from 'node:stream';
import { setImmediate as pause } from 'node:timers/promises';
import { celluleXlsx, texteCsv } from '@mixite/core';
import ExcelJS from 'exceljs';
import type { Colonne } from '../contract.ts';

export type FormatExport = 'csv' | 'xlsx';
export const FORMATS_EXPORT: readonly FormatExport[] = ['csv', 'xlsx'];

/** What a writer needs: the rows may be produced as they are written. */
export interface TableauAEcrire {
  readonly titre: string;
  readonly colonnes: readonly Colonne[];
  readonly lignes: Iterable<object>;
}

/** Told the number of rows written after each batch (the progress of a background export). */
export type Progression = (lignesEcrites: number) => void;

/**
 * The writers pause (letting the other requests run) as soon as they have worked this long since the last pause:
 * a time slice rather than a number of rows, so that a slow machine or a wide table pauses as often.
 */
const TRANCHE_MS = 8;
/** Rows between two looks at the clock. */
const LOT = 50;

/** A clock of the writer's work: `due()` says when the slice is used up. */
function tranche(): { due: () => boolean; reprendre: () => void } {
  let debut = performance.now();
  return { due: () => performance.now() - debut >= TRANCHE_MS, reprendre: () => (debut = performance.now()) };
}

export const TYPES_MIME: Record<FormatExport, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/**
 * CSV for a spreadsheet opened in France: `;` separator, decimal comma, UTF-8 with a BOM (without it Excel
 * reads the accents as Windows-1252). Shares stay shares (0,253), not rounded percentages, so nothing is lost.
 */
export async function ecrireCsv(tableau: TableauAEcrire, sortie: Writable, progression?: Progression): Promise<void> {
  const cles = tableau.colonnes.map((col) => col.cle);
  let lot = `\uFEFF${tableau.colonnes.map((col) => quote(texteCsv(col.libelle))).join(';')}\r\n`;
  let n = 0;
  const horloge = tranche();
  for (const row of tableau.lignes) {
    const record = row as Record<string, unknown>;
    lot += `${cles.map((cle) => quote(csvCell(record[cle]))).join(';')}\r\n`;
    if (++n % LOT === 0 && horloge.due()) {
      await ecrire(sortie, lot);
      lot = '';
      progression?.(n);
      await pause();
      horloge.reprendre();
    }
  }
  await ecrire(sortie, lot);
  progression?.(n);
  sortie.end();
  await fini(sortie);
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  // A number is written as a number whatever the column says (a negative one stays a number for the spreadsheet).
  if (typeof value === 'number') return Number.isFinite(value) ? String(value).replace('.', ',') : '';
  if (typeof value === 'boolean') return value ? 'oui' : 'non';
  return texteCsv(Array.isArray(value) ? value.map(String).join(', ') : String(value));
}

const quote = (s: string) => (/[;"\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

/**
 * XLSX with exceljs's streaming writer: each row is committed (turned into XML and sent to the zip stream) as
 * it is added, so memory stays flat and the batches leave room for the other requests.
 */
export async function ecrireXlsx(tableau: TableauAEcrire, sortie: Writable, progression?: Progression): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sortie, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Mixité';
  // Sheet names are limited to 31 characters and some punctuation.
  const sheet = workbook.addWorksheet(tableau.titre.replace(/[\\/?*[\]:']/g, ' ').slice(0, 31).trim() || 'Tableau', { views: [{ state: 'frozen', ySplit: 1 }] });
  tableau.colonnes.forEach((col, i) => {
    const column = sheet.getColumn(i + 1);
    column.width = Math.min(50, Math.max(10, col.libelle.length + 2));
    const format = numberFormat(col);
    if (format) column.numFmt = format;
  });
  const header = sheet.addRow(tableau.colonnes.map((col) => col.libelle));
  header.font = { bold: true };
  header.commit();
  let n = 0;
  const horloge = tranche();
  for (const row of tableau.lignes) {
    const record = row as Record<string, unknown>;
    sheet.addRow(tableau.colonnes.map((col) => celluleXlsx(record[col.cle]))).commit();
    if (++n % LOT === 0 && horloge.due()) {
      progression?.(n);
      await pause();
      horloge.reprendre();
    }
  }
  sheet.commit();
  await workbook.commit();
  progression?.(n);
  await fini(sortie);
}

export function ecrireTableau(format: FormatExport, tableau: TableauAEcrire, sortie: Writable, progression?: Progression): Promise<void> {
  return format === 'csv' ? ecrireCsv(tableau, sortie, progression) : ecrireXlsx(tableau, sortie, progression);
}

/**
 * A streamed HTTP answer: the file is written while it is sent. A failure in the middle cuts the connection
 * (the browser reports an incomplete download) rather than sending a truncated file as if it were whole.
 */
export function reponseFichier(format: FormatExport, tableau: TableauAEcrire): Response {
  const flux = new PassThrough();
  ecrireTableau(format, tableau, flux).catch((error: unknown) => flux.destroy(error as Error));
  return new Response(Readable.toWeb(flux) as ReadableStream<Uint8Array>, {
    headers: { 'content-type': TYPES_MIME[format], 'content-disposition': disposition(`${fileName(tableau.titre)}.${format}`) },
  });
}

/** Writes, waiting for the stream to drain when its buffer is full (a slow client slows the writer, not the memory). */
async function ecrire(sortie: Writable, texte: string): Promise<void> {
  if (texte === '') return;
  if (!sortie.write(texte)) await attendre(sortie, 'drain');
}

/** Resolves when everything written has been flushed (a file) or handed to the reader (a stream). */
async function fini(sortie: Writable): Promise<void> {
  if (!sortie.writableFinished) await attendre(sortie, 'finish');
}

/** Waits for `evenement`; fails if the stream breaks or closes first (a client gone), so that the writer stops. */
function attendre(sortie: Writable, evenement: 'drain' | 'finish'): Promise<void> {
  if (sortie.destroyed) return Promise.reject(new Error('flux d’export fermé avant la fin'));
  return new Promise((resolve, reject) => {
    const fin = () => {
      nettoyer();
      resolve();
    };
    const echec = (error?: Error) => {
      nettoyer();
      reject(error ?? new Error('flux d’export fermé avant la fin'));
    };
    const ferme = () => echec();
    const nettoyer = () => {
      sortie.off(evenement, fin);
      sortie.off('error', echec);
      sortie.off('close', ferme);
    };
    sortie.once(evenement, fin);
    sortie.once('error', echec);
    sortie.once('close', ferme);
  });
}

function numberFormat(col: Colonne): string | undefined {
  switch (col.type) {
    case 'taux':
      return '0.0%';
    case 'entier':
      return '0';
    case 'nombre':
      return '#,##0.00';
    default:
      return undefined;
  }
}

export function fileName(titre: string): string {
  const base = titre
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();
  return base || 'tableau';
}

export const disposition = (name: string) => `attachment; filename="${name}"`;
