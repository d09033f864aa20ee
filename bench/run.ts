/**
 * `npm run bench [-- --echelles epci,idf,national] [--runs N]`: for each scale, generates the demo territory,
 * imports it into a fresh DuckDB file, then measures on that store the indicator engine (against the same
 * indicators hand-written in plain SQL), the cotation, the bilan and the API. Medians of N runs (default 3).
 * Writes docs/BENCHMARKS.md. Benchmarks, not tests: nothing here fails on a slow machine.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseGrille } from '@mixite/core';
import { Store, importDataset } from '@mixite/data';
import type { Echelle } from '@mixite/demo';
import { generateDemo } from '@mixite/demo';
import { benchApi, tableauBenchApi } from './api.ts';
import { benchBilan } from './bilan.ts';
import { benchCotation } from './cotation.ts';
import { benchIndicators } from './indicators.ts';
import { describeMachine, median, seconds, timed } from './machine.ts';
import { plancherReadCsv } from './plancher-import.ts';

/** Everything from this line on in docs/BENCHMARKS.md is written by hand or by the dedicated benchmarks. */
const MARQUEUR_SECTIONS_DEDIEES = '<!-- Sections des bancs dédiés : conservées telles quelles par npm run bench. -->';

const { values } = parseArgs({
  options: {
    echelles: { type: 'string', default: 'epci,idf,national' },
    runs: { type: 'string', default: '3' },
    annee: { type: 'string', default: '2024' },
    'runs-national': { type: 'string' },
  },
});
const echelles = (values.echelles ?? '').split(',').filter(Boolean) as Echelle[];
const runs = Math.max(1, Number(values.runs));
const annee = Number(values.annee);
/** The national scale takes minutes per run: it may be measured fewer times (said in the document). */
const runsNational = Math.max(1, Number(values['runs-national'] ?? runs));
const runsOf = (echelle: Echelle) => (echelle === 'national' ? runsNational : runs);
const log = (message: string) => console.error(message);

interface ScaleResult {
  echelle: Echelle;
  lignes: number;
  mo: number;
  generation: number[];
  import: number[];
  /** Plain DuckDB read_csv (contract types) of the same files into a fresh file, alternated with the imports (issue 18). */
  plancher: number[];
  indicateurs: number[];
  indicateursSql: number[];
  cotation: number[];
  demandesCotees: number;
  bilan: number[];
  api: string | null;
}

