import { formaterTauxContreCible } from '../format/francais.ts';
import { CSV_INDICATEURS, tableauCsv } from '../format/tableau.ts';
import type { PublishedIndicatorRow } from './secret.ts';
import type { IndicatorRow } from './targets.ts';
import { INDICATOR_EXPORT_COLUMNS, faibleEffectif } from './targets.ts';

/**
 * indicateurs.csv (DATA-FORMAT.md "Indicator export"): the stable columns in order, comma-separated (the
 * format accepts `,` or `;` on import and says nothing more for exports: `,` keeps the decimal point of the
 * rates unambiguous), UTF-8 without BOM, `\n` line ends. Rates with at most 6 decimals, booleans 0/1, unknown
 * or masked values empty. A published (masked) table adds one optional column, `secret`. Written by the one
 * CSV writer of tables (format/tableau.ts, `CSV_INDICATEURS`): text cells (ids and codes, which come from imported
 * files) go through the formula-injection rule; numbers, negative gaps included, are written as numbers.
 *
 * Added columns (December 2026, after every existing one, `secret` included, so that no column moves), written when
 * the caller gives the CIA's `effectif_minimum` (the command line does):
 * - `taux_pourcent`: the rate as a percentage with the decimals the screen and the bilan print (one, more when the
 *   rate and its target would print alike: `80.98` for 1 141 / 1 409 against 81 %) — `taux` stays the raw fraction;
 * - `faible_effectif`: 1 when 0 < denominator < effectif_minimum (the rate is marked « faible effectif »), empty
 *   when the denominator is masked.
 */

export const SECRET_COLUMN = 'secret' as const;
export const INDICATOR_EXPORT_ADDED_COLUMNS = ['taux_pourcent', 'faible_effectif'] as const;

export interface OptionsIndicateursCsv {
  /** The published (masked) edition: adds the `secret` column. */
  readonly secret?: boolean;
  /** The CIA's `effectif_minimum`: adds `taux_pourcent` and `faible_effectif`. */
  readonly effectifMinimum?: number;
}

/** The rate in percent as printed beside its target (formaterTauxContreCible's decimals), decimal point; null when unknown. */
export function tauxPourcent(row: IndicatorRow | PublishedIndicatorRow): string | null {
  if (row.taux === null) return null;
  // The very digits the screen prints (« 80,98 % » → 80.98), not a second rounding that could differ from Intl's.
  const { taux } = formaterTauxContreCible(row.numerateur, row.denominateur, row.cible, row.taux);
  return taux.replace(/[^\d,]/g, '').replace(',', '.');
}

export function indicateursCsv(rows: readonly (IndicatorRow | PublishedIndicatorRow)[], options: OptionsIndicateursCsv = {}): string {
  const ajoutees = options.effectifMinimum !== undefined;
  const header: string[] = [...INDICATOR_EXPORT_COLUMNS];
  if (options.secret) header.push(SECRET_COLUMN);
  if (ajoutees) header.push(...INDICATOR_EXPORT_ADDED_COLUMNS);
  const lignes = rows.map((row) => {
    const cells: unknown[] = [row.indicateur, row.perimetre_type, row.perimetre_id, row.periode, row.numerateur, row.denominateur, row.taux, row.cible, row.ecart, row.atteint];
    if (options.secret) cells.push('secret' in row && row.secret ? row.secret : null);
    if (options.effectifMinimum !== undefined) cells.push(tauxPourcent(row), faibleEffectif(row.denominateur, options.effectifMinimum));
    return cells;
  });
  return tableauCsv(header, lignes, CSV_INDICATEURS);
}
