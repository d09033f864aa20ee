import type { ColumnSpec } from '@mixite/core';
import { FILE_SPECS } from '@mixite/core';
import type { Store } from '../src/store/store.ts';
import { loadSql, parseSql, validSql } from '../src/import/sql-checks.ts';

/** What the importer's SQL says of one cell (trimmed, empty = NULL): valid, its parsed value, the value it loads. Shared by the cell-rule property tests. */
export async function sqlVerdict(store: Store, spec: ColumnSpec, value: string): Promise<{ ok: boolean; value: unknown; loaded: unknown }> {
  const v = value.trim() === '' ? null : value.trim();
  const [row] = await store.all<{ ok: boolean; value: unknown; loaded: unknown }>(
    `SELECT ${validSql(spec, 'c')} AS ok, ${parseSql(spec, 'c')} AS value, CASE WHEN ${validSql(spec, 'c')} THEN ${loadSql(spec, 'c')} END AS loaded
     FROM (SELECT $1::VARCHAR AS c)`,
    [v],
  );
  return { ok: row?.ok ?? false, value: row?.value ?? null, loaded: row?.loaded ?? null };
}

/** The column kinds the typed-read property tests share (each adds the kinds its path reads). */
export const TYPED_READ_SPECS = {
  integer: FILE_SPECS.demandes.columns.nb_personnes,
  age: FILE_SPECS.demandes.columns.age_demandeur,
  // Without a range: only the nine-digit bound of the format limits it.
  entier: { kind: 'integer', required: false } as ColumnSpec,
  montant: { kind: 'decimal', required: false } as ColumnSpec,
  decimal: FILE_SPECS.demandes.columns.ressources_mensuelles,
  loyer: FILE_SPECS.demandes.columns.loyer_actuel,
  date: FILE_SPECS.demandes.columns.date_depot,
  dateFacultative: FILE_SPECS.demandes.columns.date_radiation,
  boolean: FILE_SPECS.demandes.columns.dalo,
  code: FILE_SPECS.demandes.columns.statut,
} satisfies Record<string, ColumnSpec>;
