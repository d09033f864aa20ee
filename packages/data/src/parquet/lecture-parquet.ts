import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DonneesInvalidesError } from '@mixite/core';
import { Store } from '../store/store.ts';
import { ident, literal } from '../store/sql-types.ts';
import type { Disposition, TableObservatoire } from './disposition.ts';
import { ANNEE_DES_TABLES, DISPOSITIONS, SIREN, TABLES_OBSERVATOIRE, lectureParquet, motifFichiers } from './disposition.ts';

/**
 * An observatory folder read as it is (issue 18, item 5): a `:memory:` store whose canonical tables are filled from
 * the Parquet files of one EPCI at a time, so that the indicator engine, unchanged, computes that EPCI's targets —
 * one home for the counting rules (indicators/regles-sql.ts), whatever holds the rows. (Views over the files were
 * tried first: the engine reads the requests several times and every read went back to the files, globbing every
 * EPCI's footers; the bench on 3 EPCIs went from 30 s to 26 s on a loaded machine — noisy, but not worse.) The folder is
 * checked first, whole: every table's folder present, every file with the columns and types the store gives them.
 */

interface Colonne {
  readonly name: string;
  readonly type: string;
}

export class Observatoire {
  private constructor(
    readonly dossier: string,
    /** The store the engine reads; its tables hold the current EPCI's rows. */
    readonly store: Store,
    /** The EPCIs of the folder, in code order. */
    readonly epcis: readonly string[],
    private readonly colonnes: ReadonlyMap<TableObservatoire, readonly Colonne[]>,
    /** The layouts each table has files in (none: an empty table). */
    private readonly dispositions: ReadonlyMap<TableObservatoire, ReadonlySet<Disposition>>,
    /** The EPCIs with folders of their own (`communes/epci=…`): their rows of a grouped export give way to them. */
    readonly parDossier: readonly string[],
  ) {}

