import { inflateRawSync } from 'node:zlib';
import { Packer } from 'docx';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { archiveZipNatif } from '../src/rendu/zip-natif.ts';

/** The workbook's archive (rendu/zip-natif.ts): parts compressed by Node's zlib, the archive written by jszip. */
describe('zip with native compression', () => {
  it('writes an archive jszip reads back with its checksums, entries in order, UTF-8 names and contents intact', async () => {
    const contenu = 'Réservataire « État » — 12 logements\n'.repeat(1000);
    const octets = Buffer.from([0, 1, 2, 250, 255]);
    const archive = await archiveZipNatif(
      [
        { nom: '[Content_Types].xml', contenu: '<a/>' },
        { nom: 'dossier/é.txt', contenu },
        { nom: 'octets.bin', contenu: octets },
        { nom: 'vide', contenu: '' },
      ],
      new Date('2025-02-15T10:00:00Z'),
    );
    // The first local header (PK\x03\x04) is the content types part, deflated (method 8), as Office expects.
    expect(archive.readUInt32LE(0)).toBe(0x04034b50);
    expect(archive.readUInt16LE(8)).toBe(8);
    const tailleNom = archive.readUInt16LE(26);
    expect(archive.subarray(30, 30 + tailleNom).toString()).toBe('[Content_Types].xml');
    // Its data inflated by Node directly from the local header (30 bytes + name), its size as the header says.
    const comprime = archive.readUInt32LE(18);
    expect(inflateRawSync(archive.subarray(30 + tailleNom, 30 + tailleNom + comprime)).toString()).toBe('<a/>');
    expect(archive.readUInt32LE(22)).toBe(4);
    const zip = await JSZip.loadAsync(archive, { checkCRC32: true });
    expect(Object.keys(zip.files)).toEqual(['[Content_Types].xml', 'dossier/é.txt', 'octets.bin', 'vide']);
    expect(await zip.file('dossier/é.txt')?.async('string')).toBe(contenu);
    expect(Buffer.from((await zip.file('octets.bin')?.async('uint8array')) as Uint8Array)).toEqual(octets);
    expect(await zip.file('vide')?.async('string')).toBe('');
    // 37 000 characters of one repeated line compress to far less than their size.
    expect(archive.length).toBeLessThan(Buffer.byteLength(contenu) / 20);
  });

  it('reaches docx’s compiler, which the Word document is zipped from (else it silently falls back to docx’s own zip)', () => {
    // rendu/docx.ts reads this private member of docx 9: a docx upgrade that removes it must be seen here.
    expect(typeof (Packer as unknown as { compiler?: { compile?: unknown } }).compiler?.compile).toBe('function');
  });
});
