import { texteCsv } from '../format/tableur.ts';
import type { PublishedIndicatorRow } from './secret.ts';
import type { IndicatorRow } from './targets.ts';
import { INDICATOR_EXPORT_COLUMNS } from './targets.ts';

/**
 * indicateurs.csv (DATA-FORMAT.md "Indicator export"): the stable columns in order, comma-separated (the
 * format accepts `,` or `;` on import and says nothing more for exports: `,` keeps the decimal point of the
 * rates unambiguous), UTF-8 without BOM, `\n` line ends. Rates with at most 6 decimals, booleans 0/1, unknown
 * or masked values empty. A published (masked) table adds one optional last column, `secret`. Text cells (ids and
 * codes, which come from imported files) go through the formula-injection rule (format/tableur.ts); numbers,
 * negative gaps included, are written as numbers.
 */

export const SECRET_COLUMN = 'secret' as const;

export function formatNombre(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '';
  const rounded = Math.round(value * 1e6) / 1e6;
  return String(Object.is(rounded, -0) ? 0 : rounded);
}

export const formatBooleen = (value: boolean | null): string => (value === null ? '' : value ? '1' : '0');

/** Quotes a field when it holds the delimiter, a quote or a line break (RFC 4180). */
export function champCsv(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function indicateursCsv(rows: readonly (IndicatorRow | PublishedIndicatorRow)[], options: { secret?: boolean } = {}): string {
  const header = options.secret ? [...INDICATOR_EXPORT_COLUMNS, SECRET_COLUMN] : [...INDICATOR_EXPORT_COLUMNS];
  const lines = [header.join(',')];
  for (const row of rows) {
    const cells = [
      texteCsv(row.indicateur),
      texteCsv(row.perimetre_type),
      texteCsv(row.perimetre_id),
      texteCsv(row.periode),
      row.numerateur === null ? '' : String(row.numerateur),
      row.denominateur === null ? '' : String(row.denominateur),
      formatNombre(row.taux),
      formatNombre(row.cible),
      formatNombre(row.ecart),
      formatBooleen(row.atteint),
    ];
    if (options.secret) cells.push('secret' in row && row.secret ? texteCsv(row.secret) : '');
    lines.push(cells.map(champCsv).join(','));
  }
  return `${lines.join('\n')}\n`;
}
