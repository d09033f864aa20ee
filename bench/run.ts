/**
 * `npm run bench [-- --echelles epci,idf,national] [--runs N]`: generates the demo territory at each scale,
 * imports it into a fresh DuckDB file, and measures; writes docs/BENCHMARKS.md. Medians of N runs (default 3).
 * Benchmarks, not tests: nothing here fails on a slow machine.
 */
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Store, importDataset } from '@mixite/data';
import type { Echelle } from '@mixite/demo';
import { generateDemo } from '@mixite/demo';
import { describeMachine, median, seconds, timed } from './machine.ts';

const { values } = parseArgs({ options: { echelles: { type: 'string', default: 'epci,idf,national' }, runs: { type: 'string', default: '3' } } });
const echelles = (values.echelles ?? '').split(',').filter(Boolean) as Echelle[];
const runs = Math.max(1, Number(values.runs));

interface Row {
  echelle: Echelle;
  lignes: number;
  mo: number;
  generation: number[];
  import: number[];
}

const rows: Row[] = [];
const work = mkdtempSync(join(tmpdir(), 'mixite-bench-'));
try {
  for (const echelle of echelles) {
    const row: Row = { echelle, lignes: 0, mo: 0, generation: [], import: [] };
    const dir = join(work, echelle);
    for (let run = 0; run < runs; run++) {
      rmSync(dir, { recursive: true, force: true });
      const gen = await timed(() => generateDemo({ out: dir, echelle, graine: 1 }));
      row.generation.push(gen.ms);
      row.lignes = Object.values(gen.result.fichiers).reduce((a, b) => a + b, 0);
      console.error(`${echelle} : génération ${seconds(gen.ms)} (${row.lignes.toLocaleString('fr-FR')} lignes)`);
    }
    row.mo = readdirSync(dir).reduce((total, f) => total + statSync(join(dir, f)).size, 0) / 2 ** 20;
    for (let run = 0; run < runs; run++) {
      const base = join(work, `${echelle}-${run}.duckdb`);
      const store = await Store.open(base);
      const imp = await timed(() => importDataset(store, [dir]));
      store.close();
      rmSync(base, { force: true });
      row.import.push(imp.ms);
      console.error(`${echelle} : import ${seconds(imp.ms)}`);
    }
    rows.push(row);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const table = [
  '| échelle | lignes (tous fichiers) | taille CSV | génération (médiane) | import dans une base neuve (médiane) | essais |',
  '|---|---:|---:|---:|---:|---:|',
  ...rows.map(
    (r) =>
      `| ${r.echelle} | ${r.lignes.toLocaleString('fr-FR')} | ${Math.round(r.mo).toLocaleString('fr-FR')} Mo | ${seconds(median(r.generation))} | ${seconds(median(r.import))} | ${runs} |`,
  ),
].join('\n');

const doc = `# Mesures de performance

Produit par \`npm run bench -- --echelles ${echelles.join(',')} --runs ${runs}\` le ${new Date().toISOString().slice(0, 10)}.
Machine : ${describeMachine()}.

## Génération et import du territoire de démonstration
Génération : \`mixite demo --echelle E --graine 1\`. Import : \`importDataset\` (lecture, contrôles complets — cellules,
règles, unicité, références croisées — et chargement) dans un fichier DuckDB neuf.

${table}
`;
writeFileSync(new URL('../docs/BENCHMARKS.md', import.meta.url), doc);
console.log(doc);
