import { FILE_NAMES, FILE_SPECS } from '@mixite/core';
import { createTableSql } from './sql-types.ts';

/**
 * Versioned schema migrations. A migration is never edited once released: a change is a new entry.
 * The store records the version it has reached in `schema_version`.
 */
export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly statements: readonly string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'Tables du format canonique, configuration de la CIA, journal des imports',
    statements: [
      ...FILE_NAMES.map((name) => createTableSql(FILE_SPECS[name])),
      `CREATE TABLE configuration (
         version INTEGER PRIMARY KEY,
         date_modification TIMESTAMP NOT NULL,
         auteur VARCHAR NOT NULL,
         origine VARCHAR NOT NULL,
         contenu JSON NOT NULL
       )`,
      `CREATE SEQUENCE imports_id START 1`,
      `CREATE TABLE imports (
         id INTEGER PRIMARY KEY DEFAULT nextval('imports_id'),
         date_import TIMESTAMP NOT NULL,
         statut VARCHAR NOT NULL,
         fichiers JSON NOT NULL,
         rapport JSON NOT NULL
       )`,
    ],
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;
