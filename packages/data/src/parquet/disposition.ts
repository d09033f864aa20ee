import type { FileName } from '@mixite/core';
import { FILE_NAMES } from '@mixite/core';
import { literal } from '../store/sql-types.ts';

/**
 * The layout of the Parquet observatory (docs/observatoire-parquet.md): one folder per table, Hive-partitioned by
 * `epci` (the SIREN of the territory's EPCI) and, for the tables that have one, `annee`. Every canonical table of the
 * store is written with its columns as the store types them, plus `configuration` (the CIA settings the targets
 * come from). The partition values live in the folder names only (`epci=200059228/annee=2024/data_0.parquet`), so a
 * reader passes their types (`hive_types`): a SIREN read as a number would lose nothing here, but a code never is one.
 */

/** How a table's `annee` partition is obtained: a column of its own, the year of a date, or none (referentials). */
export type AnneeDeTable = { readonly genre: 'colonne' } | { readonly genre: 'date'; readonly colonne: string } | { readonly genre: 'aucune' };

export type TableObservatoire = FileName | 'configuration';

export const TABLES_OBSERVATOIRE: readonly TableObservatoire[] = [...FILE_NAMES, 'configuration'];

export const ANNEE_DES_TABLES: Readonly<Record<TableObservatoire, AnneeDeTable>> = {
  communes: { genre: 'aucune' },
  qpv: { genre: 'aucune' },
  bailleurs: { genre: 'aucune' },
  reservataires: { genre: 'aucune' },
  residences: { genre: 'aucune' },
  occupation: { genre: 'colonne' },
  logements: { genre: 'aucune' },
  // The year of the request's filing: a request stays in the stock of the following years (read whole per EPCI).
  demandes: { genre: 'date', colonne: 'date_depot' },
  attributions: { genre: 'date', colonne: 'date_cal' },
  seuils: { genre: 'colonne' },
  conventions: { genre: 'colonne' },
  configuration: { genre: 'aucune' },
};

/** A SIREN (9 digits): the only partition value written, so that a folder name can never be a path or a quote. */
export const SIREN = /^[0-9]{9}$/;

/**
 * The two layouts of a table's files, both read by the observatory (docs/observatoire-parquet.md), even side by side:
 * - `dossiers`: one folder per EPCI, `table/epci=SIREN/[annee=AAAA/]data_0.parquet` — the export of ONE EPCI's base,
 *   which an observer gathers beside the others';
 * - `regroupee`: `table/[annee=AAAA/]data_0.parquet`, `epci` a column of the files and the rows clustered by it (each
 *   row group holds a few EPCIs, so a reader of one EPCI skips the others by the column's min/max) — the export of a
 *   base of many EPCIs (`--par-epci`). Measured at national scale: one folder per EPCI and year is 44 771 small files,
 *   and opening them costs more than the 10 s budget by itself (≈ 1 ms each, docs/BENCHMARKS.md); this layout is ≈ 60.
 */
export type Disposition = 'dossiers' | 'regroupee';

export const DISPOSITIONS: readonly Disposition[] = ['dossiers', 'regroupee'];

const racine = (dossier: string) => dossier.replace(/\/+$/, '');

/** The Hive types of a table's partition columns in a layout (the folder names; `epci` is a column when grouped). */
export const hiveTypes = (table: TableObservatoire, disposition: Disposition = 'dossiers') => {
  const annee = ANNEE_DES_TABLES[table].genre !== 'aucune';
  if (disposition === 'regroupee') return annee ? `{'annee': INTEGER}` : null;
  return annee ? `{'epci': VARCHAR, 'annee': INTEGER}` : `{'epci': VARCHAR}`;
};

/**
 * The files of a table in one layout: explicit levels rather than `**`, so that the two layouts never read each
 * other's files (and a recursive walk of thousands of folders is saved).
 */
export const motifFichiers = (dossier: string, table: TableObservatoire, disposition: Disposition = 'dossiers') => {
  const annee = ANNEE_DES_TABLES[table].genre !== 'aucune' ? 'annee=*/' : '';
  return `${racine(dossier)}/${table}/${disposition === 'dossiers' ? 'epci=*/' : ''}${annee}*.parquet`;
};

/** `read_parquet` of a table's files in one layout, with their partition columns typed (`motif`: other files). */
export const lectureParquet = (dossier: string, table: TableObservatoire, disposition: Disposition, motif = motifFichiers(dossier, table, disposition)) => {
  const types = hiveTypes(table, disposition);
  return types === null ? `read_parquet(${literal(motif)}, hive_partitioning = false)` : `read_parquet(${literal(motif)}, hive_partitioning = true, hive_types = ${types})`;
};
