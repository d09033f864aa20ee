import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DonneesInvalidesError } from '@mixite/core';
import { configurationCourante, epciDuStore, epcisDesCommunes } from '../indicators/index.ts';
import type { Store } from '../store/store.ts';
import { ident, literal } from '../store/sql-types.ts';
import type { Disposition, TableObservatoire } from './disposition.ts';
import { ANNEE_DES_TABLES, SIREN, TABLES_OBSERVATOIRE } from './disposition.ts';
import { DOSSIERS_DES_FAITS } from './faits-parquet.ts';

/**
 * `mixite exporter --format parquet` (issue 18, item 5): the store's tables as Parquet, Hive-partitioned by EPCI and
 * year, into a folder that may already hold other EPCIs' exports (an observer gathers them). One store is one
 * territory, one EPCI: its rows get an `epci` column (the folder name), the SIREN of cia.yaml's `code_epci`, else the
 * only EPCI of the communes, else the one the caller names. Written beside the target in a folder of its own, then
 * moved table by table: an EPCI's previous export is replaced, the other EPCIs' files are never touched.
 */

export interface OptionsExportParquet {
  /** The EPCI the store's territory is filed under, when the store cannot say (several EPCIs, no code_epci). */
  readonly epci?: string;
}

export interface ExportParquet {
  readonly epci: string;
  /** Rows written per table. */
  readonly lignes: Readonly<Record<TableObservatoire, number>>;
}

/** The EPCI a store is exported under (see above); a French error when it cannot be told. */
export async function epciDeLExport(store: Store, demande?: string): Promise<string> {
  if (demande !== undefined) {
    if (!SIREN.test(demande)) throw new DonneesInvalidesError(`--epci ${demande} : un SIREN d’EPCI de 9 chiffres est attendu (ex. 200059228).`);
    return demande;
  }
  const epci = await epciDuStore(store, await configurationCourante(store));
  if (epci !== null) return epci;
  const epcis = await epcisDesCommunes(store);
  throw new DonneesInvalidesError(
    epcis.length === 0
      ? 'la base n’a aucune commune : rien à exporter (importez d’abord un jeu de données).'
      : `la base couvre ${epcis.length} EPCI (${epcis.slice(0, 5).join(', ')}${epcis.length > 5 ? '…' : ''}) et cia.yaml ne donne pas code_epci : indiquez sous quel EPCI classer ce territoire avec --epci SIREN.`,
  );
}

/** The SELECT of a table with its partition columns (`epci`, and `annee` when it has no column of that name). */
function selectionAvecPartitions(table: TableObservatoire, epci: string): SelectionPartitionnee {
  const annee = ANNEE_DES_TABLES[table];
  // configuration.contenu is JSON in the store: written as text, which every engine reads.
  const colonnes = table === 'configuration' ? '* REPLACE (CAST(contenu AS VARCHAR) AS contenu)' : '*';
  const epciCol = `${literal(epci)} AS epci`;
  switch (annee.genre) {
    case 'aucune':
      return { sql: `SELECT ${colonnes}, ${epciCol} FROM ${ident(table)}`, partitions: 'epci' };
    case 'colonne':
      return { sql: `SELECT ${colonnes}, ${epciCol} FROM ${ident(table)}`, partitions: 'epci, annee' };
    case 'date':
      return { sql: `SELECT ${colonnes}, ${epciCol}, year(${ident(annee.colonne)})::INTEGER AS annee FROM ${ident(table)}`, partitions: 'epci, annee' };
  }
}

export async function exporterParquet(store: Store, dossier: string, options: OptionsExportParquet = {}): Promise<ExportParquet> {
  const epci = await epciDeLExport(store, options.epci);
  const lignes = await ecrirePartitions(store, dossier, `.export-${epci}-${process.pid}`, (table) => selectionAvecPartitions(table, epci));
  return { epci, lignes };
}

