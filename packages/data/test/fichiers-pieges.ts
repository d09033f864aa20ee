import { crc32, deflateRawSync } from 'node:zlib';

/**
 * The red team's denial-of-service files, built byte by byte: a workbook of 1.5 KB whose only cell is XFD1048576
 * (the last column and row: 17 billion cells for a reader that fills the extent), variants that lie about their
 * dimension or hide the extent in a merged range, and a CSV whose header has 1 000 000 columns.
 */

/**
 * A deflated zip archive of these entries. With `repeat` > 1, each entry is listed that many times in the central
 * directory, every listing pointing at the same data (overlapping entries: a zip bomb built from one small file).
 */
export function zip(entries: readonly { name: string; data: string | Buffer }[], repeat = 1): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const data = Buffer.isBuffer(entry.data) ? entry.data : Buffer.from(entry.data, 'utf8');
    const compressed = deflateRawSync(data, { level: 9 });
    const name = Buffer.from(entry.name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    for (let r = 0; r < repeat; r++) {
      const listed = r === 0 ? name : Buffer.from(`${entry.name}.${r}`);
      const cd = Buffer.alloc(46);
      cd.writeUInt32LE(0x02014b50, 0);
      cd.writeUInt16LE(20, 4);
      cd.writeUInt16LE(20, 6);
      cd.writeUInt16LE(8, 10);
      cd.writeUInt32LE(crc, 16);
      cd.writeUInt32LE(compressed.length, 20);
      cd.writeUInt32LE(data.length, 24);
      cd.writeUInt16LE(listed.length, 28);
      cd.writeUInt32LE(offset, 42);
      central.push(cd, listed);
    }
    parts.push(local, name, compressed);
    offset += local.length + name.length + compressed.length;
  }
  const cdBuffer = Buffer.concat(central);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length * repeat, 8);
  eocd.writeUInt16LE(entries.length * repeat, 10);
  eocd.writeUInt32LE(cdBuffer.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cdBuffer, eocd]);
}

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** A minimal valid workbook with one sheet named `Feuil1` whose XML body (inside `<worksheet>`) is given. */
export function classeur(corpsFeuille: string): Buffer {
  return zip([
    {
      name: '[Content_Types].xml',
      data:
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    },
    {
      name: '_rels/.rels',
      data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    },
    {
      name: 'xl/workbook.xml',
      data: `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${NS}" xmlns:r="${REL}"><sheets><sheet name="Feuil1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    },
    { name: 'xl/worksheets/sheet1.xml', data: `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${NS}">${corpsFeuille}</worksheet>` },
  ]);
}

const DERNIERE_CELLULE = '<sheetData><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>';

/** The red team's file: one cell at XFD1048576, its dimension saying so. */
export const classeurCreux = () => classeur(`<dimension ref="A1:XFD1048576"/>${DERNIERE_CELLULE}`);
/** The same cell under a dimension that lies (A1): only the real extent gives it away. */
export const classeurMenteur = () => classeur(`<dimension ref="A1"/>${DERNIERE_CELLULE}`);
/** One cell and a merged range over the whole sheet (the reader creates every cell of a merged range). */
export const classeurFusion = () =>
  classeur('<dimension ref="A1"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row></sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>');

/** A CSV of 1 000 000 columns (header and one row): some 8.9 Mo. */
export function csvLarge(colonnes = 1_000_000): Buffer {
  const header = Array.from({ length: colonnes }, (_, i) => `c${i}`).join(';');
  return Buffer.from(`${header}\n${';'.repeat(colonnes - 1)}\n`, 'utf8');
}

/** A well-formed seuils.csv header over a data row of 1 000 000 fields (some 2 Mo): the header check alone misses it. */
export function csvLigneLarge(champs = 1_000_000): Buffer {
  return Buffer.from(`annee;code_epci;seuil_q1;source\n2024;;11379;arrêté\n2025;;12000;${'x;'.repeat(champs - 3)}x\n`, 'utf8');
}
