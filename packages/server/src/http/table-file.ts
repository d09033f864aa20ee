/**
 * The files of the « Exporter » buttons: a table (title, typed columns, rows) turned into CSV or XLSX in one
 * place, for the aggregate tables the page sends back and for the household lists the server reads itself.
 *
 * Both writers stream: rows are written in batches to a Node stream, with a pause between batches so that the
 * other requests are served while a large file is written (exceljs's in-memory workbook held the event loop
 * for tens of seconds on 500 000 rows). Every text cell goes through the formula-injection rule of
 * @mixite/core (`celluleXlsx`, and `texteCsv` through the one CSV writer of tables,
 * `@mixite/core/tableau`, which writes each line).
 */
import { PassThrough, Readable } from 'node:stream';
import type { Writable } from 'node:stream';
import { setImmediate as pause } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { celluleXlsx } from '@mixite/core';
import { formaterTauxContreCible } from '@mixite/core/francais';
import { CSV_TABLEUR, enteteCsv, ligneCsv, pourcentage } from '@mixite/core/tableau';
import type { CelluleXlsx } from '@mixite/core';
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
 * reads the accents as Windows-1252). Shares are written as percentages with the decimals the screen prints
 * (« 15,6% », which the spreadsheet reads as the number 0,156): one decimal, more on an indicator row whose rate
 * would print like its target (formaterTauxContreCible). The raw fraction is in indicateurs.csv, the machine file.
 */
