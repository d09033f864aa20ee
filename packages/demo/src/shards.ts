/**
 * Parallel generation. EPCIs are cut into contiguous ranges (tranches); the first is written
 * straight into the dataset files, the others into part files by worker threads (or in-process
 * when a worker cannot start), then appended in order. Since each EPCI's rows depend only on the
 * seed and its identifier offsets, the files are the same whatever the number of threads.
 */
import { readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CsvWriter } from './csv-writer.js';
import { FICHIERS_EPCI, genererEpci, type EcrivainsEpci, type FichierEpci } from './epci-generator.js';
import { Compteurs, bornes } from './ids.js';
import type { EpciPlan } from './model.js';

export interface Tranche {
  readonly plans: readonly EpciPlan[];
  readonly debuts: readonly Compteurs[];
  readonly poids: readonly number[];
  readonly graine: number;
  /** Folder of the part files. */
  readonly dossier: string;
}

export type MessageTranche =
  | { type: 'progres'; poids: number }
  | { type: 'fin'; lignes: Record<FichierEpci, number> }
  | { type: 'echec'; message: string };

/** Below this many expected rows, threads cost more than they save. */
const LIGNES_MIN_PARALLELE = 400_000;

/** Expected weight of an EPCI's rows, to balance the tranches and report progress. */
export function poidsEpci(plan: EpciPlan): number {
  return plan.logements + 2 * plan.demandesActives + 10 * (plan.bauxParAn[2024] ?? 0);
}

export async function executerTranche(t: Tranche, progres: (poids: number) => void): Promise<Record<FichierEpci, number>> {
  await mkdir(t.dossier, { recursive: true });
  const writers = Object.fromEntries(FICHIERS_EPCI.map((f) => [f, CsvWriter.open(t.dossier, `${f}.csv`, null)])) as EcrivainsEpci;
  try {
    for (const [k, plan] of t.plans.entries()) {
      await genererEpci(plan, t.graine, t.debuts[k]!, writers);
      progres(t.poids[k]!);
    }
  } finally {
    await Promise.all(FICHIERS_EPCI.map((f) => writers[f].close()));
  }
  return Object.fromEntries(FICHIERS_EPCI.map((f) => [f, writers[f].rows])) as Record<FichierEpci, number>;
}

/**
 * Runs a tranche in a worker thread. The worker registers tsx itself, because the CLI registers it
 * programmatically and threads do not inherit that.
 */
function executerDansUnThread(t: Tranche, progres: (poids: number) => void): Promise<Record<FichierEpci, number>> {
  const code =
    `import(${JSON.stringify(urlApiTsx())}).then(({ register }) => { register(); return import(${JSON.stringify(URL_THREAD)}); })` +
    `.catch((e) => require('node:worker_threads').parentPort.postMessage({ type: 'echec', message: String((e && e.stack) || e) }));`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData: t });
    let termine = false;
    worker.on('message', (m: MessageTranche) => {
      if (m.type === 'progres') progres(m.poids);
      else if (m.type === 'fin') {
        termine = true;
        resolve(m.lignes);
      } else {
        termine = true;
        reject(new Error(m.message));
      }
    });
    worker.on('error', (error) => {
      termine = true;
      reject(error);
    });
    worker.on('exit', (code) => {
      if (!termine) reject(new Error(`le thread de génération s'est arrêté (code ${code})`));
    });
  });
}

const URL_THREAD = new URL('./shard-worker.ts', import.meta.url).href;

/** URL of tsx's ESM registration API, read from its package exports. */
function urlApiTsx(): string {
  const require = createRequire(import.meta.url);
  const manifeste = require.resolve('tsx/package.json');
  const paquet = JSON.parse(readFileSync(manifeste, 'utf8')) as { exports?: Record<string, { import?: { default?: string } }> };
  const chemin = paquet.exports?.['./esm/api']?.import?.default ?? './dist/esm/api/index.mjs';
  return pathToFileURL(join(dirname(manifeste), chemin)).href;
}

