import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { FILE_SPECS } from '@mixite/core';
import type { ImportOptions } from '../import/import-dataset.ts';
import { importDataset } from '../import/import-dataset.ts';
import type { ImportProblem, ImportReport } from '../import/problems.ts';
import { ImportFailedError, MAX_PROBLEMS_PER_CHECK, problem } from '../import/problems.ts';
import { grouperParCause } from '../import/causes.ts';
import { prepareCsv } from '../import/source-file.ts';
import { LINE_SQL, dropStaging, stage } from '../import/staging.ts';
import { ident, literal } from '../store/sql-types.ts';
import type { Store } from '../store/store.ts';

/**
 * Conventions edited from the Gestion en flux page (issue 13): a `conventions.csv` imported, or one share changed.
 * Both go through the import itself (`importDataset`): the same checks, the same located French messages, all or
 * nothing — nothing here re-implements a rule of conventions-checks.ts.
 *
 * What a file replaces: the conventions of each bailleur and year it names; the others are kept (a bailleur sends its
 * 2025 conventions without erasing its 2024 ones, the EPCI imports one bailleur's file without erasing the others').
 * A bailleur account may only name itself: a line of another bailleur is refused, located. The file is merged with the
 * kept rows into one `conventions.csv` (its own lines first, in order, so that the messages keep its line numbers),
 * then imported. Blank lines of the file are not carried into the merged copy: after one, the lines the final check
 * would name shift — the first check, on the file itself, names its true lines.
 */

/** Whose conventions an account may change: every bailleur's (EPCI, administrator), or one bailleur's own. */
export type PorteeConventions = { readonly kind: 'toutes' } | { readonly kind: 'bailleur'; readonly id: string };

export interface OptionsConventions {
  readonly portee: PorteeConventions;
  readonly auteur: string;
  /** The name the messages give the file (an upload is stored under a temporary name). */
  readonly nomAffiche?: string;
  readonly limites?: ImportOptions['limites'];
  /** Where the merged copy is written meanwhile (the server's private folder); the system's temporary folder by default. */
  readonly dossierTravail?: string;
}

const COLONNES = Object.keys(FILE_SPECS.conventions.columns);

/** An import refused before it started: a report of the import's shape, with these problems and nothing loaded. */
function refus(erreurs: readonly ImportProblem[], auteur: string): ImportReport {
  return { statut: 'echoue', date: new Date().toISOString(), fichiers: [], erreurs, avertissements: [], erreursNonListees: 0, configuration: 'inchangee', importId: null, causes: grouperParCause(erreurs), auteur };
}

async function importer(store: Store, chemin: string, o: OptionsConventions, simulation: boolean): Promise<ImportReport> {
  try {
    return await importDataset(store, [chemin], {
      auteur: o.auteur,
      simulation,
      nomsAffiches: { [chemin]: o.nomAffiche ?? 'conventions.csv' },
      ...(o.limites ? { limites: o.limites } : {}),
      ...(o.dossierTravail ? { dossierTravail: o.dossierTravail } : {}),
    });
  } catch (error) {
    if (error instanceof ImportFailedError) return error.report;
    throw error;
  }
}

/**
 * Imports a conventions file (CSV, the canonical columns of conventions.csv). Returns the import's report: `reussi`
 * (the store holds the new conventions) or `echoue` (the store is unchanged, every problem located in the file).
 */
