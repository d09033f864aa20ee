import type { FileName } from '@mixite/core';
import { modeleFichier } from '@mixite/core';
import ExcelJS from 'exceljs';

/**
 * The XLSX template of a file: one sheet named after the file, the header row and the example row, every cell
 * typed as text (format `@`) so that a code INSEE or a NUR typed into it keeps its leading zeros.
 */
export async function modeleXlsx(fichier: FileName): Promise<Buffer> {
  const modele = modeleFichier(fichier);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(fichier);
  const noms = modele.colonnes.map((c) => c.nom);
  sheet.addRow(noms);
  sheet.addRow(noms.map((n) => modele.exemple[n] ?? ''));
  for (let c = 1; c <= noms.length; c++) {
    const column = sheet.getColumn(c);
    column.numFmt = '@';
    column.width = Math.max(12, (noms[c - 1] ?? '').length + 2);
  }
  sheet.getRow(1).font = { bold: true };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
