import { inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { classeurXlsx, colonneA1 } from '../src/flux/classeur-simple.ts';
import { documentWord, texteXml } from '../src/flux/word-simple.ts';
import { archiveZip } from '../src/flux/zip.ts';

/**
 * The plain Word and Excel writers of the R441-5-1 bilan (flux/word-simple.ts, flux/classeur-simple.ts, flux/zip.ts),
 * read back by independent readers: jszip for the archive, exceljs for the workbook, Node's own inflate.
 */

describe('zip', () => {
  it('writes an archive jszip reads back, entries in order, UTF-8 names and contents intact', async () => {
    const contenu = 'Réservataire « État » — 12 logements\n'.repeat(100);
    const archive = await archiveZip([
      { nom: '[Content_Types].xml', contenu: '<a/>' },
      { nom: 'dossier/é.txt', contenu },
      { nom: 'vide', contenu: Buffer.alloc(0) },
    ]);
    // The first local header (signature PK\x03\x04) is the content types part, as Office expects; deflated.
    expect(archive.readUInt32LE(0)).toBe(0x04034b50);
    expect(archive.readUInt16LE(8)).toBe(8);
    expect(archive.subarray(30, 30 + archive.readUInt16LE(26)).toString()).toBe('[Content_Types].xml');
    const zip = await JSZip.loadAsync(archive, { checkCRC32: true });
    expect(Object.keys(zip.files)).toEqual(['[Content_Types].xml', 'dossier/é.txt', 'vide']);
    expect(await zip.file('dossier/é.txt')?.async('string')).toBe(contenu);
    expect(await zip.file('vide')?.async('string')).toBe('');
    // The first entry's data, inflated by Node directly from its local header (30 bytes + name).
    const tailleNom = archive.readUInt16LE(26);
    const comprime = archive.readUInt32LE(18);
    expect(inflateRawSync(archive.subarray(30 + tailleNom, 30 + tailleNom + comprime)).toString()).toBe('<a/>');
  });
});

describe('Word', () => {
  it('escapes text and drops the control characters XML forbids', () => {
    expect(texteXml('a < b & c > "d"\u0001\u0009')).toBe('a &lt; b &amp; c &gt; &quot;d&quot;\u0009');
  });

  it('writes headings with their outline level, tables with a repeated header row, in French', async () => {
    const docx = await documentWord({
      titre: 'Bilan 2024',
      auteur: 'Mixité',
      langue: 'fr-FR',
      blocs: [
        { kind: 'titre', texte: 'Bilan 2024 — Bailleur <B1>' },
        { kind: 'titre1', texte: 'Action Logement (AL)' },
        { kind: 'tableau', entetes: ['Typologie', 'Logements proposés', 'Logements attribués'], lignes: [['T2', '3', '1']] },
        { kind: 'tableau', entetes: ['Commune', 'Logements proposés', 'Logements attribués'], lignes: [['91228', 's', 's']] },
      ],
    });
    const zip = await JSZip.loadAsync(docx, { checkCRC32: true });
    const xml = (await zip.file('word/document.xml')?.async('string')) as string;
    expect(xml).toContain('<w:pStyle w:val="Title"/></w:pPr><w:r><w:t xml:space="preserve">Bilan 2024 — Bailleur &lt;B1&gt;</w:t>');
    expect(xml).toContain('<w:pStyle w:val="Heading1"/>');
    expect(xml.match(/<w:tblHeader\/>/g)).toHaveLength(2);
    // Two adjacent tables are kept apart by an empty paragraph (Word would merge them).
    expect(xml).toContain('</w:tbl><w:p/><w:tbl>');
    expect(xml).toContain('<w:jc w:val="right"/></w:pPr><w:r><w:t xml:space="preserve">3</w:t>');
    const styles = (await zip.file('word/styles.xml')?.async('string')) as string;
    expect(styles).toContain('<w:lang w:val="fr-FR"/>');
    expect(styles).toMatch(/w:styleId="Heading1">.*<w:outlineLvl w:val="0"\/>/);
    expect(await zip.file('docProps/core.xml')?.async('string')).toContain('<dc:title>Bilan 2024</dc:title>');
    expect(await zip.file('[Content_Types].xml')?.async('string')).toContain('wordprocessingml.document.main+xml');
  });
});

describe('Excel', () => {
  it('names columns as Excel does', () => {
    // A…Z, then AA (26 + 1), ZZ (26 + 26 × 26 = 702nd column, index 701), AAA.
    expect([0, 25, 26, 51, 701, 702].map(colonneA1)).toEqual(['A', 'Z', 'AA', 'AZ', 'ZZ', 'AAA']);
  });

  it('writes sheets exceljs reads back: texts, numbers, empty cells, bold rows, a text that looks like a formula', async () => {
    const xlsx = await classeurXlsx({
      titre: 'Essai',
      auteur: 'Mixité',
      feuilles: [
        { nom: 'Sommaire', lignes: [['Titre'], [], ['Réservataire', 'Proposés'], ['=HYPERLINK("x")', 3]], grasses: new Set([2]), largeurs: [40, 12] },
        { nom: "L'EPCI", lignes: [['a', 'b'], [' espace ', 1.5], ['s', null, 'c']], entete: 0 },
      ],
    });
    const classeur = new ExcelJS.Workbook();
    await classeur.xlsx.load(xlsx as unknown as ArrayBuffer);
    expect(classeur.worksheets.map((w) => w.name)).toEqual(['Sommaire', "L'EPCI"]);
    const sommaire = classeur.getWorksheet('Sommaire') as ExcelJS.Worksheet;
    expect(sommaire.getRow(1).values).toEqual([undefined, 'Titre']);
    expect(sommaire.getRow(2).values).toEqual([]);
    expect(sommaire.getRow(3).getCell(1).font?.bold).toBe(true);
    expect(sommaire.getRow(4).getCell(1).font?.bold).toBeFalsy();
    // A name read from an imported file that starts with "=" stays a text cell, never a formula.
    expect(sommaire.getRow(4).getCell(1).type).toBe(ExcelJS.ValueType.String);
    expect(sommaire.getRow(4).getCell(1).value).toBe('=HYPERLINK("x")');
    expect(sommaire.getRow(4).getCell(2).value).toBe(3);
    expect(sommaire.getColumn(1).width).toBe(40);
    const epci = classeur.getWorksheet("L'EPCI") as ExcelJS.Worksheet;
    expect(epci.getRow(2).values).toEqual([undefined, ' espace ', 1.5]);
    expect(epci.getRow(3).values).toEqual([undefined, 's', undefined, 'c']);
    expect(epci.autoFilter).toBe('A1:B1');
  });
});
