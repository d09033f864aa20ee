/**
 * The fast staging's per-row flag (issue 18), two ways over the same file, alternated in one process, processor time
 * (`process.cpuUsage`, every DuckDB thread): the OR of every check of validate.ts over the text (the flag before),
 * and typed-staging.ts's flag (each cell's validity once, the rules over the typed values). Both read the file once.
 *
 *   npx tsx bench/import-drapeau.ts <fichier demandes.csv> [--table demandes] [--tours 3]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileName, FileSpec } from '@mixite/core';
import { FILE_SPECS } from '@mixite/core';
import { Store } from '@mixite/data';
import { prepareCsv } from '../packages/data/src/import/source-file.ts';
import { cellsSql, dropStaging, readCsvSql } from '../packages/data/src/import/staging.ts';
import { loadSql, parseSql } from '../packages/data/src/import/sql-checks.ts';
import { stageTyped } from '../packages/data/src/import/typed-staging.ts';
import { fileChecks } from '../packages/data/src/import/validate.ts';
import { ident } from '../packages/data/src/store/sql-types.ts';

const args = process.argv.slice(2);
const path = args[0];
if (!path) throw new Error('usage : npx tsx bench/import-drapeau.ts <fichier.csv> [--table demandes] [--tours 3]');
const option = (name: string, fallback: string) => (args.includes(name) ? (args[args.indexOf(name) + 1] ?? fallback) : fallback);
const table = option('--table', 'demandes') as FileName;
const rounds = Number(option('--tours', '3'));
const work = mkdtempSync(join(tmpdir(), 'mixite-drapeau-'));
const prepared = await prepareCsv(path, table, undefined, work);
if (!prepared.ok) throw new Error(prepared.problems.map((p) => p.message).join('\n'));
const file = prepared.file;
const spec: FileSpec = FILE_SPECS[table];
const store = await Store.open(':memory:');

async function before(): Promise<void> {
  const value = (c: string) => {
    const col = spec.columns[c];
    if (!col) return ident(c);
    return `${col.kind === 'integer' ? parseSql(col, c) : loadSql(col, c)} AS ${ident(c)}`;
  };
  const failures = [...fileChecks(file).map((check) => `coalesce(${check.condition}, FALSE)`), `(${file.columns.map((c) => `${ident(c)} IS NULL`).join(' AND ')})`];
  await dropStaging(store, file);
  await store.run(`CREATE TEMP TABLE avant AS SELECT ${file.columns.map(value).join(', ')}, (${failures.join(' OR ')}) AS echec
    FROM (SELECT ${cellsSql(file)} FROM ${readCsvSql(file)})`);
  await store.run('DROP TABLE avant');
}
async function after(): Promise<void> {
  const staged = await stageTyped(store, file, undefined);
  if (!staged) throw new Error('le fichier n’a pas pris la voie rapide');
  await dropStaging(store, file);
}
const cpu = async (work: () => Promise<void>) => {
  const start = process.cpuUsage();
  await work();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
};
const times = { avant: [] as number[], apres: [] as number[] };
for (let i = 0; i < rounds; i++) {
  times.avant.push(await cpu(before));
  times.apres.push(await cpu(after));
}
store.close();
rmSync(work, { recursive: true, force: true });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const fmt = (x: number) => x.toFixed(2).replace('.', ',');
console.log(`| ${table} | drapeau : OU de chaque contrôle (avant) | ${times.avant.map(fmt).join(' / ')} s | médiane ${fmt(median(times.avant))} s |`);
console.log(`| ${table} | drapeau : validité par cellule, règles typées (typed-staging.ts) | ${times.apres.map(fmt).join(' / ')} s | médiane ${fmt(median(times.apres))} s |`);
