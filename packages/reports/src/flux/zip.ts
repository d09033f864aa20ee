import zlib from 'node:zlib';

/**
 * A ZIP archive (PKWARE APPNOTE 6.3, the container of .docx and .xlsx files) written in one pass with Node's native
 * deflate. Why not jszip, which the tests use to read these files back? Its deflate is pako, in JavaScript: for the
 * R441-5-1 bilan of every bailleur of a region (351 files) it was a quarter of the files' time (bench/flux.ts);
 * Node's zlib does the same compression natively. Entries are stored with UTF-8 names (flag bit 11), no ZIP64
 * (an entry or archive of 4 GiB or more is refused: these documents are a few megabytes).
 */

export interface EntreeZip {
  readonly nom: string;
  readonly contenu: string | Buffer;
}

const TABLE_CRC = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (ISO 3309) of the bytes: Node's (20.15 and later), else a table in JavaScript. */
export function crc32(octets: Buffer): number {
  const natif = (zlib as { crc32?: (b: Buffer) => number }).crc32;
  if (natif) return natif(octets) >>> 0;
  let c = 0xffffffff;
  for (const o of octets) c = (TABLE_CRC[(c ^ o) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** MS-DOS date and time of the entries (local time, two-second resolution). */
function dateDos(d: Date): { date: number; heure: number } {
  const annee = Math.max(1980, d.getFullYear());
  return {
    date: ((annee - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
    heure: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
  };
}

const LIMITE = 0xffffffff;

export function archiveZip(entrees: readonly EntreeZip[], date = new Date()): Buffer {
  const { date: jour, heure } = dateDos(date);
  const morceaux: Buffer[] = [];
  const central: Buffer[] = [];
  let position = 0;
  for (const e of entrees) {
    const nom = Buffer.from(e.nom, 'utf8');
    const brut = typeof e.contenu === 'string' ? Buffer.from(e.contenu, 'utf8') : e.contenu;
    const comprime = zlib.deflateRawSync(brut, { level: 6 });
    if (brut.length >= LIMITE || position + comprime.length >= LIMITE) throw new Error(`archive ZIP : « ${e.nom} » dépasse 4 Gio (ZIP64 non pris en charge)`);
    const crc = crc32(brut);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(heure, 10);
    local.writeUInt16LE(jour, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(comprime.length, 18);
    local.writeUInt32LE(brut.length, 22);
    local.writeUInt16LE(nom.length, 26);
    local.writeUInt16LE(0, 28);
    const entete = Buffer.alloc(46);
    entete.writeUInt32LE(0x02014b50, 0);
    entete.writeUInt16LE(20, 4); // made by: 2.0, MS-DOS attributes
    entete.writeUInt16LE(20, 6);
    entete.writeUInt16LE(0x0800, 8);
    entete.writeUInt16LE(8, 10);
    entete.writeUInt16LE(heure, 12);
    entete.writeUInt16LE(jour, 14);
    entete.writeUInt32LE(crc, 16);
    entete.writeUInt32LE(comprime.length, 20);
    entete.writeUInt32LE(brut.length, 24);
    entete.writeUInt16LE(nom.length, 28);
    // extra field, comment, disk number, internal and external attributes: 0.
    entete.writeUInt32LE(position, 42);
    morceaux.push(local, nom, comprime);
    central.push(entete, nom);
    position += local.length + nom.length + comprime.length;
  }
  const tailleCentral = central.reduce((s, b) => s + b.length, 0);
  const fin = Buffer.alloc(22);
  fin.writeUInt32LE(0x06054b50, 0);
  fin.writeUInt16LE(entrees.length, 8);
  fin.writeUInt16LE(entrees.length, 10);
  fin.writeUInt32LE(tailleCentral, 12);
  fin.writeUInt32LE(position, 16);
  return Buffer.concat([...morceaux, ...central, fin]);
}
