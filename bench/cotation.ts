/**
 * Cotation benchmark (issue 6): every request active at the date scored, ranked among its similar requests and given
 * the mean waiting time of the similar satisfied ones, by the generated DuckDB query, into a TEMP table (the results
 * stay in DuckDB: writing 2.7 million CSV rows is the CLI's cost, not the engine's). Target: 2.7 million requests in
 * under 3 s on 2 cores.
 *
 * Called by bench/run.ts; also runnable alone on an imported base:
 *   npx tsx bench/cotation.ts --base FICHIER.duckdb [--grille grilles/rhone.yaml] [--date 2024-12-31] [--runs 3]
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Grille } from '@mixite/core';
import { parseGrille } from '@mixite/core';
import { Store, materialiserCotation } from '@mixite/data';

const TABLE = 'bench_cotation';

export async function benchCotation(store: Store, grille: Grille, date: string): Promise<{ ms: number; demandes: number }> {
  const debut = performance.now();
  const { demandes } = await materialiserCotation(store, grille, TABLE, { date });
  const ms = performance.now() - debut;
  await store.run(`DROP TABLE IF EXISTS ${TABLE}`);
  return { ms, demandes };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: { base: { type: 'string' }, grille: { type: 'string', default: 'grilles/rhone.yaml' }, date: { type: 'string', default: '2024-12-31' }, runs: { type: 'string', default: '3' } },
  });
  if (!values.base) throw new Error('indiquez la base avec --base FICHIER.duckdb');
  const fichier = values.grille ?? 'grilles/rhone.yaml';
  const grille = parseGrille(readFileSync(fichier, 'utf8'), fichier);
  const store = await Store.open(values.base);
  try {
    for (let i = 0; i < Math.max(1, Number(values.runs)); i++) {
      const cpu = process.cpuUsage();
      const r = await benchCotation(store, grille, values.date ?? '2024-12-31');
      const c = process.cpuUsage(cpu);
      console.log(`${fichier} : ${r.demandes.toLocaleString('fr-FR')} demandes cotées, classées et datées en ${(r.ms / 1000).toFixed(2)} s (CPU ${((c.user + c.system) / 1e6).toFixed(2)} s)`);
    }
  } finally {
    store.close();
  }
}
