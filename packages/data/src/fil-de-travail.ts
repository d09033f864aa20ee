import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Long pure computations (the secrecy pass over several years, the Monte-Carlo) run in a worker thread, so that the
 * server keeps answering everybody else meanwhile. The thread runs a module of this repository from its TypeScript
 * sources (tsx registered in the thread, as in the main thread) or from the compiled JavaScript (decision 0008: the
 * compiler rewrites `new URL('./x.ts', import.meta.url)` to `.js`, and tsx also loads plain JavaScript).
 */

/** A thread's last message: its result, or why it failed (a failure to load the module included). */
export type FinDuFil<R> = { readonly type: 'fin'; readonly resultat: R } | { readonly type: 'echec'; readonly message: string };

/** Code for `new Worker(code, { eval: true })` that loads the module at `urlModule` in the thread. */
export function codeDuFil(urlModule: string): string {
  return (
    `import(${JSON.stringify(urlApiTsx())}).then(({ register }) => { register(); return import(${JSON.stringify(urlModule)}); })` +
    `.catch((e) => require('node:worker_threads').parentPort.postMessage({ type: 'echec', message: String((e && e.stack) || e) }));`
  );
}

/**
 * Runs the module at `urlModule` in a new thread with `donnees` as its `workerData`, and resolves with the `resultat`
 * of the one `{ type: 'fin' }` message it posts (structured clone: plain data, Map, Set, BigInt).
 */
export function executerDansUnFil<R>(urlModule: string, donnees: unknown): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const fil = new Worker(codeDuFil(urlModule), { eval: true, workerData: donnees });
    let fini = false;
    fil.on('message', (m: FinDuFil<R>) => {
      fini = true;
      if (m.type === 'fin') resolve(m.resultat);
      else reject(new Error(m.message));
      void fil.terminate();
    });
    fil.on('error', (error) => {
      fini = true;
      reject(error);
    });
    fil.on('exit', (code) => {
      if (!fini) reject(new Error(`un fil de calcul s’est arrêté sans résultat (code ${code})`));
    });
  });
}

function urlApiTsx(): string {
  const require = createRequire(import.meta.url);
  const manifeste = require.resolve('tsx/package.json');
  const paquet = JSON.parse(readFileSync(manifeste, 'utf8')) as { exports?: Record<string, { import?: { default?: string } }> };
  const chemin = paquet.exports?.['./esm/api']?.import?.default ?? './dist/esm/api/index.mjs';
  return pathToFileURL(join(dirname(manifeste), chemin)).href;
}
