/**
 * Simulation benchmark (issue 16): calibration on the store, then R simulated years of one policy in worker threads,
 * with the peak memory of the process (resident set, sampled) and, as a plain baseline in the same run, the same runs
 * in the main thread alone. Targets: 100 runs of one EPCI year < 30 s on 2 cores; 10 runs of one IDF year < 60 s.
 *
 *   npx tsx bench/simulation.ts --base FICHIER.duckdb --annee 2024 [--politique politiques/pratique-observee.yaml] [--runs 10,50,100] [--threads 2]
 */
import { parseArgs } from 'node:util';
import { Store, calibrerSimulation, lirePolitiqueFichier, simulerEnParallele } from '@mixite/data';

const { values } = parseArgs({
  options: {
    base: { type: 'string' },
    annee: { type: 'string', default: '2024' },
    politique: { type: 'string', default: 'politiques/pratique-observee.yaml' },
    runs: { type: 'string', default: '10,50,100' },
    threads: { type: 'string', default: '2' },
    'sans-reference': { type: 'boolean' },
  },
});
if (!values.base) throw new Error('indiquez la base avec --base FICHIER.duckdb');
const annee = Number(values.annee);
const threads = Number(values.threads);
const politique = lirePolitiqueFichier(values.politique ?? 'politiques/pratique-observee.yaml');

let pic = 0;
const echantillon = setInterval(() => {
  pic = Math.max(pic, process.memoryUsage.rss());
}, 50);
const mo = (octets: number) => `${Math.round(octets / 1024 / 1024)} Mo`;

const store = await Store.open(values.base);
try {
  let t = performance.now();
  const calibration = await calibrerSimulation(store, { annee, grille: politique.grille });
  const { territoire } = calibration;
  console.log(
    `calibration ${annee} (${calibration.annees.join(', ')}) : ${((performance.now() - t) / 1000).toFixed(1)} s — ` +
      `${territoire.stock.length} demandes au 1er janvier, ${Math.round(territoire.vacances.parAn)} logements libérés et ` +
      `${Math.round(territoire.arrivees.parAn)} dépôts par an ; RSS ${mo(process.memoryUsage.rss())}`,
  );
  for (const runs of (values.runs ?? '100').split(',').map(Number)) {
    pic = process.memoryUsage.rss();
    t = performance.now();
    await simulerEnParallele(territoire, politique.politique, 1, runs, { threads });
    const ms = performance.now() - t;
    console.log(`${runs} tirages, ${threads} threads : ${(ms / 1000).toFixed(1)} s (${(ms / runs).toFixed(0)} ms par tirage) ; pic RSS du processus ${mo(pic)} (threads compris)`);
  }
  if (!values['sans-reference']) {
    // Baseline: the same engine in the main thread, 10 runs.
    t = performance.now();
    await simulerEnParallele(territoire, politique.politique, 1, 10, { threads: 0 });
    const ms = performance.now() - t;
    console.log(`référence : 10 tirages dans le thread principal : ${(ms / 1000).toFixed(1)} s (${(ms / 10).toFixed(0)} ms par tirage)`);
  }
} finally {
  clearInterval(echantillon);
  store.close();
}
