import type { FileName } from '@mixite/core';
import { FILE_NAMES } from '@mixite/core';

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

/** The Hive types of a table's partition columns, for every reader (DuckDB here, Spark and Trino in the docs). */
export const hiveTypes = (table: TableObservatoire) => (ANNEE_DES_TABLES[table].genre === 'aucune' ? `{'epci': VARCHAR}` : `{'epci': VARCHAR, 'annee': INTEGER}`);

/** The files of a table in a folder, whatever its partitions. */
export const motifFichiers = (dossier: string, table: TableObservatoire) => `${dossier.replace(/\/+$/, '')}/${table}/**/*.parquet`;
