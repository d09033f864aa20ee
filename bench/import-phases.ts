/**
 * Processor time of the import by phase (issue 18): every statement the store runs is timed with
 * `process.cpuUsage` (every thread of the process; statements run one at a time) and filed under a phase read from
 * its SQL. Processor time, not wall time: it stays meaningful on a loaded machine. Beside it, each phase's duration
 * and its parallelism (processor ÷ duration: 2 on two busy cores, 1 when a phase keeps one core idle), and for the
 * whole process the user/system split, the minor page faults and the peak memory (where the memory goes).
 *
 * With `--plancher`, plain DuckDB `read_csv` of the same files into a fresh database (bench/plancher-import.ts,
 * typed columns) runs first in the same process, and each big file's import (typed read + typed write) is set beside
 * its floor: which file, and which phase, grows faster than its floor from one scale to the next.
 *
 * The import as the command line runs it: clean files written straight into their final tables and committed early
 * (direct-write.ts); `--temporaire`: typed TEMP tables and the load instead (the server's way, the library's default).
 *
 *   npx tsx bench/import-phases.ts <dossier d'un territoire> <base neuve.duckdb> [--exacte] [--temporaire] [--plancher]
 */
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { Store, importDataset } from '@mixite/data';
import { plancherReadCsv } from './plancher-import.ts';

const [dir, base] = process.argv.slice(2);
if (!dir || !base) throw new Error('usage : npx tsx bench/import-phases.ts <dossier> <base.duckdb> [--exacte] [--temporaire] [--plancher]');
const fresh = (path: string) => {
  rmSync(path, { force: true });
  rmSync(`${path}.wal`, { force: true });
};
const load = () => loadavg().map((l) => l.toFixed(1).replace('.', ',')).join(' / ');
const s = (ms: number) => `${(ms / 1000).toFixed(2).replace('.', ',')} s`;
console.log(`Charge au départ : ${load()}`);

const floor = new Map<string, { cpu: number; wall: number }>();
if (process.argv.includes('--plancher')) {
  fresh(`${base}-plancher`);
  await plancherReadCsv(dir, `${base}-plancher`, 'contrat', (fichier, cpu, wall) => floor.set(fichier, { cpu, wall }));
  fresh(`${base}-plancher`);
}

fresh(base);
const store = await Store.open(base);

const table = (sql: string, prefix: string) => new RegExp(`${prefix}_(\\w+)`).exec(sql)?.[1] ?? '';
function phase(sql: string): string {
  const q = sql.replace(/\s+/g, ' ').trim();
  if (q.startsWith('CREATE TEMP TABLE "typ_')) return `lecture rapide typée ${table(q, 'typ')}`;
  // The direct write: read typed and written into the final table in one statement (its table named by the rejects').
  if (q.startsWith('INSERT INTO') && q.includes('read_csv(')) return `lecture et écriture directes ${table(q, 'rej')}`;
  if (q.startsWith('CREATE TEMP TABLE')) return `mise en attente texte ${table(q, 'stg')}`;
  if (q.startsWith('INSERT INTO') && /"(stg|typ)_/.test(q)) return `écriture typée ${table(q, '(?:stg|typ)')}`;
  if (q.includes('count_if(') && q.includes('stg_')) return `contrôles de cellules ${table(q, 'stg')}`;
  if (q.includes('HAVING count(*) > 1')) return 'unicité';
  if (q.includes('ANTI JOIN')) return 'références';
  if (q.includes('seuils_typed')) return 'avertissements q1';
  if (q.startsWith('CHECKPOINT')) return 'checkpoint';
  if (q.startsWith('COMMIT')) return 'commit';
  return `autre : ${q.slice(0, 40)}`;
}

const totals = new Map<string, { cpu: number; wall: number }>();
type Method = (this: Store, sql: unknown, params?: unknown) => Promise<unknown>;
const prototype = Store.prototype as unknown as Record<'run' | 'all', Method>;
for (const name of ['run', 'all'] as const) {
  const original = prototype[name];
  prototype[name] = async function (this: Store, sql: unknown, params?: unknown) {
    const start = process.cpuUsage();
    const debut = performance.now();
    try {
      return await original.call(this, sql, params);
    } finally {
      const used = process.cpuUsage(start);
      const key = phase(typeof sql === 'string' ? sql : String((sql as { text?: string } | null)?.text ?? sql));
      const t = totals.get(key) ?? { cpu: 0, wall: 0 };
      totals.set(key, { cpu: t.cpu + (used.user + used.system) / 1000, wall: t.wall + performance.now() - debut });
    }
  };
}

const usageBefore = process.resourceUsage();
const start = process.cpuUsage();
const debut = performance.now();
await importDataset(store, [dir], { lectureRapide: !process.argv.includes('--exacte'), ecritureDirecte: !process.argv.includes('--temporaire') });
const used = process.cpuUsage(start);
const wall = performance.now() - debut;
const usage = process.resourceUsage();
store.close();
const total = (used.user + used.system) / 1000;
const inSql = [...totals.values()].reduce((a, b) => a + b.cpu, 0);
const wallInSql = [...totals.values()].reduce((a, b) => a + b.wall, 0);
const line = (t: { cpu: number; wall: number }, label: string) =>
  console.log(`| ${label} | ${s(t.cpu)} | ${Math.round((100 * t.cpu) / total)} % | ${s(t.wall)} | ${(t.cpu / Math.max(t.wall, 1)).toFixed(2).replace('.', ',')} |`);
console.log('| phase | temps processeur | part | durée | parallélisme |\n|---|---:|---:|---:|---:|');
for (const [label, t] of [...totals].sort((a, b) => b[1].cpu - a[1].cpu)) if (t.cpu >= 100) line(t, label);
line({ cpu: total - inSql, wall: wall - wallInSql }, 'JavaScript entre les requêtes (préparation des fichiers, copie de sûreté)');
line({ cpu: total, wall }, 'total');
console.log(
  `\nProcessus pendant l'import : utilisateur ${s((usage.userCPUTime - usageBefore.userCPUTime) / 1000)}, système ${s((usage.systemCPUTime - usageBefore.systemCPUTime) / 1000)}, ` +
    `${(usage.minorPageFault - usageBefore.minorPageFault).toLocaleString('fr-FR')} défauts de page mineurs, mémoire maximale ${(usage.maxRSS / 2 ** 20).toFixed(2).replace('.', ',')} Gio ; charge à la fin : ${load()}`,
);

if (floor.size > 0) {
  // Per big file: the import's typed read and typed write against the floor's read_csv of that file, same process.
  console.log('\n| fichier | import : lecture + écriture (processeur) | `read_csv` typé (processeur) | rapport |\n|---|---:|---:|---:|');
  for (const [fichier, f] of floor) {
    const ownCpu =
      fichier === 'CHECKPOINT'
        ? (totals.get('checkpoint')?.cpu ?? 0)
        : (totals.get(`lecture rapide typée ${fichier}`)?.cpu ?? 0) +
          (totals.get(`écriture typée ${fichier}`)?.cpu ?? 0) +
          (totals.get(`lecture et écriture directes ${fichier}`)?.cpu ?? 0);
    if (f.cpu >= 300 || fichier === 'CHECKPOINT') console.log(`| ${fichier} | ${s(ownCpu)} | ${s(f.cpu)} | ${(ownCpu / f.cpu).toFixed(2).replace('.', ',')} |`);
  }
  const floorTotal = [...floor.values()].reduce((a, b) => a + b.cpu, 0);
  console.log(`| tout | ${s(total)} | ${s(floorTotal)} | ${(total / floorTotal).toFixed(2).replace('.', ',')} |`);
}
