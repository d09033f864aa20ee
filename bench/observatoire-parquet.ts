/**
 * The Parquet observatory (issue 18, item 5): every EPCI's targets of a year, computed in one run from a folder of
 * many EPCIs' Parquet files (`indicateursDesEpci`, the engine on views), against a plain-SQL baseline in the same run:
 * the indicators hand-written in plain DuckDB SQL (bench/indicators.ts) over the very same views, EPCI by EPCI.
 *
 * `npx tsx bench/observatoire-parquet.ts [--copies N] [--annee AAAA] [--echelle epci|idf]`
 *
 * The folder is made of N copies of the demo territory at the given scale, each filed under its own SIREN by
 * `exporterParquet` (an EPCI is one store, one territory). The national demo is one store of every EPCI of France:
 * splitting it into per-EPCI stores is not done here, so the national figure is approached by N copies of Grand Paris
 * Sud (450 000 leases a year nationally ≈ 150 copies of its ~3 000; see docs/BENCHMARKS.md for what was measured).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { calculerIndicateurs, configurationCourante } from '@mixite/data';
import { importDataset } from '@mixite/data/import';
import { Observatoire, exporterParquet, indicateursDesEpci } from '@mixite/data/parquet';
import { Store } from '@mixite/data/store';
import type { Echelle } from '@mixite/demo';
import { generateDemo } from '@mixite/demo';
import { plainDemandSql, plainIndicatorsSql, territoryEpci } from './indicators.ts';

const { values } = parseArgs({ options: { copies: { type: 'string', default: '20' }, annee: { type: 'string', default: '2024' }, echelle: { type: 'string', default: 'epci' } } });
const copies = Number(values.copies);
const annee = Number(values.annee);
const echelle = values.echelle as Echelle;
const secondes = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const log = (m: string) => console.error(`[observatoire] ${m}`);

async function chrono<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await work();
  return { ms: performance.now() - start, result };
}

const work = mkdtempSync(join(tmpdir(), 'mixite-bench-observatoire-'));
try {
  const demo = join(work, 'demo');
  await generateDemo({ out: demo, echelle, graine: 1 });
  const store = await Store.open(join(work, 'demo.duckdb'));
  const dossier = join(work, 'observatoire');
  let lignes = 0;
  let magasinMs = 0;
  try {
    await importDataset(store, [demo]);
    // A SIREN per copy, all distinct: 9 digits, the first copy the territory's own.
    const epcis = Array.from({ length: copies }, (_, i) => String(200_000_000 + i * 7919));
    const ecriture = await chrono(async () => {
      for (const epci of epcis) lignes = Object.values((await exporterParquet(store, dossier, { epci })).lignes).reduce((a, b) => a + b, 0);
    });
    log(`${copies} EPCI écrits en Parquet en ${secondes(ecriture.ms)} (${lignes.toLocaleString('fr-FR')} lignes chacun)`);
    // For reference: the engine on the DuckDB store, once (an observer would pay it once per EPCI).
    magasinMs = (await chrono(() => calculerIndicateurs(store, { annee }))).ms;
  } finally {
    store.close();
  }

  let rangs = 0;
  const moteur = await chrono(() =>
    indicateursDesEpci(dossier, annee, ({ resultats }) => {
      rangs += resultats.indicateurs.length;
    }),
  );
  log(`moteur sur Parquet : ${moteur.result.length} EPCI, ${rangs.toLocaleString('fr-FR')} lignes d’objectifs en ${secondes(moteur.ms)}`);

  const observatoire = await Observatoire.ouvrir(dossier);
  const simple = await chrono(async () => {
    for (const epci of observatoire.epcis) {
      await observatoire.selectionner(epci);
      const config = await configurationCourante(observatoire.store);
      const territoire = await territoryEpci(observatoire.store, config);
      await observatoire.store.all(plainIndicatorsSql(config, annee, territoire));
      await observatoire.store.all(plainDemandSql(config, annee, territoire));
    }
  }).finally(() => observatoire.close());
  log(`SQL écrit à la main sur les mêmes vues : ${secondes(simple.ms)}`);
  console.log(
    `| Observatoire Parquet (${echelle} × ${copies} EPCI, ${(lignes * copies).toLocaleString('fr-FR')} lignes, année ${annee}) | ${secondes(moteur.ms)} | SQL simple sur les mêmes fichiers : ${secondes(simple.ms)} ; moteur sur la base DuckDB d’un EPCI : ${secondes(magasinMs)} | \`npx tsx bench/observatoire-parquet.ts --copies ${copies} --echelle ${echelle}\` |`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
