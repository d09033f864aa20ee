/** Worker thread: generates a contiguous range of EPCIs into part files (see shards.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { executerTranche, type MessageTranche, type Tranche } from './shards.js';

const tranche = workerData as Tranche;
const envoyer = (m: MessageTranche): void => parentPort!.postMessage(m);
try {
  const lignes = await executerTranche(tranche, (poids) => envoyer({ type: 'progres', poids }));
  envoyer({ type: 'fin', lignes });
} catch (error) {
  envoyer({ type: 'echec', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}
