import { CSV_INDICATEURS, tableauCsv } from '../format/tableau.ts';
import type { PublishedIndicatorRow } from './secret.ts';
import type { IndicatorRow } from './targets.ts';
import { INDICATOR_EXPORT_COLUMNS } from './targets.ts';

/**
 * indicateurs.csv (DATA-FORMAT.md "Indicator export"): the stable columns in order, comma-separated (the
 * format accepts `,` or `;` on import and says nothing more for exports: `,` keeps the decimal point of the
 * rates unambiguous), UTF-8 without BOM, `\n` line ends. Rates with at most 6 decimals, booleans 0/1, unknown
 * or masked values empty. A published (masked) table adds one optional last column, `secret`. Written by the one
 * CSV writer of tables (format/tableau.ts, `CSV_INDICATEURS`): text cells (ids and codes, which come from imported
 * files) go through the formula-injection rule; numbers, negative gaps included, are written as numbers.
 */

export const SECRET_COLUMN = 'secret' as const;

export function indicateursCsv(rows: readonly (IndicatorRow | PublishedIndicatorRow)[], options: { secret?: boolean } = {}): string {
  const header = options.secret ? [...INDICATOR_EXPORT_COLUMNS, SECRET_COLUMN] : [...INDICATOR_EXPORT_COLUMNS];
  const lignes = rows.map((row) => {
    const cells: unknown[] = [row.indicateur, row.perimetre_type, row.perimetre_id, row.periode, row.numerateur, row.denominateur, row.taux, row.cible, row.ecart, row.atteint];
    if (options.secret) cells.push('secret' in row && row.secret ? row.secret : null);
    return cells;
  });
  return tableauCsv(header, lignes, CSV_INDICATEURS);
}