export async function importerConventions(store: Store, chemin: string, o: OptionsConventions): Promise<ImportReport> {
  const fichier = o.nomAffiche ?? basename(chemin);
  if (!/\.csv$/i.test(chemin)) return refus([problem({ fichier, message: 'le fichier des conventions doit être un CSV (conventions.csv, séparateur point-virgule)' })], o.auteur);
  // 1. The file alone, checked by the importer without writing: cells, references, duplicates, shares ≤ 1, the State's
  //    caps, a year without stock. A bailleur-year's conventions are all in it (it replaces them): its sums are theirs.
  const seul = await importer(store, chemin, o, true);
  if (seul.statut !== 'reussi') return seul;

  const travail = mkdtempSync(join(o.dossierTravail ?? tmpdir(), 'mixite-conventions-'));
  try {
    const prepare = await prepareCsv(chemin, 'conventions', undefined, travail, fichier);
    if (!prepare.ok) return refus(prepare.problems, o.auteur);
    const etape = await stage(store, prepare.file, undefined);
    if (!etape.ok) return refus(etape.problems, o.auteur);
    try {
      const stg = ident(etape.staged.table);
      // 2. A bailleur account names only itself.
      if (o.portee.kind === 'bailleur') {
        const autres = await store.all<{ ligne: number; bailleur_id: string }>(
          `SELECT ${LINE_SQL} AS ligne, bailleur_id FROM ${stg} WHERE bailleur_id IS DISTINCT FROM $1 ORDER BY rowid LIMIT ${MAX_PROBLEMS_PER_CHECK}`,
          [o.portee.id],
        );
        if (autres.length > 0) {
          return refus(
            autres.map((a) =>
              problem({
                fichier,
                ligne: a.ligne,
                colonne: 'bailleur_id',
                valeur: a.bailleur_id ?? '',
                message: `un compte bailleur n’importe que ses propres conventions (${o.portee.kind === 'bailleur' ? o.portee.id : ''}) : cette ligne est d’un autre bailleur`,
              }),
            ),
            o.auteur,
          );
        }
      }
      // 3. The file's lines first, then the kept conventions of the bailleur-years it does not name: one conventions.csv.
      const fusion = join(travail, 'conventions.csv');
      const present = new Set(prepare.file.columns);
      const duFichier = COLONNES.map((c) => (present.has(c) ? ident(c) : `NULL AS ${ident(c)}`)).join(', ');
      const gardees = COLONNES.map((c) => `${ident(c)}::VARCHAR`).join(', ');
      await store.run(
        `COPY (
           SELECT ${COLONNES.map(ident).join(', ')} FROM (
             SELECT 0 AS ordre, rowid AS rang, ${duFichier} FROM ${stg}
             UNION ALL
             SELECT 1, row_number() OVER (ORDER BY bailleur_id, annee, reservataire_id), ${gardees} FROM conventions c
             WHERE NOT EXISTS (SELECT 1 FROM ${stg} f WHERE f.bailleur_id = c.bailleur_id AND trim(f.annee) = c.annee::VARCHAR)
           ) ORDER BY ordre, rang
         ) TO ${literal(fusion)} (FORMAT csv, HEADER, DELIMITER ';', QUOTE '"')`,
      );
      await dropStaging(store, prepare.file);
      return await importer(store, fusion, o, false);
    } finally {
      await dropStaging(store, prepare.file);
    }
  } finally {
    rmSync(travail, { recursive: true, force: true });
  }
}

export interface PartConvention {
  readonly bailleur_id: string;
  readonly reservataire_id: string;
  readonly annee: number;
  /** Share of the bailleur's flow, 0–1. */
  readonly part: number;
}

/**
 * Sets one convention's share (creates the convention when the bailleur has none with this réservataire this year):
 * the bailleur's conventions of that year are written with the new share into a conventions.csv and imported as a
 * file would be — the shares of the year still sum to at most 1, the ids exist, the bailleur has stock that year.
 * The messages name the bailleur and the year (the lines are those of that generated file).
 */
export async function modifierPartConvention(store: Store, p: PartConvention, o: OptionsConventions): Promise<ImportReport> {
  if (o.portee.kind === 'bailleur' && o.portee.id !== p.bailleur_id) {
    return refus([problem({ fichier: 'conventions.csv', colonne: 'bailleur_id', valeur: p.bailleur_id, message: 'un compte bailleur ne modifie que ses propres conventions' })], o.auteur);
  }
  const travail = mkdtempSync(join(o.dossierTravail ?? tmpdir(), 'mixite-convention-'));
  const table = `conventions_edition_${process.pid}`;
  try {
    await store.run(`CREATE OR REPLACE TEMP TABLE ${ident(table)} AS SELECT * FROM conventions WHERE bailleur_id = $1 AND annee = $2`, [p.bailleur_id, p.annee]);
    await store.run(`UPDATE ${ident(table)} SET part = $4 WHERE bailleur_id = $1 AND reservataire_id = $2 AND annee = $3`, [p.bailleur_id, p.reservataire_id, p.annee, p.part]);
    await store.run(
      `INSERT INTO ${ident(table)} (bailleur_id, reservataire_id, annee, part)
       SELECT $1, $2, $3, $4 WHERE NOT EXISTS (SELECT 1 FROM ${ident(table)} WHERE bailleur_id = $1 AND reservataire_id = $2 AND annee = $3)`,
      [p.bailleur_id, p.reservataire_id, p.annee, p.part],
    );
    const chemin = join(travail, 'conventions.csv');
    await store.run(
      `COPY (SELECT ${COLONNES.map(ident).join(', ')} FROM ${ident(table)} ORDER BY annee, reservataire_id) TO ${literal(chemin)} (FORMAT csv, HEADER, DELIMITER ';', QUOTE '"')`,
    );
    return await importerConventions(store, chemin, { ...o, nomAffiche: 'conventions.csv' });
  } finally {
    await store.run(`DROP TABLE IF EXISTS ${ident(table)}`);
    rmSync(travail, { recursive: true, force: true });
  }
}
