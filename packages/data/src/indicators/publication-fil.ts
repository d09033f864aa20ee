/** Worker thread of `publierLesAnneesHorsDuFil` (publication.ts): one secrecy pass, its rows posted back. */
import { parentPort, workerData } from 'node:worker_threads';
import type { FinDuFil } from '../fil-de-travail.ts';
import type { DonneesPublication } from './publication.ts';
import { publierLesAnnees } from './publication.ts';

const { resultats, edition, seuil } = workerData as DonneesPublication;
let message: FinDuFil<ReturnType<typeof publierLesAnnees>>;
try {
  message = { type: 'fin', resultat: publierLesAnnees(resultats, edition, seuil) };
} catch (error) {
  message = { type: 'echec', message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
}
parentPort!.postMessage(message);
