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
  {
    version: 2,
    description: 'Comptes, sessions, journal d’audit et secrets du déploiement (contrôle d’accès, issue 7)',
    statements: [
      `CREATE SEQUENCE utilisateurs_id START 1`,
      // role and perimetre are checked by the server (packages/server/src/auth/roles.ts); the hash is self-describing
      // (scrypt$N$r$p$salt$hash) so that its parameters can be raised later without a migration.
      `CREATE TABLE utilisateurs (
         id INTEGER PRIMARY KEY DEFAULT nextval('utilisateurs_id'),
         email VARCHAR NOT NULL UNIQUE,
         nom VARCHAR,
         role VARCHAR NOT NULL,
         perimetre VARCHAR,
         mot_de_passe VARCHAR NOT NULL,
         actif BOOLEAN NOT NULL DEFAULT true,
         date_creation TIMESTAMP NOT NULL,
         date_modification TIMESTAMP NOT NULL
       )`,
      // Only a SHA-256 of the session token is kept: a copy of the store gives no live session.
      `CREATE TABLE sessions (
         empreinte VARCHAR PRIMARY KEY,
         utilisateur_id INTEGER NOT NULL,
         jeton_csrf VARCHAR NOT NULL,
         date_creation TIMESTAMP NOT NULL,
         date_activite TIMESTAMP NOT NULL,
         date_expiration TIMESTAMP NOT NULL
       )`,
      // Append-only: the server only inserts (and purges past the retention period); each entry carries the
      // SHA-256 of the previous one, so that an edited or deleted entry breaks the chain.
      `CREATE SEQUENCE journal_id START 1`,
      `CREATE TABLE journal (
         id BIGINT PRIMARY KEY DEFAULT nextval('journal_id'),
         date TIMESTAMP NOT NULL,
         utilisateur_id INTEGER,
         utilisateur VARCHAR NOT NULL,
         role VARCHAR,
         action VARCHAR NOT NULL,
         objet VARCHAR NOT NULL,
         details JSON,
         precedente VARCHAR NOT NULL,
         empreinte VARCHAR NOT NULL
       )`,
      `CREATE TABLE secrets (
         cle VARCHAR PRIMARY KEY,
         valeur VARCHAR NOT NULL,
         date_creation TIMESTAMP NOT NULL
       )`,
    ],
  },
  {
    version: 3,
    description: 'État attendu des tables de données (nombre de lignes), vérifié à chaque ouverture (issue 10)',
    statements: [
      // One row per data table, rewritten in the same transaction as every change of that table (import, purge,
      // edited thresholds): a store whose tables disagree with it was damaged outside a transaction (store/integrity.ts).
      `CREATE TABLE etat_tables (
         nom VARCHAR PRIMARY KEY,
         lignes BIGINT NOT NULL,
         import_id INTEGER,
         origine VARCHAR NOT NULL,
         date_modification TIMESTAMP NOT NULL
       )`,
    ],
  },
  {
    version: 4,
    description: 'Contours des communes et des QPV (contours.geojson, issue 14)',
    statements: [
      // One GeoJSON Feature per row, kept whole as JSON text (properties and geometry, as imported) so that the
      // export gives the file back; genre and code are read from its properties at import (import/contours.ts).
      `CREATE TABLE contours (
         ordre INTEGER PRIMARY KEY,
         genre VARCHAR NOT NULL,
         code VARCHAR NOT NULL,
         nom VARCHAR,
         entite JSON NOT NULL,
         -- The file's citation (its root member "source", e.g. IGN Admin Express, Licence Ouverte), printed under every map.
         source VARCHAR,
         UNIQUE (genre, code)
       )`,
    ],
  },
  {
    version: 5,
    description: 'Gestion en flux : conventions de réservation, logements hors flux (issue 13)',
    // Version 1 creates the tables from the current declarations, so a new store already has both: IF NOT EXISTS.
    // In an older store the column comes after `attributs`: the import names its columns (replaceTable).
    statements: [
      `ALTER TABLE logements ADD COLUMN IF NOT EXISTS hors_flux BOOLEAN`,
      createTableSql(FILE_SPECS.conventions).replace(/^CREATE TABLE /, 'CREATE TABLE IF NOT EXISTS '),
    ],
  },
  {
    version: 10,
    description: 'Indicateurs de chaque année gardés avec l’empreinte des données (démarrage à chaud, issue 18)',
    // A cache: indicators/resultats-conserves.ts reads a year only when its fingerprint is the store's current one.
    statements: [
      `CREATE TABLE resultats_indicateurs (
         annee INTEGER PRIMARY KEY,
         empreinte VARCHAR NOT NULL,
         resultats JSON NOT NULL,
         calcule_le TIMESTAMP NOT NULL
       )`,
    ],
  },
  {
    version: 7,
    description: 'Programme d’actions de la CIA : convention, fiches action, statuts et commentaires, instances, réunions, engagements (issue 19)',
    // The fiches keep their nested lists (steps, partners, indicator links) as JSON: the programme is a document the
    // workbook import replaces whole (data/src/programme); statuses and comments are append-only histories, signed
    // and dated, the latest status of a fiche and year being the current one.
    statements: [
      `CREATE TABLE IF NOT EXISTS programme_convention (
         id INTEGER PRIMARY KEY CHECK (id = 1),
         contenu JSON NOT NULL,
         date_modification TIMESTAMP NOT NULL,
         auteur VARCHAR NOT NULL
       )`,
      `CREATE TABLE IF NOT EXISTS programme_fiches (
         numero INTEGER PRIMARY KEY,
         contenu JSON NOT NULL
       )`,
      `CREATE SEQUENCE IF NOT EXISTS programme_suivi_id START 1`,
      `CREATE TABLE IF NOT EXISTS programme_statuts (
         id INTEGER PRIMARY KEY DEFAULT nextval('programme_suivi_id'),
         numero INTEGER NOT NULL,
         annee INTEGER NOT NULL,
         statut VARCHAR NOT NULL,
         date TIMESTAMP NOT NULL,
         auteur VARCHAR NOT NULL,
         role VARCHAR
       )`,
      `CREATE TABLE IF NOT EXISTS programme_commentaires (
         id INTEGER PRIMARY KEY DEFAULT nextval('programme_suivi_id'),
         numero INTEGER NOT NULL,
         annee INTEGER NOT NULL,
         partenaire VARCHAR NOT NULL,
         texte VARCHAR NOT NULL,
         date TIMESTAMP NOT NULL,
         auteur VARCHAR NOT NULL,
         role VARCHAR
       )`,
      `CREATE TABLE IF NOT EXISTS programme_instances (
         id INTEGER PRIMARY KEY DEFAULT nextval('programme_suivi_id'),
         genre VARCHAR NOT NULL,
         nom VARCHAR NOT NULL,
         membres JSON NOT NULL,
         frequence VARCHAR
       )`,
      `CREATE TABLE IF NOT EXISTS programme_reunions (
         id INTEGER PRIMARY KEY DEFAULT nextval('programme_suivi_id'),
         instance_id INTEGER NOT NULL,
         date DATE NOT NULL,
         ordre_du_jour VARCHAR NOT NULL,
         compte_rendu VARCHAR,
         fichier_nom VARCHAR,
         fichier BLOB,
         documents JSON NOT NULL,
         decisions JSON NOT NULL,
         auteur VARCHAR NOT NULL,
         date_modification TIMESTAMP NOT NULL
       )`,
      `CREATE TABLE IF NOT EXISTS programme_engagements (
         id INTEGER PRIMARY KEY DEFAULT nextval('programme_suivi_id'),
         partenaire VARCHAR NOT NULL,
         libelle VARCHAR NOT NULL,
         indicateur VARCHAR,
         perimetre_type VARCHAR,
         perimetre_id VARCHAR,
         cible DOUBLE,
         annee INTEGER
       )`,
    ],
  },
  {
    version: 6,
    description: 'Décisions de la CALEOL enregistrées dans Mixité (issue 15)',
    // Each recorded decision is also an attributions row (id `caleol-…`), so that the indicators count it without a
    // re-import; this table keeps who recorded it, when, the commission's motive and the household's answer.
    // IF NOT EXISTS: parallel work appended later versions first (store.ts applies them sorted).
    statements: [
      `CREATE SEQUENCE IF NOT EXISTS caleol_decision_id START 1`,
      `CREATE TABLE IF NOT EXISTS caleol_decisions (
         attribution_id VARCHAR PRIMARY KEY,
         logement_id VARCHAR NOT NULL,
         nur VARCHAR NOT NULL,
         date_cal DATE NOT NULL,
         decision VARCHAR NOT NULL,
         rang INTEGER,
         motif VARCHAR,
         issue VARCHAR,
         date_bail DATE,
         motif_refus VARCHAR,
         auteur VARCHAR NOT NULL,
         enregistre_le TIMESTAMP NOT NULL,
         reponse_le TIMESTAMP
       )`,
    ],
  },
  {
    version: 8,
    description: 'Correspondances d’en-têtes enregistrées sous un nom (issue 17)',
    // A mapping reviewed on the Données page, reused for the next extraction: its content is the YAML file's, as JSON.
    // IF NOT EXISTS: parallel work appended later versions first (store.ts applies them sorted).
    statements: [
      `CREATE TABLE IF NOT EXISTS correspondances (
         nom VARCHAR PRIMARY KEY,
         contenu JSON NOT NULL,
         auteur VARCHAR NOT NULL,
         enregistre_le TIMESTAMP NOT NULL
       )`,
    ],
  },
  {
    version: 11,
    description: 'Instances, réunions et engagements du programme d’actions : présences, fiche, échéance et statut des engagements (issue 19)',
    // Migration 7 planned the tables; their use asked for the attendance of a meeting and, for a commitment, the fiche
    // it serves, its due date (the dashboard's deadlines), its status and who changed it last.
    // IF NOT EXISTS: parallel work appended later versions first (store.ts applies them sorted).
    statements: [
      `ALTER TABLE programme_reunions ADD COLUMN IF NOT EXISTS presents JSON`,
      `ALTER TABLE programme_engagements ADD COLUMN IF NOT EXISTS fiche INTEGER`,
      `ALTER TABLE programme_engagements ADD COLUMN IF NOT EXISTS echeance DATE`,
      `ALTER TABLE programme_engagements ADD COLUMN IF NOT EXISTS statut VARCHAR DEFAULT 'a_tenir'`,
      `ALTER TABLE programme_engagements ADD COLUMN IF NOT EXISTS auteur VARCHAR`,
      `ALTER TABLE programme_engagements ADD COLUMN IF NOT EXISTS date_modification TIMESTAMP`,
    ],
  },
  {
    version: 12,
    description: 'Seuils des deuxième et troisième quartiles typés (seuil_q2, seuil_q3 de seuils.csv, issue 17)',
    // Version 1 creates the table from the current declaration, so a new store already has both: IF NOT EXISTS. In an
    // older store they come after `attributs` (the import names its columns) and the values an earlier import kept as
    // free attributes move into them, so that no threshold is lost nor shown twice.
    statements: [
      `ALTER TABLE seuils ADD COLUMN IF NOT EXISTS seuil_q2 DECIMAL(18,2)`,
      `ALTER TABLE seuils ADD COLUMN IF NOT EXISTS seuil_q3 DECIMAL(18,2)`,
      `UPDATE seuils SET
         seuil_q2 = coalesce(seuil_q2, TRY_CAST(attributs['seuil_q2'] AS DECIMAL(18,2))),
         seuil_q3 = coalesce(seuil_q3, TRY_CAST(attributs['seuil_q3'] AS DECIMAL(18,2))),
         attributs = map_from_entries(list_filter(map_entries(attributs), e -> e.key NOT IN ('seuil_q2', 'seuil_q3')))
       WHERE attributs IS NOT NULL AND (map_contains(attributs, 'seuil_q2') OR map_contains(attributs, 'seuil_q3'))`,
    ],
  },
  {
    version: 13,
    description: 'Version des données et lignes des indicateurs gardés, typées (démarrage à chaud, issue 18)',
    // store/version-donnees.ts: one row, bumped in every transaction that writes the data tables. The kept indicator
    // rows of a year in columns: the dashboard's first call reads one perimeter type of one year in SQL instead of
    // parsing the year's whole JSON (20 MB at IDF scale). Both are caches of the fingerprint (resultats-conserves.ts):
    // the kept JSON of migration 10 is dropped, it is computed again in the new shape.
    statements: [
      `CREATE TABLE IF NOT EXISTS version_donnees (version BIGINT NOT NULL, modifiee_le TIMESTAMP)`,
      `INSERT INTO version_donnees SELECT 1, now()::TIMESTAMP WHERE NOT EXISTS (SELECT 1 FROM version_donnees)`,
      `CREATE TABLE IF NOT EXISTS resultats_indicateurs_lignes (
         annee INTEGER NOT NULL,
         empreinte VARCHAR NOT NULL,
         ordre INTEGER NOT NULL,
         indicateur VARCHAR NOT NULL,
         perimetre_type VARCHAR NOT NULL,
         perimetre_id VARCHAR NOT NULL,
         periode VARCHAR NOT NULL,
         numerateur BIGINT NOT NULL,
         denominateur BIGINT NOT NULL,
         taux DOUBLE,
         cible DOUBLE,
         ecart DOUBLE,
         atteint BOOLEAN
       )`,
      `DELETE FROM resultats_indicateurs`,
    ],
  },
  {
    version: 14,
    description: 'Lignes publiées (secret statistique) des années publiées ensemble, gardées avec l’empreinte des données (issue 18)',
    // indicators/publication-conservee.ts: the public edition's rows of the years one document masks together, kept
    // by the warm start under the fingerprint of the kept figures (and of the secrecy's own code). A cache: rows are
    // read only when their fingerprint is the store's current one; `publication_conservee` is written last and
    // says the rows of its set of years are complete.
    statements: [
      `CREATE TABLE IF NOT EXISTS publication_conservee (
         annees VARCHAR NOT NULL,
         empreinte VARCHAR NOT NULL,
         lignes INTEGER NOT NULL,
         calcule_le TIMESTAMP NOT NULL
       )`,
      `CREATE TABLE IF NOT EXISTS publication_conservee_lignes (
         annees VARCHAR NOT NULL,
         empreinte VARCHAR NOT NULL,
         annee INTEGER NOT NULL,
         ordre INTEGER NOT NULL,
         indicateur VARCHAR NOT NULL,
         perimetre_type VARCHAR NOT NULL,
         perimetre_id VARCHAR NOT NULL,
         periode VARCHAR NOT NULL,
         numerateur BIGINT,
         denominateur BIGINT,
         taux DOUBLE,
         cible DOUBLE,
         ecart DOUBLE,
         atteint BOOLEAN,
         secret VARCHAR
       )`,
    ],
  },
];

// Entries may be appended out of order by parallel work: the latest is the highest, and store.ts applies them sorted.
export const LATEST_SCHEMA_VERSION = Math.max(0, ...MIGRATIONS.map((m) => m.version));
