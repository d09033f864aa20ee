import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';

/**
 * Converts the first sheet of an XLSX workbook to a UTF-8 `;` CSV, one CSV line per sheet row, so that line
 * numbers in error messages are those the spreadsheet shows. Empty rows stay as empty lines of delimiters.
 */
export async function xlsxToCsv(sourcePath: string, workDir: string, stem: string): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(sourcePath);
  const sheet = workbook.worksheets[0];
  const csvPath = join(workDir, `${stem}-${Math.random().toString(36).slice(2)}.csv`);
  const out = createWriteStream(csvPath, { encoding: 'utf8' });
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
  });
  if (sheet) {
    const width = Math.max(sheet.columnCount, 1);
    let chunk = '';
    for (let r = 1; r <= sheet.rowCount; r++) {
      const row = sheet.getRow(r);
      const cells: string[] = [];
      for (let c = 1; c <= width; c++) cells.push(quote(cellText(row.getCell(c).value)));
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
  return csvPath;
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'string') return value;
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('formula' in value || 'sharedFormula' in value) return cellText((value as { result?: ExcelJS.CellValue }).result ?? null);
  if ('text' in value) return String(value.text);
  return '';
}

function quote(cell: string): string {
  return /[;"\n\r]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}