const results: ScaleResult[] = [];
const work = mkdtempSync(join(tmpdir(), 'mixite-bench-'));
try {
  for (const echelle of echelles) {
    const r: ScaleResult = { echelle, lignes: 0, mo: 0, generation: [], import: [], plancher: [], indicateurs: [], indicateursSql: [], cotation: [], demandesCotees: 0, bilan: [], api: null };
    const dir = join(work, echelle);
    const runs = runsOf(echelle);
    for (let run = 0; run < runs; run++) {
      rmSync(dir, { recursive: true, force: true });
      const gen = await timed(() => generateDemo({ out: dir, echelle, graine: 1 }));
      r.generation.push(gen.ms);
      r.lignes = Object.values(gen.result.fichiers).reduce((a, b) => a + b, 0);
      log(`${echelle} : génération ${seconds(gen.ms)} (${r.lignes.toLocaleString('fr-FR')} lignes)`);
    }
    r.mo = readdirSync(dir).reduce((total, f) => total + statSync(join(dir, f)).size, 0) / 2 ** 20;
    const base = join(work, `${echelle}.duckdb`);
    for (let run = 0; run < runs; run++) {
      rmSync(base, { force: true });
      const store = await Store.open(base);
      // As the command line imports (decision 0010, session 12): clean files written directly, committed early.
      const imp = await timed(() => importDataset(store, [dir], { ecritureDirecte: true }));
      store.close();
      r.import.push(imp.ms);
      log(`${echelle} : import ${seconds(imp.ms)}`);
      const floorBase = join(work, `${echelle}-plancher.duckdb`);
      r.plancher.push(await plancherReadCsv(dir, floorBase, 'contrat'));
      rmSync(floorBase, { force: true });
      log(`${echelle} : read_csv seul ${seconds(r.plancher.at(-1) ?? 0)}`);
    }
    rmSync(dir, { recursive: true, force: true });

    const store = await Store.open(base);
    try {
      for (let run = 0; run < runs; run++) {
        const ind = await benchIndicators(store, annee);
        r.indicateurs.push(ind.engineMs);
        r.indicateursSql.push(ind.plainSqlMs);
        log(`${echelle} : indicateurs ${seconds(ind.engineMs)} (SQL écrit à la main : ${seconds(ind.plainSqlMs)})`);
      }
      const grille = parseGrille(readFileSync('grilles/rhone.yaml', 'utf8'), 'grilles/rhone.yaml');
      for (let run = 0; run < runs; run++) {
        const cot = await benchCotation(store, grille, `${annee}-12-31`);
        r.cotation.push(cot.ms);
        r.demandesCotees = cot.demandes;
        log(`${echelle} : cotation ${seconds(cot.ms)} (${cot.demandes.toLocaleString('fr-FR')} demandes)`);
      }
      if (echelle !== 'national') {
        for (let run = 0; run < Math.min(runs, 2); run++) {
          const bil = await benchBilan(store, annee);
          r.bilan.push(bil.ms);
          log(`${echelle} : bilan ${seconds(bil.ms)}`);
        }
      }
    } finally {
      store.close();
    }
    if (echelle !== 'national') {
      const { startServer } = await import('@mixite/server');
      const server = await startServer({ port: 0, basePath: base, webDist: null, log: () => {} });
      try {
        r.api = tableauBenchApi(await benchApi(server.url, { log }), echelle);
      } finally {
        await server.close();
      }
    }
    rmSync(base, { force: true });
    results.push(r);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const fmt = (values: number[]) => (values.length === 0 ? '—' : seconds(median(values)));
const doc = `# Mesures de performance

Produit par \`npm run bench -- --echelles ${echelles.join(',')} --runs ${runs}${values['runs-national'] ? ` --runs-national ${runsNational}` : ''}\` le ${new Date().toISOString().slice(0, 10)}.
Machine : ${describeMachine()}. Médianes de ${runs} essais (${runsNational} à l'échelle nationale, 2 au plus pour le bilan).

## Génération et import du territoire de démonstration
Génération : \`mixite demo --echelle E --graine 1\`. Import : \`importDataset\` (lecture, contrôles complets — cellules,
règles, unicité, références croisées, drapeau q1 — et chargement) dans un fichier DuckDB neuf. À côté, après chaque import,
le plancher : \`read_csv\` de DuckDB seul, des mêmes fichiers aux types du format, dans un autre fichier neuf
(\`bench/plancher-import.ts\` ; détail, temps processeur et mémoire par \`bench/import.ts\`).

| échelle | lignes (tous fichiers) | taille CSV | génération | import | \`read_csv\` seul, même run | rapport |
|---|---:|---:|---:|---:|---:|---:|
${results.map((r) => `| ${r.echelle} | ${r.lignes.toLocaleString('fr-FR')} | ${Math.round(r.mo).toLocaleString('fr-FR')} Mo | ${fmt(r.generation)} | ${fmt(r.import)} | ${fmt(r.plancher)} | ${r.plancher.length > 0 ? (median(r.import) / median(r.plancher)).toFixed(2).replace('.', ',') : '—'} |`).join('\n')}

## Calculs sur la base importée (année ${annee})
- **Indicateurs** : tous les objectifs, tous les périmètres et toutes les périodes de l'année, par le moteur ; à côté,
  les mêmes indicateurs écrits à la main en SQL DuckDB simple, dans la même exécution (\`bench/indicators.ts\`).
- **Cotation** : toutes les demandes actives au 31/12 notées, classées parmi les demandes similaires et dotées du délai
  moyen des demandes similaires satisfaites, avec la grille \`grilles/rhone.yaml\` (\`bench/cotation.ts\`).
- **Bilan** : les trois documents (Word, PDF, Excel) de l'année (\`bench/bilan.ts\`).

| échelle | indicateurs (moteur) | mêmes indicateurs en SQL simple | rapport | cotation | demandes cotées | bilan |
|---|---:|---:|---:|---:|---:|---:|
${results
  .map(
    (r) =>
      `| ${r.echelle} | ${fmt(r.indicateurs)} | ${fmt(r.indicateursSql)} | ${r.indicateursSql.length ? (median(r.indicateurs) / median(r.indicateursSql)).toFixed(2) : '—'} | ${fmt(r.cotation)} | ${r.demandesCotees.toLocaleString('fr-FR')} | ${fmt(r.bilan)} |`,
  )
  .join('\n')}

## API du tableau de bord (10 clients simultanés)
${results
  .filter((r) => r.api)
  .map((r) => r.api)
  .join('\n\n')}
`;
// The sections of the dedicated benchmarks (exports under load, crashes, bilan, map, stock, flux, secrecy…) follow
// the marker: they are kept as they are, so that this run rewrites its own tables only.
const fichier = new URL('../docs/BENCHMARKS.md', import.meta.url);
const precedent = existsSync(fichier) ? readFileSync(fichier, 'utf8') : '';
const suite = precedent.includes(MARQUEUR_SECTIONS_DEDIEES) ? precedent.slice(precedent.indexOf(MARQUEUR_SECTIONS_DEDIEES)) : `${MARQUEUR_SECTIONS_DEDIEES}\n`;
writeFileSync(fichier, `${doc}\n${suite}`);
console.log(doc);
