import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ColumnSpec, FileName, FileSpec } from '@mixite/core';
import { FILE_NAMES, FILE_SPECS } from '@mixite/core';
import { stringify } from 'yaml';
import { FICHIER_CONTOURS, contoursGeojson } from '../import/contours.ts';
import type { FileReport, ImportReport } from '../import/problems.ts';
import type { Store } from '../store/store.ts';
import { ident, literal } from '../store/sql-types.ts';

/**
 * Writes the store back as a canonical dataset folder: `;`-separated UTF-8, ISO dates, `0/1` booleans,
 * decimals in their shortest form, each file with the columns (free ones included) in the order of its last
 * import. A dataset written by the demo generator comes back byte for byte.
 */
export async function exportDataset(store: Store, outDir: string, files: readonly FileName[] = FILE_NAMES): Promise<Record<string, number>> {
  mkdirSync(outDir, { recursive: true });
  const lastColumns = await lastImportedColumns(store);
  const written: Record<string, number> = {};
  for (const name of files) {
    const spec: FileSpec = FILE_SPECS[name];
    const [count] = await store.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${ident(name)}`);
    if (!count || (count.n === 0 && !lastColumns.has(name))) continue;
    const columns = lastColumns.get(name) ?? Object.keys(spec.columns);
    const select = columns.map((c) => `${formatSql(spec.columns[c], c)} AS ${ident(c)}`).join(', ');
    const path = join(outDir, `${name}.csv`);
    await store.run(`COPY (SELECT ${select} FROM ${ident(name)}) TO ${literal(path)} (FORMAT csv, HEADER, DELIMITER ';', QUOTE '"')`);
    written[name] = count.n;
  }
  const [config] = await store.all<{ contenu: string }>(`SELECT contenu::VARCHAR AS contenu FROM configuration ORDER BY version DESC LIMIT 1`);
  if (config) writeFileSync(join(outDir, 'cia.yaml'), stringify(JSON.parse(config.contenu)));
  // The optional outlines (issue 14), each feature as imported.
  const contours = files === FILE_NAMES ? await contoursGeojson(store) : null;
  if (contours !== null) {
    writeFileSync(join(outDir, FICHIER_CONTOURS), contours);
    written[FICHIER_CONTOURS] = (await store.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM contours`))[0]?.n ?? 0;
  }
  return written;
}

/** One column as canonical text; a column that is not in the format is a free attribute. */
function formatSql(spec: ColumnSpec | undefined, column: string): string {
  const c = ident(column);
  if (!spec) return `attributs[${literal(column)}]`;
  switch (spec.kind) {
    case 'text':
    case 'code':
    case 'list':
      return c;
    case 'integer':
      return `${c}::VARCHAR`;
    case 'decimal':
    case 'real':
      // 1500.00 → 1500, 420.30 → 420.3: the shortest form, as people and the generator write it.
      return `CASE WHEN contains(${c}::VARCHAR, '.') THEN rtrim(rtrim(${c}::VARCHAR, '0'), '.') ELSE ${c}::VARCHAR END`;
    case 'date':
      return `strftime(${c}, '%Y-%m-%d')`;
    case 'boolean':
      return `CASE WHEN ${c} THEN '1' WHEN NOT ${c} THEN '0' END`;
  }
}

async function lastImportedColumns(store: Store): Promise<Map<FileName, readonly string[]>> {
  const rows = await store.all<{ rapport: string }>(`SELECT rapport::VARCHAR AS rapport FROM imports WHERE statut = 'reussi' ORDER BY id`);
  const columns = new Map<FileName, readonly string[]>();
  for (const row of rows) {
    const report = JSON.parse(row.rapport) as ImportReport;
    for (const f of report.fichiers as FileReport[]) columns.set(f.table as FileName, f.colonnes);
  }
  return columns;
}