export async function ecrireCsv(tableau: TableauAEcrire, sortie: Writable, progression?: Progression): Promise<void> {
  const cles = tableau.colonnes.map((col) => col.cle);
  const taux = new Set(tableau.colonnes.filter((col) => col.type === 'taux').map((col) => col.cle));
  let lot = enteteCsv(tableau.colonnes.map((col) => col.libelle), CSV_TABLEUR);
  let n = 0;
  const horloge = tranche();
  for (const row of tableau.lignes) {
    const record = row as Record<string, unknown>;
    // A number is written as a number whatever the column says (a negative one stays a number for the spreadsheet).
    const decimales = decimalesDeLaLigne(record);
    lot += ligneCsv(cles.map((cle) => (taux.has(cle) ? pourcentage(record[cle] as number | null, decimales) : record[cle])), CSV_TABLEUR);
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

/** What xlsx-worker.mjs sends back. */
type MessageWorker = { type: 'octets'; octets: Uint8Array } | { type: 'lot' } | { type: 'termine' } | { type: 'erreur'; nom: string };

/** The worker that runs exceljs (xlsx-worker.mjs). */
const XLSX_WORKER = new URL('./xlsx-worker.mjs', import.meta.url);
/** Rows handed to the worker at a time. */
const LOT_XLSX = 1_000;

/**
 * XLSX with exceljs's streaming writer, in a worker thread: turning rows into XML and deflating them is the heavy
 * part of an export (the red team's 500 000-row workbook held the event loop 24–66 s), so it runs beside the
 * server's thread, which only makes the cells safe (`celluleXlsx`), hands them over a batch at a time (waiting for
 * each to be written, so memory stays flat) and passes the bytes on to `sortie`.
 */
export function ecrireXlsx(tableau: TableauAEcrire, sortie: Writable, progression?: Progression): Promise<void> {
  // One workbook at a time in the one worker: a second export waits for the first.
  const tour = fileXlsx.then(() => ecrireXlsxDansLeWorker(tableau, sortie, progression));
  fileXlsx = tour.catch(() => {});
  return tour;
}

/** The worker, started at the first XLSX (loading exceljs takes a moment) and kept; replaced after a failure. */
let travailleur: Worker | null = null;
let fileXlsx: Promise<void> = Promise.resolve();

function worker(): Worker {
  if (!travailleur) {
    const w = new Worker(XLSX_WORKER);
    // Idle, it does not keep the process alive.
    w.unref();
    w.on('exit', () => {
      if (travailleur === w) travailleur = null;
    });
    travailleur = w;
  }
  return travailleur;
}

async function ecrireXlsxDansLeWorker(tableau: TableauAEcrire, sortie: Writable, progression?: Progression): Promise<void> {
  const w = worker();
  let rejeter: (error: Error) => void = () => {};
  let termine: () => void = () => {};
  const fin = new Promise<void>((resolve, reject) => {
    termine = resolve;
    rejeter = reject;
  });
  // A rejection seen before it is awaited is not an unhandled one: it is awaited below, at the next batch.
  fin.catch(() => {});
  let accuse: (() => void) | null = null;
  let ecritures: Promise<void> = Promise.resolve();
  const message = (m: MessageWorker) => {
    if (m.type === 'octets') {
      const octets = m.octets;
      ecritures = ecritures.then(() => ecrire(sortie, octets));
      ecritures.catch((error: unknown) => rejeter(error as Error));
    } else if (m.type === 'lot') {
      accuse?.();
    } else if (m.type === 'termine') termine();
    else rejeter(new Error(`écriture XLSX impossible (${m.nom})`));
  };
  const erreur = (error: Error) => rejeter(error);
  const sortieDuWorker = () => rejeter(new Error('écriture XLSX interrompue'));
  w.on('message', message);
  w.on('error', erreur);
  w.on('exit', sortieDuWorker);
  const envoyer = async (lignes: CelluleXlsx[][], formats: (Record<number, string> | null)[]) => {
    const ecrit = new Promise<void>((resolve) => (accuse = resolve));
    w.postMessage({ type: 'lignes', lignes, formats });
    await Promise.race([ecrit, fin]);
    await Promise.race([ecritures, fin]);
  };
  let reussi = false;
  try {
    w.ref();
    w.postMessage({
      type: 'debut',
      // Sheet names are limited to 31 characters and some punctuation.
      titre: tableau.titre.replace(/[\\/?*[\]:']/g, ' ').slice(0, 31).trim() || 'Tableau',
      colonnes: tableau.colonnes.map((col) => ({ libelle: col.libelle, largeur: Math.min(50, Math.max(10, col.libelle.length + 2)), format: numberFormat(col) ?? null })),
    });
    let lot: CelluleXlsx[][] = [];
    let formats: (Record<number, string> | null)[] = [];
    let n = 0;
    // The rate columns take one decimal; a row whose rate would print like its target takes more, as on screen.
    const colonnesTaux = tableau.colonnes.flatMap((col, i) => (col.type === 'taux' ? [i] : []));
    for (const row of tableau.lignes) {
      const record = row as Record<string, unknown>;
      lot.push(tableau.colonnes.map((col) => celluleXlsx(record[col.cle])));
      const decimales = colonnesTaux.length > 0 ? decimalesDeLaLigne(record) : 1;
      formats.push(decimales > 1 ? Object.fromEntries(colonnesTaux.map((i) => [i, `0.${'0'.repeat(decimales)}%`])) : null);
      if (++n % LOT_XLSX === 0) {
        await envoyer(lot, formats);
        lot = [];
        formats = [];
        progression?.(n);
      }
    }
    if (lot.length > 0) await envoyer(lot, formats);
    w.postMessage({ type: 'fin' });
    await fin;
    await ecritures;
    progression?.(n);
    sortie.end();
    await fini(sortie);
    reussi = true;
  } finally {
    w.off('message', message);
    w.off('error', erreur);
    w.off('exit', sortieDuWorker);
    w.unref();
    // After a failure (a client gone mid-file), the worker's workbook is half written: start a fresh one next time.
    if (!reussi) {
      if (travailleur === w) travailleur = null;
      await w.terminate();
    }
  }
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
async function ecrire(sortie: Writable, texte: string | Uint8Array): Promise<void> {
  if (texte.length === 0) return;
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

/** The decimals of an indicator row's rates (rate, target, gap printed alike would need more), else one. */
function decimalesDeLaLigne(record: Record<string, unknown>): number {
  const { numerateur, denominateur, cible, taux } = record;
  if (typeof cible !== 'number' || typeof taux !== 'number') return 1;
  const compte = (v: unknown) => (typeof v === 'number' ? v : null);
  return formaterTauxContreCible(compte(numerateur), compte(denominateur), cible, taux).decimales;
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
