// Typst's compilation, in a worker thread: it is synchronous native code, and on the main thread it would stop the
// server answering (and keep Word from being written beside it) for the whole layout. Plain JavaScript, so the worker
// starts the same way under tsx, vitest or compiled code. Input and output: see rendu/pdf.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { NodeCompiler, PdfStandard } from '@myriaddreamin/typst-ts-node-compiler';

const { racine, source, fichiers, polices, creation } = workerData;
try {
  const compilateur = NodeCompiler.create({ workspace: racine, fontArgs: [{ fontBlobs: polices.map((p) => Buffer.from(p)) }] });
  for (const [chemin, svg] of fichiers) compilateur.mapShadow(`${racine}${chemin}`, Buffer.from(svg));
  const resultat = compilateur.compile({ mainFileContent: source });
  const document = resultat.result;
  if (!document) {
    parentPort.postMessage({ erreur: JSON.stringify(resultat.takeError()?.shortDiagnostics ?? null) });
  } else {
    // PDF/UA-1: Typst checks its rules at export and refuses a document that breaks one.
    const pdf = compilateur.pdf(document, { creationTimestamp: creation, pdfStandard: PdfStandard.UA_1 });
    const octets = new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
    parentPort.postMessage({ pdf: octets });
  }
} catch (error) {
  parentPort.postMessage({ erreur: error instanceof Error ? error.message : String(error) });
}
