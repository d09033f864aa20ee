/** Worker thread of the Monte-Carlo (parallele.ts): runs a contiguous share of the runs, reports each one done. */
import { parentPort, workerData } from 'node:worker_threads';
import { simulerTirages } from '@mixite/core';
import type { MessageTirages, PartTirages } from './parallele.ts';

const part = workerData as PartTirages;
const envoyer = (m: MessageTirages): void => parentPort!.postMessage(m);
try {
  const mesures = [];
  for (let k = part.debut; k < part.fin; k++) {
    mesures.push(...simulerTirages(part.territoire, part.politique, part.graine, k, k + 1, part.options));
    envoyer({ type: 'progres' });
  }
  envoyer({ type: 'fin', mesures });
} catch (error) {
  envoyer({ type: 'echec', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}
