import type { CelluleXlsx } from '@mixite/core';
import { texteXml } from './word-simple.ts';
import { archiveZip } from './zip.ts';

/**
 * An Excel (.xlsx) writer for plain tables — sheets of text and number cells, bold rows, column widths, a frozen
 * header and an autofilter — written directly as SpreadsheetML (ECMA-376) text and zipped (zip.ts).
 *
 * Why not exceljs, as the annual bilan (rendu/xlsx.ts)? The R441-5-1 bilans of a region are 176 workbooks (one per
 * bailleur and the EPCI's of 54 000 rows): exceljs builds and hashes a style model per cell, even with its streaming
 * writer, and took most of the 41 s the workbooks cost (bench/flux.ts). These sheets need only what is below.
 *
 * Cells are `CelluleXlsx` (@mixite/core's celluleXlsx: the formula-injection rule): text is always written as a
 * shared string, never as a formula, whatever its first character; numbers as numbers; null as an empty cell.
 */

export interface FeuilleSimple {
  /** At most 31 characters, without : \ / ? * [ ] (the caller's nomFeuille). */
  readonly nom: string;
  readonly lignes: readonly (readonly CelluleXlsx[])[];
  /** Rows in bold (0-based). */
  readonly grasses?: ReadonlySet<number>;
  /** Widths of the first columns, in characters. */
  readonly largeurs?: readonly number[];
  /** An autofilter and a frozen pane on this row (0-based): the table's header. */
  readonly entete?: number;
}

export interface ClasseurSimple {
  readonly titre: string;
  readonly auteur: string;
  readonly feuilles: readonly FeuilleSimple[];
}