/** Cuts the EPCIs into at most `n` contiguous ranges of similar weight. */
function decouper(poids: readonly number[], n: number): number[][] {
  const total = poids.reduce((a, b) => a + b, 0);
  const tranches: number[][] = [[]];
  let cumul = 0;
  for (const [k, p] of poids.entries()) {
    const courante = tranches[tranches.length - 1]!;
    if (courante.length > 0 && cumul >= (total * tranches.length) / n && tranches.length < n) tranches.push([k]);
    else courante.push(k);
    cumul += p;
  }
  return tranches;
}

export interface OptionsParallele {
  /** Threads used, main thread included (default: the machine's cores, at most 4). */
  threads?: number;
  progres: (poids: number) => void;
}

/** Generates every EPCI of `plans` into `writers` (already opened with their headers). */
export async function genererEpcis(
  plans: readonly EpciPlan[], graine: number, dossier: string, writers: EcrivainsEpci, options: OptionsParallele,
): Promise<void> {
  const debuts: Compteurs[] = [];
  let cumul = new Compteurs();
  for (const plan of plans) {
    debuts.push(cumul);
    const b = bornes(plan);
    cumul = Compteurs.depuis({
      residence: cumul.residence + b.residence,
      logement: cumul.logement + b.logement,
      attribution: cumul.attribution + b.attribution,
      demande: cumul.demande + b.demande,
    });
  }
  const poids = plans.map(poidsEpci);
  const totalPoids = poids.reduce((a, b) => a + b, 0);
  const threads = Math.max(1, options.threads ?? (totalPoids < LIGNES_MIN_PARALLELE ? 1 : Math.min(4, availableParallelism())));
  // More ranges than threads, so that a thread finishing early takes another one.
  const morceaux = decouper(poids, threads === 1 ? 1 : 3 * threads);
  const tranche = (k: number): Tranche => ({
    plans: morceaux[k]!.map((i) => plans[i]!),
    debuts: morceaux[k]!.map((i) => debuts[i]!),
    poids: morceaux[k]!.map((i) => poids[i]!),
    graine,
    dossier: join(dossier, `.mixite-tranche-${k}`),
  });

  const resultats = new Map<number, Record<FichierEpci, number>>();
  let suivante = 1;
  const prendre = (): number | undefined => (suivante < morceaux.length ? suivante++ : undefined);
  const executer = async (k: number, enThread: boolean): Promise<void> => {
    if (enThread) {
      let fait = 0;
      try {
        resultats.set(k, await executerDansUnThread(tranche(k), (p) => {
          fait += p;
          options.progres(p);
        }));
        return;
      } catch {
        // A thread that cannot start (or dies) is replaced by the main thread: same files, more time.
        options.progres(-fait);
      }
    }
    resultats.set(k, await executerTranche(tranche(k), options.progres));
  };
  const boucleThread = async (): Promise<void> => {
    for (let k = prendre(); k !== undefined; k = prendre()) await executer(k, true);
  };
  const threadsSecondaires = Array.from({ length: threads - 1 }, boucleThread);
  // The main thread writes the first range straight into the dataset files, then helps with the rest.
  const premiere = tranche(0);
  for (const [k, plan] of premiere.plans.entries()) {
    await genererEpci(plan, graine, premiere.debuts[k]!, writers);
    options.progres(premiere.poids[k]!);
  }
  for (let k = prendre(); k !== undefined; k = prendre()) await executer(k, false);
  await Promise.all(threadsSecondaires);

  for (let k = 1; k < morceaux.length; k++) {
    const lignes = resultats.get(k)!;
    const dossierTranche = join(dossier, `.mixite-tranche-${k}`);
    for (const f of FICHIERS_EPCI) await writers[f].appendFile(join(dossierTranche, `${f}.csv`), lignes[f]);
    await rm(dossierTranche, { recursive: true, force: true });
  }
}
