import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import JSZip from 'jszip';
import type { EntreeZip } from '../flux/zip.ts';

/**
 * The ZIP container of the bilan's workbook and Word document (rendu/docx.ts), written by jszip (the project's zip library) from parts DEFLATE-compressed
 * by Node's own zlib on the libuv thread pool. jszip compresses in JavaScript (pako) on the main thread: at
 * Île-de-France scale (≈ 45 MB of SpreadsheetML) that took about 4,5 s of the main thread, against well under a
 * second for zlib, off the main thread and in parallel. jszip takes the compressed parts as it takes those of an
 * archive it has read (its `CompressedObject`: sizes, CRC-32, method), so it still writes every header itself.
 */

/** jszip's own types for a part already compressed (lib/compressedObject.js, lib/compressions.js; jszip 3 has no typings for them). */
interface Compression {
  readonly magic: string;
}
type ObjetCompresse = new (compresse: number, taille: number, crc32: number, compression: Compression, donnees: Uint8Array) => object;

const require = createRequire(import.meta.url);
const CompressedObject = require('jszip/lib/compressedObject.js') as ObjetCompresse;
const { DEFLATE } = require('jszip/lib/compressions.js') as { DEFLATE: Compression };
// zlib.crc32 is native from Node 20.15; jszip's (JavaScript) for an older Node 20.
const crc32: (donnees: Buffer) => number = typeof zlib.crc32 === 'function' ? (d) => zlib.crc32(d) : (require('jszip/lib/crc32.js') as (d: Buffer) => number);
const deflateRaw = promisify(zlib.deflateRaw);

export async function archiveZipNatif(entrees: readonly EntreeZip[], date: Date): Promise<Buffer> {
  const parties = await Promise.all(
    entrees.map(async (e) => {
      const octets = typeof e.contenu === 'string' ? Buffer.from(e.contenu, 'utf8') : e.contenu;
      // Level 6, as flux/zip.ts: the usual trade-off between size and time. Output chunks of 1 MiB, not zlib's 16 KiB:
      // each chunk is a round trip through the main thread (0,2 s per workbook at Île-de-France scale with 16 KiB).
      const compresse = await deflateRaw(octets, { level: 6, chunkSize: 1 << 20 });
      return { nom: e.nom, objet: new CompressedObject(compresse.length, octets.length, crc32(octets) >>> 0, DEFLATE, compresse) };
    }),
  );
  const zip = new JSZip();
  // Entries keep their order ([Content_Types].xml first, as Office expects) and their UTF-8 names.
  for (const p of parties) zip.file(p.nom, p.objet as unknown as Uint8Array, { binary: true, date, createFolders: false });
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
