import { createInflateRaw } from 'node:zlib';

/**
 * An XLSX file is a zip archive. A zip bomb — a small file that inflates to gigabytes, by a high ratio or by many
 * entries pointing at the same data — would exhaust the server's memory inside the spreadsheet reader. Before the
 * importer opens an XLSX, its entries are inflated here as a stream, output counted and thrown away, and the file is
 * refused once the total passes the limit. Returns a French message for the user, or null when the file is fine.
 */
const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_ENTRIES = 10_000;

export type ProblemeXlsx = { readonly kind: 'illisible' | 'trop_gros'; readonly message: string };

export async function verifierXlsx(bytes: Uint8Array, limite: number): Promise<ProblemeXlsx | null> {
  const message = await examiner(bytes, limite);
  if (message === null) return null;
  return { kind: message === tropGros(limite) || message.startsWith('archive de ') ? 'trop_gros' : 'illisible', message };
}

async function examiner(bytes: Uint8Array, limite: number): Promise<string | null> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = findEocd(buf);
  if (eocd < 0) return 'fichier XLSX illisible (archive zip sans répertoire central)';
  const entries = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (entries === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff) return 'archive zip64 non prise en charge : enregistrez le classeur depuis un tableur';
  if (entries > MAX_ENTRIES) return `archive de ${entries} entrées refusée (${MAX_ENTRIES} au plus)`;
  if (cdOffset + cdSize > buf.length) return 'fichier XLSX illisible (répertoire central hors du fichier)';
  let total = 0;
  let p = cdOffset;
  for (let i = 0; i < entries; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL) return 'fichier XLSX illisible (entrée du répertoire central invalide)';
    const method = buf.readUInt16LE(p + 10);
    const compressed = buf.readUInt32LE(p + 20);
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    p += 46 + nameLength + extraLength + commentLength;
    if (local + 30 > buf.length || buf.readUInt32LE(local) !== LOCAL) return 'fichier XLSX illisible (en-tête local invalide)';
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const end = Math.min(buf.length, start + compressed);
    if (start > buf.length) return 'fichier XLSX illisible (données hors du fichier)';
    const budget = limite - total;
    if (method === 0) {
      total += end - start;
    } else if (method === 8) {
      const size = await inflatedSize(buf.subarray(start, end), budget);
      if (size === 'invalide') return 'fichier XLSX illisible (données compressées invalides)';
      if (size === 'trop') return tropGros(limite);
      total += size;
    } else {
      return `méthode de compression ${method} non prise en charge dans un fichier XLSX`;
    }
    if (total > limite) return tropGros(limite);
  }
  return null;
}

const tropGros = (limite: number) =>
  `le classeur se décompresse au-delà de ${Math.round(limite / (1024 * 1024))} Mo (archive piégée ou classeur trop grand : importez plutôt des CSV)`;

function findEocd(buf: Buffer): number {
  const min = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= min; i--) if (buf.readUInt32LE(i) === EOCD) return i;
  return -1;
}

/** Inflates raw deflate data, counting and discarding the output; stops as soon as it passes the budget. */
function inflatedSize(data: Buffer, budget: number): Promise<number | 'trop' | 'invalide'> {
  return new Promise((resolve) => {
    const inflate = createInflateRaw();
    let total = 0;
    let settled = false;
    const finish = (value: number | 'trop' | 'invalide') => {
      if (settled) return;
      settled = true;
      resolve(value);
    };
    inflate.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > budget) {
        finish('trop');
        inflate.destroy();
      }
    });
    inflate.on('end', () => finish(total));
    inflate.on('error', () => finish(total > budget ? 'trop' : 'invalide'));
    inflate.on('close', () => finish(total > budget ? 'trop' : total));
    inflate.end(data);
  });
}
