import { resolve } from 'node:path';
import { DonneesInvalidesError } from '@mixite/core';
import { ident } from '../store/sql-types.ts';
import type { TableObservatoire } from './disposition.ts';
import { ANNEE_DES_TABLES } from './disposition.ts';
import type { SelectionPartitionnee } from './export-parquet.ts';
import { ecrirePartitions } from './export-parquet.ts';
import type { FaitsEcrits } from './faits-parquet.ts';
import { ecrireFaits } from './faits-parquet.ts';
import { Observatoire } from './lecture-parquet.ts';

/**
 * `mixite exporter --format parquet --depuis-parquet SOURCE --out CIBLE` (issue 18, item 5): an observatory folder as
 * an observer gathers it — each EPCI's own export, one folder per EPCI and year, thousands of small files — rewritten
 * in the grouped layout (disposition.ts: one file per table and year, `epci` a column, rows ordered by EPCI), the one
 * the one-pass engine reads fast. Same rows, same columns: each EPCI's figures are unchanged (tested). Read through the
 * observatory's own views (both layouts, an EPCI's folders replacing its grouped rows), in one snapshot.
 */

export interface RegroupementParquet {
  readonly epcis: readonly string[];
  readonly lignes: Readonly<Record<TableObservatoire, number>>;
  /** The facts written beside the tables (faits-parquet.ts); none with `{ faits: false }`. */
  readonly faits: FaitsEcrits | null;
}

function selection(table: TableObservatoire): SelectionPartitionnee {
  const annee = ANNEE_DES_TABLES[table];
  // As the exports write them: the settings' JSON as text, the year in the folder names.
  const colonnes = table === 'configuration' ? '* REPLACE (CAST(contenu AS VARCHAR) AS contenu)' : '*';
  switch (annee.genre) {
    case 'aucune':
      return { sql: `SELECT ${colonnes} FROM ${ident(table)}`, partitions: '' };
    case 'colonne':
      return { sql: `SELECT ${colonnes} FROM ${ident(table)}`, partitions: 'annee' };
    case 'date':
      return { sql: `SELECT ${colonnes}, year(${ident(annee.colonne)})::INTEGER AS annee FROM ${ident(table)}`, partitions: 'annee' };
  }
}

export async function regrouperObservatoire(source: string, cible: string, options: { readonly faits?: boolean } = {}): Promise<RegroupementParquet> {
  if (resolve(source) === resolve(cible)) throw new DonneesInvalidesError(`--depuis-parquet et --out désignent le même dossier (${source}) : indiquez un autre dossier de sortie.`);
  const observatoire = await Observatoire.ouvrir(source);
  let lignes: Record<TableObservatoire, number>;
  try {
    await observatoire.vuesDeTousLesEpci();
    lignes = await ecrirePartitions(observatoire.store, cible, `.regroupement-${process.pid}`, selection, 'regroupee');
  } finally {
    observatoire.close();
  }
  // Each EPCI's facts, computed from the files just written (faits-parquet.ts).
  const faits = options.faits === false ? null : await ecrireFaits(cible);
  return { epcis: observatoire.epcis, lignes, faits };
}
