/**
 * Bilan benchmark (issue 5): the whole annual bilan of one year — the engine run for the year and the years of
 * the trend, the published (masked) indicators, the document, the Excel workbook, the charts rasterised and the
 * PDF printed by Chromium, the Word document — written into a temporary folder, removed afterwards. Target: one
 * year at Île-de-France scale in under 30 s.
 *
 * Called by bench/run.ts; also runnable alone on an imported base:
 *   npx tsx bench/bilan.ts --base FICHIER.duckdb [--annee 2024] [--runs 3]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Store } from '@mixite/data';
import { produireBilan } from '@mixite/reports';

export async function benchBilan(store: Store, annee: number): Promise<{ ms: number }> {
  const out = mkdtempSync(join(tmpdir(), 'mixite-bench-bilan-'));
  try {
    const debut = performance.now();
    await produireBilan(store, { annee, out });
    return { ms: performance.now() - debut };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { base: { type: 'string' }, annee: { type: 'string', default: '2024' }, runs: { type: 'string', default: '3' } } });
  if (!values.base) throw new Error('indiquez la base avec --base FICHIER.duckdb');
  const store = await Store.open(values.base);
  try {
    for (let i = 0; i < Math.max(1, Number(values.runs)); i++) {
      const cpu = process.cpuUsage();
      const r = await benchBilan(store, Number(values.annee));
      const c = process.cpuUsage(cpu);
      console.log(`bilan ${values.annee} : ${(r.ms / 1000).toFixed(2)} s (CPU de Node ${((c.user + c.system) / 1e6).toFixed(2)} s, Chromium à part)`);
    }
  } finally {
    store.close();
  }
}
