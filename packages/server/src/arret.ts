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
  }
  // Alone on the store: no query runs while the head is anchored and the connection closed.
  let fermee = false;
  const seul = mixite.deps.lock.alone(async () => {
    await mixite.deps.audit.ancrerArret();
    mixite.close();
    store.close();
    fermee = true;
  });
  if (!(await avantDelai(seul, delaiMs / 2))) {
    // A query still holds the store (a request cut above, a background job): interrupted, it ends at once.
    try {
      store.connection.interrupt();
    } catch {
      // Nothing running: nothing to interrupt.
    }
    await avantDelai(seul, delaiMs / 2);
  }
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

/**
 * SIGTERM (systemd, docker) and SIGINT (Ctrl+C): stop taking requests, let those in flight end, close the store,
 * exit — within twice `delaiMs` in any case: `close` cuts what is still running after `delaiMs`, and the watchdog
 * thread kills the process if the database blocks the main thread.
 */
export function arreterSurSignal(running: { close(): Promise<void> }, delaiMs: number): void {
  let arret = false;
  const stop = (signal: NodeJS.Signals) => {
    if (arret) return;
    arret = true;
    console.log(`${signal} reçu : arrêt de Mixité (au plus ${Math.ceil((delaiMs * 2 + 1_000) / 1000)} s)…`);
    gardienDeSortie(delaiMs * 2 + 1_000);
    running.close().then(
      () => {
        console.log('Mixité est arrêté.');
        process.exit(0);
      },
      (error: unknown) => {
        console.error(`Arrêt incomplet (${(error as Error).name}) : la base sera remise en état au prochain démarrage.`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