  static async ouvrir(dossier: string): Promise<Observatoire> {
    const racine = resolve(dossier);
    if (!existsSync(racine)) throw new DonneesInvalidesError(`dossier Parquet introuvable : ${dossier}`);
    const store = await Store.open(':memory:');
    try {
      const colonnes = new Map<TableObservatoire, readonly Colonne[]>();
      const dispositions = new Map<TableObservatoire, Set<Disposition>>();
      const temporaire = mkdtempSync(join(tmpdir(), 'mixite-observatoire-'));
      try {
        for (const table of TABLES_OBSERVATOIRE) {
          if (!existsSync(join(racine, table))) {
            throw new DonneesInvalidesError(`dossier Parquet ${dossier} : la table « ${table} » manque (dossier ${join(racine, table)} attendu ; écrit par « mixite exporter --format parquet »).`);
          }
          colonnes.set(table, await store.all<Colonne>(`SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_name = ${literal(table)} ORDER BY ordinal_position`));
          const presentes = new Set<Disposition>();
          for (const disposition of DISPOSITIONS) {
            const [n] = await store.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM glob(${literal(motifFichiers(racine, table, disposition))})`);
            if ((n?.n ?? 0) === 0) continue;
            await verifierSchema(store, racine, table, disposition, temporaire);
            presentes.add(disposition);
          }
          dispositions.set(table, presentes);
        }
      } finally {
        rmSync(temporaire, { recursive: true, force: true });
      }
      const communes = dispositions.get('communes') ?? new Set();
      if (communes.size === 0) throw new DonneesInvalidesError(`dossier Parquet ${dossier} : aucune commune (table « communes » vide) : aucun EPCI à calculer.`);
      const lire = async (disposition: Disposition) =>
        communes.has(disposition)
          ? (await store.all<{ epci: string }>(`SELECT DISTINCT epci FROM ${lectureParquet(racine, 'communes', disposition)} ORDER BY epci`)).map((e) => e.epci)
          : [];
      const parDossier = await lire('dossiers');
      const epcis = [...new Set([...parDossier, ...(await lire('regroupee'))])].sort();
      return new Observatoire(racine, store, epcis, colonnes, dispositions, parDossier);
    } catch (error) {
      store.close();
      throw error;
    }
  }

  /** The store's columns of a table, as read from the files (the settings' JSON written as text). */
  private colonnesLues(table: TableObservatoire): string {
    return (this.colonnes.get(table) ?? []).map((c) => (table === 'configuration' && c.name === 'contenu' ? `CAST(contenu AS JSON) AS contenu` : ident(c.name))).join(', ');
  }

  /**
   * Every row of a table with its `epci`, from both layouts: an EPCI's own folders (its own export) replace its rows of
   * a grouped export. `epcis` narrows to some EPCIs. NULL when the table has no file.
   */
  private source(table: TableObservatoire, epcis?: readonly string[]): string | null {
    const presentes = this.dispositions.get(table) ?? new Set<Disposition>();
    const cols = this.colonnesLues(table);
    const dans = (liste: readonly string[]) => liste.map(literal).join(', ') || 'NULL';
    const parties: string[] = [];
    for (const disposition of DISPOSITIONS) {
      if (!presentes.has(disposition)) continue;
      const filtres = [
        ...(epcis === undefined ? [] : [`epci IN (${dans(epcis)})`]),
        ...(disposition === 'regroupee' && this.parDossier.length > 0 ? [`epci NOT IN (${dans(this.parDossier)})`] : []),
      ];
      parties.push(`SELECT ${cols}, epci FROM ${lectureParquet(this.dossier, table, disposition)}${filtres.length > 0 ? ` WHERE ${filtres.join(' AND ')}` : ''}`);
    }
    return parties.length === 0 ? null : parties.join('\nUNION ALL\n');
  }

  /**
   * Loads one EPCI's rows into the store's tables, from its own folders (`epci=…/`) when it has some, else from the
   * row groups of a grouped export that hold it: the engine then computes that EPCI alone, on tables as fast as a
   * store's, and memory holds one EPCI at a time. A table with no row for this EPCI is left empty.
   */
  async selectionner(epci: string): Promise<void> {
    for (const table of TABLES_OBSERVATOIRE) {
      await this.store.run(`DELETE FROM ${ident(table)}`);
      const presentes = this.dispositions.get(table) ?? new Set<Disposition>();
      let lecture: string | null = null;
      if (this.parDossier.includes(epci)) {
        // Its own folders only (a few files), not the glob of every EPCI's.
        if (presentes.has('dossiers') && existsSync(join(this.dossier, table, `epci=${epci}`))) {
          const motif = motifFichiers(this.dossier, table, 'dossiers').replace('/epci=*/', `/epci=${epci}/`);
          lecture = `SELECT ${this.colonnesLues(table)} FROM ${lectureParquet(this.dossier, table, 'dossiers', motif)}`;
        }
      } else if (presentes.has('regroupee')) {
        lecture = `SELECT ${this.colonnesLues(table)} FROM ${lectureParquet(this.dossier, table, 'regroupee')} WHERE epci = ${literal(epci)}`;
      }
      if (lecture !== null) await this.store.run(`INSERT INTO ${ident(table)} ${lecture}`);
    }
  }

  /**
   * Every EPCI's rows at once, for the one-pass engine (indicators/engine-epcis.ts): views named like the store's
   * tables, in a schema of their own put first on the search path, reading the files with their `epci` as a column —
   * nothing loaded, DuckDB reads from the files only the columns and row groups each query needs. `epcis` narrows
   * them to some EPCIs (those computed together); `retirerVues` puts the store's own tables back.
   */
  async vuesDeTousLesEpci(epcis?: readonly string[], charger = false): Promise<void> {
    await this.store.run(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA_VUES}`);
    for (const table of TABLES_OBSERVATOIRE) {
      const source = this.source(table, epcis) ?? `SELECT *, NULL::VARCHAR AS epci FROM main.${ident(table)} WHERE FALSE`;
      // charger: read once into memory (the files are then not opened again by each query).
      await this.store.run(`CREATE OR REPLACE ${charger ? 'TABLE' : 'VIEW'} ${SCHEMA_VUES}.${ident(table)} AS ${source}`);
    }
    await this.store.run(`SET search_path = '${SCHEMA_VUES},main'`);
  }

  async retirerVues(): Promise<void> {
    await this.store.run(`SET search_path = 'main'`);
  }

  close(): void {
    this.store.close();
  }
}

/**
 * A store holding ONE EPCI of an observatory folder, as its own base would (the tables the export writes; no
 * accounts, journal, contours or action programme): what `mixite bilan --parquet DOSSIER --epci SIREN` hands the
 * reports. The caller closes it. A French error when the folder does not hold that EPCI.
 */
export async function storeDeLEpci(dossier: string, epci: string): Promise<Store> {
  if (!SIREN.test(epci)) throw new DonneesInvalidesError(`--epci ${epci} : un SIREN d’EPCI de 9 chiffres est attendu (ex. 200059228).`);
  const observatoire = await Observatoire.ouvrir(dossier);
  try {
    if (!observatoire.epcis.includes(epci)) {
      const presents = observatoire.epcis;
      throw new DonneesInvalidesError(
        `dossier Parquet ${dossier} : l’EPCI ${epci} n’y est pas (${presents.length} EPCI présents : ${presents.slice(0, 5).join(', ')}${presents.length > 5 ? '…' : ''}).`,
      );
    }
    await observatoire.selectionner(epci);
    return observatoire.store;
  } catch (error) {
    observatoire.close();
    throw error;
  }
}

/** The schema of the views over every EPCI's files (vuesDeTousLesEpci). */
const SCHEMA_VUES = 'observatoire';

/** A column's Parquet description, for comparison (order-free: files are read by name). */
const SIGNATURE = `name || ' ' || coalesce(type, '') || ' ' || coalesce(converted_type, '') || ' ' || coalesce(CAST(logical_type AS VARCHAR), '') || ' ' || coalesce(CAST(scale AS VARCHAR), '') || ' ' || coalesce(CAST(precision AS VARCHAR), '')`;

/**
 * Every file of a table has the columns the store types them with: compared with a file of no rows written from the
 * store's own table (one home for the types: the migrations), in one query over every file's schema.
 */
async function verifierSchema(store: Store, racine: string, table: TableObservatoire, disposition: Disposition, temporaire: string): Promise<void> {
  const reference = join(temporaire, `${table}-${disposition}.parquet`);
  // As exported (export-parquet.ts): the JSON settings as text, the year column in the folder names only, the EPCI
  // in the folder names or (grouped) a column.
  const colonnes = table === 'configuration' ? '* REPLACE (CAST(contenu AS VARCHAR) AS contenu)' : ANNEE_DES_TABLES[table].genre === 'colonne' ? '* EXCLUDE (annee)' : '*';
  const epci = disposition === 'regroupee' ? `, NULL::VARCHAR AS epci` : '';
  await store.run(`COPY (SELECT ${colonnes}${epci} FROM ${ident(table)} LIMIT 0) TO ${literal(reference)} (FORMAT parquet)`);
  const attendu = await store.all<{ sig: string }>(`SELECT ${SIGNATURE} AS sig FROM parquet_schema(${literal(reference)}) WHERE num_children IS NULL OR name <> 'duckdb_schema'`);
  const signature = attendu.map((c) => c.sig).sort().join(' | ');
  // Nested columns (attributs, a MAP) have child rows: their names are part of the signature like the others.
  const fautifs = await store.all<{ file_name: string; sig: string }>(
    `SELECT file_name, string_agg(${SIGNATURE}, ' | ' ORDER BY ${SIGNATURE}) AS sig
       FROM parquet_schema(${literal(motifFichiers(racine, table, disposition))}) WHERE num_children IS NULL OR name <> 'duckdb_schema'
      GROUP BY file_name HAVING sig <> ${literal(signature)} ORDER BY file_name LIMIT 1`,
  );
  const fautif = fautifs[0];
  if (!fautif) return;
  // Said in DuckDB's types, the store's: the file read alone, without its folder names.
  const types = async (source: string) =>
    new Map((await store.all<{ column_name: string; column_type: string }>(`DESCRIBE SELECT * FROM ${source}`)).map((c) => [c.column_name, c.column_type]));
  const attendus = await types(`read_parquet(${literal(reference)}, hive_partitioning = false)`);
  const trouves = await types(`read_parquet(${literal(fautif.file_name)}, hive_partitioning = false)`);
  const details = [
    ...[...attendus].filter(([n, t]) => trouves.has(n) && trouves.get(n) !== t).map(([n, t]) => `colonne « ${n} » de type ${trouves.get(n)} au lieu de ${t}`),
    ...[...attendus.keys()].filter((n) => !trouves.has(n)).map((n) => `colonne « ${n} » absente`),
    ...[...trouves.keys()].filter((n) => !attendus.has(n)).map((n) => `colonne « ${n} » inattendue`),
  ];
  throw new DonneesInvalidesError(`fichier Parquet ${fautif.file_name} (table « ${table} ») : ${details.join(' ; ') || 'schéma différent de celui de la base'}.`);
}
