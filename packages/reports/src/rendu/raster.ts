import { Worker } from 'node:worker_threads';
import type * as Resvg from '@resvg/resvg-js';
import { FOND_DOCUMENT } from '@mixite/graphiques';
import { OutilAbsentError } from '@mixite/core';
import type { Graphique } from '../contenu/modele.ts';
import { POLICE, avecPoliceEmbarquee, fichiersPolice } from './polices.ts';

/**
 * The charts as PNG for Word, drawn by resvg (a Rust SVG renderer shipped by npm with its native binary) in a worker
 * thread: no browser, no system font (the shipped face only), the event loop stays free.
 */

/** Loaded on first use: a platform npm has no binary for fails here with a French message, not at start-up. */
export async function chargerNatif<T>(module: string, charger: () => Promise<T>): Promise<T> {
  try {
    return await charger();
  } catch (cause) {
    throw new OutilAbsentError(`${module} n’a pas de binaire pour cette machine (${process.platform}-${process.arch}) : relancez « npm install » sur elle`, {
      code: 'rendu_absent',
      cause,
    });
  }
}

type Reponse = { readonly pngs: readonly Uint8Array[] } | { readonly erreur: string };

/**
 * Each chart at twice its size (sharp when Word prints it at its size), on the document's background: drawn and
 * encoded in a worker thread (raster-worker.mjs), so that the main thread writes the workbook and Word meanwhile.
 */
export async function rasteriser(graphiques: readonly Graphique[]): Promise<Buffer[]> {
  if (graphiques.length === 0) return [];
  // Loaded here first, so that a platform without the binary fails with the French message, not inside the worker.
  await chargerNatif<typeof Resvg>('@resvg/resvg-js', () => import('@resvg/resvg-js'));
  const font = { fontFiles: fichiersPolice(), loadSystemFonts: false, defaultFontFamily: POLICE, sansSerifFamily: POLICE };
  const donnees = { svgs: graphiques.map((g) => avecPoliceEmbarquee(g.svg)), options: { fitTo: { mode: 'zoom', value: 2 }, background: FOND_DOCUMENT, font } };
  const reponse = await new Promise<Reponse>((resolve, reject) => {
    const worker = new Worker(new URL('./raster-worker.mjs', import.meta.url), { workerData: donnees });
    worker.once('message', (m: Reponse) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`le dessin des graphiques s’est arrêté (code ${code})`)));
  });
  if ('erreur' in reponse) throw new Error(`les graphiques du bilan n’ont pas pu être dessinés : ${reponse.erreur}`);
  return reponse.pngs.map((png) => Buffer.from(png.buffer, png.byteOffset, png.byteLength));
}