export const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
export const NS_R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
export const NS_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
export const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** A1-style column name of a 0-based index: 0 → A, 25 → Z, 26 → AA. */
export function colonneA1(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** The shared strings of a workbook: each distinct text once, cells pointing at its index (also rendu/classeur-ooxml.ts). */
export class Chaines {
  readonly index = new Map<string, number>();
  references = 0;
  de(texte: string): number {
    this.references++;
    let i = this.index.get(texte);
    if (i === undefined) {
      i = this.index.size;
      this.index.set(texte, i);
    }
    return i;
  }
  xml(): string {
    const parties = [`${XML}<sst xmlns="${NS}" count="${this.references}" uniqueCount="${this.index.size}">`];
    // Leading or trailing spaces (or line breaks) are kept only with xml:space="preserve".
    for (const t of this.index.keys()) parties.push(`<si><t${/^\s|\s$/.test(t) ? ' xml:space="preserve"' : ''}>${texteXml(t)}</t></si>`);
    parties.push('</sst>');
    return parties.join('');
  }
}

function feuille(f: FeuilleSimple, chaines: Chaines): string {
  const parties = [`${XML}<worksheet xmlns="${NS}" xmlns:r="${NS_R}">`];
  if (f.entete !== undefined) {
    const sous = f.entete + 2;
    parties.push(`<sheetViews><sheetView workbookViewId="0"><pane ySplit="${f.entete + 1}" topLeftCell="A${sous}" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>`);
  }
  if (f.largeurs && f.largeurs.length > 0) parties.push(`<cols>${f.largeurs.map((l, i) => `<col min="${i + 1}" max="${i + 1}" width="${l}" customWidth="1"/>`).join('')}</cols>`);
  parties.push('<sheetData>');
  f.lignes.forEach((ligne, r) => {
    const style = f.grasses?.has(r) ? ' s="1"' : '';
    const cellules: string[] = [];
    ligne.forEach((v, c) => {
      if (v === null) return;
      const ref = `${colonneA1(c)}${r + 1}`;
      if (typeof v === 'number') {
        if (Number.isFinite(v)) cellules.push(`<c r="${ref}"${style}><v>${v}</v></c>`);
      } else cellules.push(`<c r="${ref}"${style} t="s"><v>${chaines.de(v)}</v></c>`);
    });
    parties.push(`<row r="${r + 1}">${cellules.join('')}</row>`);
  });
  parties.push('</sheetData>');
  if (f.entete !== undefined) {
    const largeur = f.lignes[f.entete]?.length ?? 1;
    parties.push(`<autoFilter ref="A${f.entete + 1}:${colonneA1(Math.max(0, largeur - 1))}${f.entete + 1}"/>`);
  }
  parties.push('</worksheet>');
  return parties.join('');
}

/** Two cell formats: 0 the default, 1 bold. Fills 0 and 1 are the two Excel requires. */
const STYLES = `${XML}<styleSheet xmlns="${NS}"><fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;

/**
 * The parts of a workbook's package around its sheets, styles and shared strings (also rendu/classeur-ooxml.ts): content
 * types, package and workbook relations, core properties (title, author, creation) and the workbook listing the sheets
 * `nomsDesFeuilles` with the defined names `filtres` (the autofilters). Sheet i is `xl/worksheets/sheet{i+1}.xml`.
 */
export function partiesDuClasseur(nomsDesFeuilles: readonly string[], filtres: string, titre: string, auteur: string, creation: Date): { nom: string; contenu: string }[] {
  const n = nomsDesFeuilles.length;
  const classeur =
    `${XML}<workbook xmlns="${NS}" xmlns:r="${NS_R}"><sheets>` +
    nomsDesFeuilles.map((nom, i) => `<sheet name="${texteXml(nom)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('') +
    `</sheets>${filtres ? `<definedNames>${filtres}</definedNames>` : ''}</workbook>`;
  const relationsClasseur =
    `${XML}<Relationships xmlns="${NS_REL}">` +
    nomsDesFeuilles.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${NS_R}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('') +
    `<Relationship Id="rId${n + 1}" Type="${NS_R}/styles" Target="styles.xml"/><Relationship Id="rId${n + 2}" Type="${NS_R}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`;
  const types =
    `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
    `<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
    nomsDesFeuilles.map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('') +
    `<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>` +
    `<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`;
  const relations =
    `${XML}<Relationships xmlns="${NS_REL}"><Relationship Id="rId1" Type="${NS_R}/officeDocument" Target="xl/workbook.xml"/>` +
    `<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`;
  const coeur =
    `${XML}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    `<dc:title>${texteXml(titre)}</dc:title><dc:creator>${texteXml(auteur)}</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">${creation.toISOString().slice(0, 19)}Z</dcterms:created></cp:coreProperties>`;
  return [
    { nom: '[Content_Types].xml', contenu: types },
    { nom: '_rels/.rels', contenu: relations },
    { nom: 'docProps/core.xml', contenu: coeur },
    { nom: 'xl/workbook.xml', contenu: classeur },
    { nom: 'xl/_rels/workbook.xml.rels', contenu: relationsClasseur },
  ];
}

/** The .xlsx file of the workbook. */
export function classeurXlsx(c: ClasseurSimple, date = new Date()): Promise<Buffer> {
  const chaines = new Chaines();
  const feuilles = c.feuilles.map((f) => feuille(f, chaines));
  const filtres = c.feuilles
    .map((f, i) => {
      if (f.entete === undefined) return '';
      const fin = colonneA1(Math.max(0, (f.lignes[f.entete]?.length ?? 1) - 1));
      return `<definedName name="_xlnm._FilterDatabase" localSheetId="${i}" hidden="1">'${texteXml(f.nom.replace(/'/g, "''"))}'!$A$${f.entete + 1}:$${fin}$${f.entete + 1}</definedName>`;
    })
    .join('');
  const parties = partiesDuClasseur(c.feuilles.map((f) => f.nom), filtres, c.titre, c.auteur, date);
  return archiveZip(
    [
      ...parties,
      { nom: 'xl/styles.xml', contenu: STYLES },
      { nom: 'xl/sharedStrings.xml', contenu: chaines.xml() },
      ...feuilles.map((contenu, i) => ({ nom: `xl/worksheets/sheet${i + 1}.xml`, contenu })),
    ],
    date,
  );
}
