import { Worker } from 'node:worker_threads';
import type { DocumentBilan } from '../contenu/modele.ts';
import { policesEnMemoire } from './polices.ts';
import { chargerNatif } from './raster.ts';
import { RACINE_TYPST, ecrireTypst } from './typst.ts';

/**
 * The bilan's PDF, typeset by Typst's Node compiler (an npm package with its prebuilt native binary): no browser,
 * no system font. Typst writes a tagged PDF/UA-1 (structure tree, headings, table headers, figures with their
 * alternative text, /Lang fr-FR, the title shown in the window). The compilation runs in a worker thread
 * (typst-worker.mjs): the event loop stays free, and Word is written beside it. Decision record: docs/decisions/0006.
 */

/** Thrown when Typst refuses the generated source: a fault of this renderer, never of the user's data. */
export class SourceTypstInvalideError extends Error {
  constructor(readonly diagnostics: string) {
    super(`le bilan n’a pas pu être mis en page (Typst) : ${diagnostics}`);
    this.name = 'SourceTypstInvalideError';
  }
}

type Reponse = { readonly pdf: Uint8Array } | { readonly erreur: string };

export async function imprimerPdf(doc: DocumentBilan, piedDePage: string, date: Date): Promise<Buffer> {
  const { source, fichiers } = ecrireTypst(doc, piedDePage);
  return compilerTypst(RACINE_TYPST, source, [...fichiers], date);
}

/**
 * A Typst source (and the files it reads) as a PDF, in a worker with the shipped fonts: the bilan's and the
 * applicant letter's one way to PDF. One compiler per document (in its worker): its memory goes with it, and two
 * documents never share state. The creation date is the document's: same data and date, same file.
 */
export async function compilerTypst(racine: string, source: string, fichiers: readonly unknown[], date: Date): Promise<Buffer> {
  // Loaded here first, so that a platform without the binary fails with the French message, not inside the worker.
  await chargerNatif('@myriaddreamin/typst-ts-node-compiler', () => import('@myriaddreamin/typst-ts-node-compiler'));
  const donnees = { racine, source, fichiers: [...fichiers], polices: policesEnMemoire(), creation: Math.floor(date.getTime() / 1000) };
  const reponse = await new Promise<Reponse>((resolve, reject) => {
    const worker = new Worker(new URL('./typst-worker.mjs', import.meta.url), { workerData: donnees });
    worker.once('message', (m: Reponse) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`le processus de mise en page s’est arrêté (code ${code})`)));
  });
  if ('erreur' in reponse) throw new SourceTypstInvalideError(reponse.erreur);
  return Buffer.from(reponse.pdf.buffer, reponse.pdf.byteOffset, reponse.pdf.byteLength);
}
