import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { MesuresTirage, OptionsTirage, PolitiqueSimulation, TerritoireSimule } from '@mixite/core';
import { RequeteInvalideError, simulerTirages } from '@mixite/core';
import { codeDuFil } from '../fil-de-travail.ts';

/**
 * The Monte-Carlo's runs in worker threads (issue 16). Each thread gets a contiguous share of the run numbers and the
 * run number alone fixes a run's seed (graineDuTirage): the measures are those of one thread, whatever the number
 * of threads. A signal stops the threads (the web page's « Annuler », Ctrl-C).
 */

export interface PartTirages {
  readonly territoire: TerritoireSimule;
  readonly politique: PolitiqueSimulation;
  readonly graine: number;
  readonly debut: number;
  readonly fin: number;
  readonly options: OptionsTirage;
}

export type MessageTirages = { type: 'progres' } | { type: 'fin'; mesures: MesuresTirage[] } | { type: 'echec'; message: string };

export interface OptionsParallele extends OptionsTirage {
  /** Threads (default: the machine's cores, at most 8; 0 = in this thread, for small runs and tests). */
  readonly threads?: number;
  /** Called after each run with the number done. */
  readonly progres?: (faits: number) => void;
  readonly signal?: AbortSignal;
}

export const TIRAGES_MAX = 100_000;

export class SimulationAnnuleeError extends RequeteInvalideError {
  constructor() {
    super('simulation annulée', { code: 'simulation_annulee' });
  }
}

export async function simulerEnParallele(
  territoire: TerritoireSimule, politique: PolitiqueSimulation, graine: number, tirages: number, options: OptionsParallele = {},
): Promise<MesuresTirage[]> {
  if (!Number.isInteger(tirages) || tirages < 1 || tirages > TIRAGES_MAX) {
    throw new RequeteInvalideError(`nombre de tirages invalide « ${tirages} » : un entier de 1 à ${TIRAGES_MAX} est attendu`);
  }
  const { parPerimetre } = options;
  const threads = Math.min(options.threads ?? Math.min(8, availableParallelism()), tirages);
  let faits = 0;
  const compter = () => options.progres?.(++faits);
  if (threads <= 1) {
    const out: MesuresTirage[] = [];
    for (let k = 0; k < tirages; k++) {
      if (options.signal?.aborted) throw new SimulationAnnuleeError();
      out.push(...simulerTirages(territoire, politique, graine, k, k + 1, { parPerimetre }));
      compter();
      // Let the event loop breathe (a server answers other requests, a signal can arrive).
      await new Promise((r) => setImmediate(r));
    }
    return out;
  }
  const parts: PartTirages[] = [];
  for (let t = 0; t < threads; t++) {
    const debut = Math.floor((tirages * t) / threads);
    const fin = Math.floor((tirages * (t + 1)) / threads);
    parts.push({ territoire, politique, graine, debut, fin, options: { parPerimetre } });
  }
  const workers: Worker[] = [];
  const arreter = () => {
    for (const w of workers) void w.terminate();
  };
  try {
    const resultats = await Promise.all(parts.map((part) => new Promise<MesuresTirage[]>((resolve, reject) => {
      if (options.signal?.aborted) {
        reject(new SimulationAnnuleeError());
        return;
      }
      const worker = new Worker(codeDuFil(URL_THREAD), { eval: true, workerData: part });
      workers.push(worker);
      let termine = false;
      const surAnnulation = () => {
        termine = true;
        reject(new SimulationAnnuleeError());
        void worker.terminate();
      };
      options.signal?.addEventListener('abort', surAnnulation, { once: true });
      worker.on('message', (m: MessageTirages) => {
        if (m.type === 'progres') compter();
        else {
          termine = true;
          options.signal?.removeEventListener('abort', surAnnulation);
          if (m.type === 'fin') resolve(m.mesures);
          else reject(new Error(m.message));
        }
      });
      worker.on('error', (error) => {
        termine = true;
        reject(error);
      });
      worker.on('exit', (code) => {
        if (!termine) reject(new Error(`un thread de simulation s’est arrêté (code ${code})`));
      });
    })));
    return resultats.flat();
  } catch (error) {
    arreter();
    throw error;
  }
}

/** The thread registers tsx itself (the CLI registers it programmatically and threads do not inherit that). */
const URL_THREAD = new URL('./tirages-worker.ts', import.meta.url).href;
