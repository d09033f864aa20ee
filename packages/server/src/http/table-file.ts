/**
 * The files of the « Exporter » buttons: the table on screen, as the user sees it (same rows, same order),
 * turned into CSV or XLSX by the server so that both formats are written in one place.
 */
import ExcelJS from 'exceljs';
import type { Colonne, Tableau } from '../contract.ts';

/**
 * CSV for a spreadsheet opened in France: `;` separator, decimal comma, UTF-8 with a BOM (without it Excel
 * reads the accents as Windows-1252). Shares stay shares (0,253), not rounded percentages, so nothing is lost.
 */
export function toCsv(tableau: Tableau<object>): string {
  const lines = [tableau.colonnes.map((col) => quote(col.libelle)).join(';')];
  for (const row of tableau.lignes) {
    lines.push(tableau.colonnes.map((col) => quote(csvCell(col, (row as Record<string, unknown>)[col.cle]))).join(';'));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

function csvCell(col: Colonne, value: unknown): string {
  if (value === null || value === undefined) return '';
  switch (col.type) {
    case 'entier':
    case 'nombre':
    case 'taux':
      return typeof value === 'number' ? String(value).replace('.', ',') : String(value);
    case 'booleen':
      return value === true ? 'oui' : value === false ? 'non' : String(value);
    case 'texte':
    case 'date':
      return Array.isArray(value) ? value.join(', ') : String(value);
  }
}

const quote = (s: string) => (/[;"\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

export async function toXlsx(tableau: Tableau<object>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Mixité';
  // Sheet names are limited to 31 characters and some punctuation.
  const sheet = workbook.addWorksheet(tableau.titre.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31) || 'Tableau');
  sheet.columns = tableau.colonnes.map((col) => ({
    header: col.libelle,
    key: col.cle,
    width: Math.min(50, Math.max(10, col.libelle.length + 2)),
    style: { numFmt: numberFormat(col) },
  }));
  for (const row of tableau.lignes) {
    const record = row as Record<string, unknown>;
    sheet.addRow(Object.fromEntries(tableau.colonnes.map((col) => [col.cle, xlsxCell(col, record[col.cle])])));
  }
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
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

function xlsxCell(col: Colonne, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (col.type === 'booleen') return value === true ? 'oui' : value === false ? 'non' : String(value);
  if (Array.isArray(value)) return value.join(', ');
  return value;
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
