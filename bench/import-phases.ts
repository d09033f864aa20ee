/**
 * Processor time of the import by phase (issue 18): every statement the store runs is timed with
 * `process.cpuUsage` (every thread of the process; statements run one at a time) and filed under a phase read from
 * its SQL. Processor time, not wall time: it stays meaningful on a loaded machine.
 *
 *   npx tsx bench/import-phases.ts <dossier d'un territoire> <base neuve.duckdb> [--exacte]
 */
import { rmSync } from 'node:fs';
import { Store, importDataset } from '@mixite/data';

const [dir, base] = process.argv.slice(2);
if (!dir || !base) throw new Error('usage : npx tsx bench/import-phases.ts <dossier> <base.duckdb> [--exacte]');
rmSync(base, { force: true });
rmSync(`${base}.wal`, { force: true });
const store = await Store.open(base);

const table = (s: string, prefix: string) => new RegExp(`${prefix}_(\\w+)`).exec(s)?.[1] ?? '';
function phase(sql: string): string {
  const s = sql.replace(/\s+/g, ' ').trim();
  if (s.startsWith('CREATE TEMP TABLE "typ_')) return `lecture rapide typée ${table(s, 'typ')}`;
  if (s.startsWith('CREATE TEMP TABLE')) return `mise en attente texte ${table(s, 'stg')}`;
  if (s.startsWith('INSERT INTO') && /"(stg|typ)_/.test(s)) return `écriture typée ${table(s, '(?:stg|typ)')}`;
  if (s.includes('count_if(') && s.includes('stg_')) return `contrôles de cellules ${table(s, 'stg')}`;
  if (s.includes('HAVING count(*) > 1')) return 'unicité';
  if (s.includes('ANTI JOIN')) return 'références';
  if (s.includes('seuils_typed')) return 'avertissements q1';
  if (s.startsWith('CHECKPOINT')) return 'checkpoint';
  if (s.startsWith('COMMIT')) return 'commit';
  return `autre : ${s.slice(0, 40)}`;
}

const totals = new Map<string, number>();
type Method = (this: Store, sql: unknown, params?: unknown) => Promise<unknown>;
const prototype = Store.prototype as unknown as Record<'run' | 'all', Method>;
for (const name of ['run', 'all'] as const) {
  const original = prototype[name];
  prototype[name] = async function (this: Store, sql: unknown, params?: unknown) {
    const start = process.cpuUsage();
    try {
      return await original.call(this, sql, params);
    } finally {
      const used = process.cpuUsage(start);
      const key = phase(typeof sql === 'string' ? sql : String((sql as { text?: string } | null)?.text ?? sql));
      totals.set(key, (totals.get(key) ?? 0) + (used.user + used.system) / 1000);
    }
  };
}

const start = process.cpuUsage();
await importDataset(store, [dir], { lectureRapide: !process.argv.includes('--exacte') });
const used = process.cpuUsage(start);
const total = (used.user + used.system) / 1000;
store.close();
const inSql = [...totals.values()].reduce((a, b) => a + b, 0);
const line = (ms: number, label: string) => console.log(`| ${label} | ${(ms / 1000).toFixed(2).replace('.', ',')} s | ${Math.round((100 * ms) / total)} % |`);
console.log('| phase | temps processeur | part |\n|---|---:|---:|');
for (const [label, ms] of [...totals].sort((a, b) => b[1] - a[1])) if (ms >= 100) line(ms, label);
line(total - inSql, 'JavaScript entre les requêtes (préparation des fichiers, copie de sûreté)');
line(total, 'total');
