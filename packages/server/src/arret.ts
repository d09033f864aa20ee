import { Worker } from 'node:worker_threads';
import type { ServerType } from '@hono/node-server';
import type { Store } from '@mixite/data';
import type { MixiteApp } from './app.ts';

/** Default time given to the requests in flight at shutdown (MIXITE_ARRET_DELAI_S). */
export const DELAI_ARRET_MS = 10_000;

/** Whether `work` settled within `ms` (its outcome is not needed: a shutdown goes on either way). */
function avantDelai(work: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    work.then(
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      () => {
        clearTimeout(timer);
        resolve(true);
      },
    );
  });
}

/**
 * Stops a running server in an order that always ends:
 * 1. no new connection, idle keep-alive connections closed at once;
 * 2. the requests in flight get `delaiMs`; past it their connections are cut and the query running on the store is
 *    interrupted (DuckDB rolls back an open transaction, the last committed state stays);
 * 3. the head of the audit log is anchored and the store closed — but only once no query runs on it: closing a
 *    DuckDB connection under a running query can block the main thread for good, so after a second delay the store
 *    is left to DuckDB's recovery (its write-ahead log) at the next start rather than closed.
 */
export async function fermer(options: { server: ServerType; store: Store; mixite: MixiteApp; delaiMs: number; log: (message: string) => void }): Promise<void> {
  const { server, store, mixite, delaiMs, log } = options;
  const http = server as ServerType & { closeIdleConnections?: () => void; closeAllConnections?: () => void };
  const ferme = new Promise<void>((done) => server.close(() => done()));
  http.closeIdleConnections?.();
  if (!(await avantDelai(ferme, delaiMs))) {
    log(`Arrêt : des requêtes étaient encore en cours après ${Math.round(delaiMs / 1000)} s ; elles sont interrompues.`);
    http.closeAllConnections?.();
    try {
      store.connection.interrupt();
    } catch {
      // Nothing running: nothing to interrupt.
    }
  }
  await avantDelai(mixite.deps.audit.pointDeControle('arret'), delaiMs / 2);
  const fermee = await avantDelai(
    mixite.deps.lock.alone(async () => {
      mixite.close();
      store.close();
    }),
    delaiMs / 2,
  );
  if (!fermee) log('Arrêt : la base est encore occupée ; elle n’est pas fermée ici, DuckDB la remettra en état au prochain démarrage.');
}

/**
 * The last resort of a shutdown: a thread of its own kills the process after `ms`, even if the main thread is
 * blocked in the database's native code (where no timer of the main thread would ever fire, and where even
 * `process.exit` can wait forever on the database's threads).
 */
export function gardienDeSortie(ms: number): void {
  const code = `
    const { workerData } = require('node:worker_threads');
    const { writeSync } = require('node:fs');
    setTimeout(() => {
      try { writeSync(2, 'Arrêt forcé : Mixité ne s’est pas arrêté dans le délai (' + Math.round(workerData.ms / 1000) + ' s).\\n'); } catch {}
      process.kill(workerData.pid, 'SIGKILL');
    }, workerData.ms);
  `;
  const gardien = new Worker(code, { eval: true, workerData: { pid: process.pid, ms } });
  gardien.unref();
}
