import type * as Typst from '@myriaddreamin/typst-ts-node-compiler';
import type { DocumentBilan } from '../contenu/modele.ts';
import { policesEnMemoire } from './polices.ts';
import { chargerNatif } from './raster.ts';
import { RACINE_TYPST, ecrireTypst } from './typst.ts';

/**
 * The bilan's PDF, typeset by Typst's Node compiler (an npm package with its prebuilt native binary): no browser,
 * no system font. Typst writes a tagged PDF/UA-1 (structure tree, headings, table headers, figures with their
 * alternative text, /Lang fr-FR, the title shown in the window). Decision record: docs/decisions/0006.
 */


/** Thrown when Typst refuses the generated source: a fault of this renderer, never of the user's data. */
export class SourceTypstInvalideError extends Error {
  constructor(readonly diagnostics: unknown) {
    super(`le bilan n’a pas pu être mis en page (Typst) : ${JSON.stringify(diagnostics)}`);
    this.name = 'SourceTypstInvalideError';
  }
}

export async function imprimerPdf(doc: DocumentBilan, piedDePage: string, date: Date): Promise<Buffer> {
  const { NodeCompiler, PdfStandard } = await chargerNatif<typeof Typst>('@myriaddreamin/typst-ts-node-compiler', () => import('@myriaddreamin/typst-ts-node-compiler'));
  const { source, fichiers } = ecrireTypst(doc, piedDePage);
  // One compiler per bilan: its memory (fonts aside, a few MB) goes with it, and two bilans never share state.
  const compilateur = NodeCompiler.create({ workspace: RACINE_TYPST, fontArgs: [{ fontBlobs: policesEnMemoire() }] });
  for (const [chemin, svg] of fichiers) compilateur.mapShadow(`${RACINE_TYPST}${chemin}`, Buffer.from(svg));
  const resultat = compilateur.compile({ mainFileContent: source });
  const document = resultat.result;
  if (!document) throw new SourceTypstInvalideError(resultat.takeError()?.shortDiagnostics);
  // PDF/UA-1: Typst checks its rules at export (a heading, a title, an alternative text on every image…) and refuses
  // a document that breaks one. The creation date is the bilan's production date: same data and date, same file.
  try {
    return compilateur.pdf(document, { creationTimestamp: Math.floor(date.getTime() / 1000), pdfStandard: PdfStandard.UA_1 });
  } catch (error) {
    throw new SourceTypstInvalideError(error instanceof Error ? error.message : error);
  }
}