/** What a table's COPY writes: its SELECT (with the `epci` column) and its partition columns ('' for none). */
export interface SelectionPartitionnee {
  readonly sql: string;
  readonly partitions: string;
}

/**
 * Writes every table through `selection` (rows with their `epci`) into a folder of its own inside the target, in one
 * snapshot of the store, then moves them into place (disposition.ts): `dossiers`, each EPCI's folder of each table,
 * replacing that EPCI's previous export only; `regroupee`, the table's grouped files (rows ordered by EPCI, so that
 * each row group holds a few EPCIs), replacing the previous grouped export only — the EPCIs' own folders stay. Returns
 * the rows written per table.
 */
export async function ecrirePartitions(
  store: Store,
  dossier: string,
  attenteNom: string,
  selection: (table: TableObservatoire) => SelectionPartitionnee,
  disposition: Disposition = 'dossiers',
): Promise<Record<TableObservatoire, number>> {
  const cible = resolve(dossier);
  const attente = join(cible, attenteNom);
  rmSync(attente, { recursive: true, force: true });
  mkdirSync(attente, { recursive: true });
  const lignes = {} as Record<TableObservatoire, number>;
  try {
    // One snapshot of the store for every table: a concurrent import lands wholly before or after the export.
    await store.transaction(async () => {
      for (const table of TABLES_OBSERVATOIRE) {
        const dossierTable = join(attente, table);
        mkdirSync(dossierTable, { recursive: true });
        const { sql, partitions } = selection(table);
        const [n] = await store.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM (${sql})`);
        lignes[table] = n?.n ?? 0;
        if (lignes[table] === 0) continue;
        if (disposition === 'dossiers') {
          await store.run(`COPY (${sql}) TO ${literal(dossierTable)} (FORMAT parquet, PARTITION_BY (${partitions}), OVERWRITE_OR_IGNORE true)`);
        } else if (partitions === '') {
          await store.run(`COPY (SELECT * FROM (${sql}) ORDER BY epci) TO ${literal(join(dossierTable, 'data_0.parquet'))} (FORMAT parquet)`);
        } else {
          await store.run(`COPY (SELECT * FROM (${sql}) ORDER BY epci) TO ${literal(dossierTable)} (FORMAT parquet, PARTITION_BY (${partitions}), OVERWRITE_OR_IGNORE true)`);
        }
      }
    });
    if (disposition === 'regroupee') {
      // The facts computed from the previous grouped files go first (faits-parquet.ts): never beside other data.
      for (const sous of DOSSIERS_DES_FAITS) rmSync(join(cible, sous), { recursive: true, force: true });
      // Every table written: the previous grouped files give way, table by table; the EPCIs' own folders stay.
      for (const table of TABLES_OBSERVATOIRE) {
        const final = join(cible, table);
        mkdirSync(final, { recursive: true });
        for (const nom of readdirSync(final)) if (!nom.startsWith('epci=')) rmSync(join(final, nom), { recursive: true, force: true });
        const ecrit = join(attente, table);
        if (existsSync(ecrit)) for (const nom of readdirSync(ecrit)) renameSync(join(ecrit, nom), join(final, nom));
      }
      return lignes;
    }
    // Every table written: the exported EPCIs' previous files give way, table by table (the folder of each table
    // always exists, even empty, so that a reader tells an empty table from a missing one).
    const epcis = new Set(TABLES_OBSERVATOIRE.flatMap((table) => (existsSync(join(attente, table)) ? readdirSync(join(attente, table)) : [])));
    for (const table of TABLES_OBSERVATOIRE) {
      mkdirSync(join(cible, table), { recursive: true });
      for (const epci of epcis) {
        const final = join(cible, table, epci);
        rmSync(final, { recursive: true, force: true });
        const ecrit = join(attente, table, epci);
        if (existsSync(ecrit)) renameSync(ecrit, final);
      }
    }
  } finally {
    rmSync(attente, { recursive: true, force: true });
  }
  return lignes;
}
