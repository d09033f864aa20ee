import type * as Resvg from '@resvg/resvg-js';
import { FOND_DOCUMENT } from '@mixite/graphiques';
import { OutilAbsentError } from '@mixite/core';
import type { Graphique } from '../contenu/modele.ts';
import { POLICE, avecPoliceEmbarquee, fichiersPolice } from './polices.ts';

/**
 * The charts as PNG for Word, drawn by resvg (a Rust SVG renderer shipped by npm with its native binary) on the
 * libuv thread pool: no browser, no system font (the shipped face only), the event loop stays free.
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

/** Each chart at twice its size (sharp when Word prints it at its size), on the document's background. */
export async function rasteriser(graphiques: readonly Graphique[]): Promise<Buffer[]> {
  if (graphiques.length === 0) return [];
  const { renderAsync } = await chargerNatif<typeof Resvg>('@resvg/resvg-js', () => import('@resvg/resvg-js'));
  const font = { fontFiles: fichiersPolice(), loadSystemFonts: false, defaultFontFamily: POLICE, sansSerifFamily: POLICE };
  return Promise.all(
    graphiques.map(async (g) => (await renderAsync(avecPoliceEmbarquee(g.svg), { fitTo: { mode: 'zoom', value: 2 }, background: FOND_DOCUMENT, font })).asPng()),
  );
}
