// The XLSX writer's heavy half, in a worker thread (table-file.ts, `ecrireXlsx`): exceljs turns each row into XML
// and deflates it here, so the server's thread only hands over rows and passes the bytes on. Plain JavaScript so
// that it loads without the TypeScript loader, whatever started the server (tsx, the CLI's register()).
//
// Protocol: the parent sends { type: 'debut', titre, colonnes: [{ libelle, largeur, format }] }, then batches
// { type: 'lignes', lignes: [[cell…]…], formats: [{ colonne: numFmt } | null…] } — cells already made safe by `celluleXlsx` (@mixite/core): text, finite
// numbers or null, never a formula — and { type: 'fin' }. The worker answers every batch with { type: 'lot' } once
// it is written, sends the file as { type: 'octets', octets } chunks, and { type: 'termine' } at the very end.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { Writable } from 'node:stream';
import { parentPort } from 'node:worker_threads';
import ExcelJS from 'exceljs';

if (!parentPort) throw new Error('xlsx-worker.mjs se lance comme worker thread');
const port = parentPort;

// The lowest scheduling priority for this thread only (Linux: a thread's id given to setpriority names the thread):
// when the processor is busy, the server's thread, which answers the other users, goes first. Elsewhere the worker
// keeps the process's priority.
try {
  const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  if (Number.isInteger(tid) && tid > 0) setPriority(tid, 19);
} catch {
  // No /proc (macOS, Windows) or not allowed: the worker runs at the process's priority.
}

/** One stream per workbook: exceljs ends it with the file. */
const nouvelleSortie = () =>
  new Writable({
    write(chunk, _encoding, callback) {
      const octets = new Uint8Array(chunk);
      port.postMessage({ type: 'octets', octets }, [octets.buffer]);
      callback();
    },
  });

let workbook = null;
let sheet = null;

port.on('message', async (message) => {
  try {
    if (message.type === 'debut') {
      workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: nouvelleSortie(), useStyles: true, useSharedStrings: false });
      workbook.creator = 'Mixité';
      sheet = workbook.addWorksheet(message.titre, { views: [{ state: 'frozen', ySplit: 1 }] });
      message.colonnes.forEach((col, i) => {
        const column = sheet.getColumn(i + 1);
        column.width = col.largeur;
        if (col.format) column.numFmt = col.format;
      });
      const header = sheet.addRow(message.colonnes.map((col) => col.libelle));
      header.font = { bold: true };
      header.commit();
    } else if (message.type === 'lignes') {
      message.lignes.forEach((cells, i) => {
        const row = sheet.addRow(cells);
        // A row's own number formats (a rate shown with two decimals beside its target), over the column's.
        for (const [colonne, format] of Object.entries(message.formats?.[i] ?? {})) row.getCell(Number(colonne) + 1).numFmt = format;
        row.commit();
      });
      port.postMessage({ type: 'lot' });
    } else if (message.type === 'fin') {
      sheet.commit();
      await workbook.commit();
      port.postMessage({ type: 'termine' });
    }
  } catch (error) {
    port.postMessage({ type: 'erreur', nom: error?.name ?? 'Error' });
  }
});
