import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { ColumnSpec } from '@mixite/core';
import { FILE_SPECS } from '@mixite/core';
import { ident, literal, sqlType } from '../packages/data/src/store/sql-types.ts';

/**
 * The floor of an import (issue 18): plain DuckDB `read_csv` of every CSV of a territory folder into a fresh database
 * file, one table per file, then a checkpoint — no check, no line, nothing kept apart. `types: 'contrat'` gives the
 * columns the data contract's types (VARCHAR for the others); `'auto'` lets DuckDB detect them (fails at national
 * scale: it reads the Corsican INSEE code 2A004 as a number). Returns the milliseconds taken. `parFichier`, when
 * given, hears each file's processor time (every thread) and duration: bench/import-phases.ts sets them beside the
 * import's phases of the same file.
 */
export async function plancherReadCsv(
  data: string,
  base: string,
  types: 'contrat' | 'auto',
  parFichier?: (fichier: string, processeurMs: number, dureeMs: number) => void,
): Promise<number> {
  const start = performance.now();
  const instance = await DuckDBInstance.create(base);
  const connection = await instance.connect();
  try {
    for (const entry of readdirSync(data).filter((f) => f.endsWith('.csv')).sort()) {
      const name = entry.replace(/\.csv$/, '');
      const path = join(data, entry);
      let options = `header = true, delim = ';'`;
      if (types === 'contrat') {
        const spec = (FILE_SPECS as Record<string, { columns: Record<string, ColumnSpec> } | undefined>)[name];
        const reader = await connection.runAndReadAll(`SELECT * FROM read_csv(${literal(path)}, header = true, delim = ';', all_varchar = true) LIMIT 0`);
        const columns = reader.columnNames().map((c) => {
          const col = spec?.columns[c];
          return `${literal(c)}: ${literal(col ? sqlType(col) : 'VARCHAR')}`;
        });
        options += `, auto_detect = false, quote = '"', escape = '"', columns = {${columns.join(', ')}}`;
      }
      const cpu = process.cpuUsage();
      const debut = performance.now();
      await connection.run(`CREATE TABLE ${ident(name)} AS SELECT * FROM read_csv(${literal(path)}, ${options})`);
      const used = process.cpuUsage(cpu);
      parFichier?.(name, (used.user + used.system) / 1000, performance.now() - debut);
    }
    const cpu = process.cpuUsage();
    const debut = performance.now();
    await connection.run('CHECKPOINT');
    const used = process.cpuUsage(cpu);
    parFichier?.('CHECKPOINT', (used.user + used.system) / 1000, performance.now() - debut);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return performance.now() - start;
}
