import JSZip from 'jszip';

/**
 * The ZIP container of the plain .docx and .xlsx files of the R441-5-1 bilan (word-simple.ts, classeur-simple.ts),
 * written by jszip — the zip library the project already has (docx builds its files with it, the tests read every
 * Office file back with it). Entries keep their order ([Content_Types].xml first, as Office expects) and UTF-8
 * names; DEFLATE at level 6, the usual trade-off between size and time for these few-megabyte documents.
 */

export interface EntreeZip {
  readonly nom: string;
  readonly contenu: string | Buffer;
}

export async function archiveZip(entrees: readonly EntreeZip[], date = new Date()): Promise<Buffer> {
  const zip = new JSZip();
  for (const e of entrees) zip.file(e.nom, e.contenu, { date, createFolders: false });
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 } });
}
