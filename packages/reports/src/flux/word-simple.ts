import { archiveZip } from './zip.ts';

/**
 * A Word (.docx) writer for plain documents — a title, paragraphs, two heading levels and tables with a header
 * row — written directly as WordprocessingML (ECMA-376) text and zipped by jszip (zip.ts).
 *
 * Why not the `docx` library, as the annual bilan (rendu/docx.ts)? The R441-5-1 bilan of every bailleur of a region
 * is 175 documents of a few hundred table rows each: `docx` builds an object per run, cell and property, then walks
 * them into XML (`prepForXml`); at Île-de-France scale that took 78 s of a 119 s run, most of it in that walk and the
 * garbage collector (bench/flux.ts, docs/BENCHMARKS.md). These documents need none of its features (no images,
 * numbering, fields, footnotes): a string per row does the job in a hundredth of the time.
 *
 * What Word needs and this writes: `[Content_Types].xml`, the package relationships, `word/document.xml`,
 * `word/styles.xml` (Title, Heading 1–2 with their outline level so that the navigation pane and a PDF export list
 * them, a bordered table style), `docProps/core.xml` (title, author). The language is set for spelling and screen
 * readers; table header rows repeat on each page (`tblHeader`).
 */

export type BlocWord =
  | { readonly kind: 'titre' | 'titre1' | 'titre2' | 'paragraphe'; readonly texte: string }
  | {
      readonly kind: 'tableau';
      readonly entetes: readonly string[];
      readonly lignes: readonly (readonly string[])[];
      /** Per column, right-aligned (numbers); the first column is left-aligned when absent. */
      readonly aDroite?: readonly boolean[];
    };

export interface DocumentWord {
  readonly titre: string;
  readonly auteur: string;
  /** BCP 47, e.g. `fr-FR`. */
  readonly langue: string;
  readonly blocs: readonly BlocWord[];
}

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
/** A4 portrait, 2 cm margins, in twentieths of a point: the text width is 11906 − 2 × 1134 = 9638. */
const LARGEUR_TEXTE = 9638;

/** Text as XML character data: the five escapes, and the control characters XML 1.0 forbids dropped. */
export function texteXml(s: string): string {
  return (
    s
      // eslint-disable-next-line no-control-regex -- these are exactly the characters XML 1.0 forbids
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
  );
}

const run = (texte: string, gras = false) => `<w:r>${gras ? '<w:rPr><w:b/></w:rPr>' : ''}<w:t xml:space="preserve">${texteXml(texte)}</w:t></w:r>`;

const STYLE_DE: Record<Exclude<BlocWord['kind'], 'tableau' | 'paragraphe'>, string> = { titre: 'Title', titre1: 'Heading1', titre2: 'Heading2' };

function paragraphe(texte: string, style?: string, align?: 'right'): string {
  const ppr = style || align ? `<w:pPr>${style ? `<w:pStyle w:val="${style}"/>` : ''}${align ? `<w:jc w:val="${align}"/>` : ''}</w:pPr>` : '';
  return `<w:p>${ppr}${run(texte)}</w:p>`;
}

function tableau(b: Extract<BlocWord, { kind: 'tableau' }>): string {
  const n = b.entetes.length;
  // The first column (labels) gets twice the width of the others (counts).
  const unite = Math.floor(LARGEUR_TEXTE / (n + 1));
  const largeurs = b.entetes.map((_, i) => (i === 0 ? LARGEUR_TEXTE - unite * (n - 1) : unite));
  const aDroite = (i: number) => b.aDroite?.[i] ?? i > 0;
  const cellule = (texte: string, i: number, gras: boolean) =>
    `<w:tc><w:tcPr><w:tcW w:w="${largeurs[i]}" w:type="dxa"/></w:tcPr><w:p>${aDroite(i) ? '<w:pPr><w:jc w:val="right"/></w:pPr>' : ''}${run(texte, gras)}</w:p></w:tc>`;
  const parties = [
    `<w:tbl><w:tblPr><w:tblStyle w:val="Grille"/><w:tblW w:w="${LARGEUR_TEXTE}" w:type="dxa"/><w:tblLook w:val="0020" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>`,
    `<w:tblGrid>${largeurs.map((l) => `<w:gridCol w:w="${l}"/>`).join('')}</w:tblGrid>`,
    `<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>${b.entetes.map((e, i) => cellule(e, i, true)).join('')}</w:tr>`,
  ];
  for (const l of b.lignes) parties.push(`<w:tr><w:trPr><w:cantSplit/></w:trPr>${b.entetes.map((_, i) => cellule(l[i] ?? '', i, false)).join('')}</w:tr>`);
  parties.push('</w:tbl>');
  return parties.join('');
}

function corps(d: DocumentWord): string {
  const parties: string[] = [];
  let precedentTableau = false;
  for (const b of d.blocs) {
    // Two tables in a row would merge into one in Word: an empty paragraph keeps them apart.
    if (b.kind === 'tableau' && precedentTableau) parties.push('<w:p/>');
    parties.push(b.kind === 'tableau' ? tableau(b) : b.kind === 'paragraphe' ? paragraphe(b.texte) : paragraphe(b.texte, STYLE_DE[b.kind]));
    precedentTableau = b.kind === 'tableau';
  }
  // The body ends with a paragraph (Word adds one after a final table anyway).
  parties.push('<w:p/>');
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="${W}"><w:body>${parties.join('')}` +
    `<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr></w:body></w:document>`
  );
}

function styles(langue: string): string {
  const titre = (id: string, nom: string, taille: number, niveau: number | null, avant: number) =>
    `<w:style w:type="paragraph" w:styleId="${id}"><w:name w:val="${nom}"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>` +
    `<w:pPr><w:keepNext/><w:spacing w:before="${avant}" w:after="120"/>${niveau === null ? '' : `<w:outlineLvl w:val="${niveau}"/>`}</w:pPr>` +
    `<w:rPr><w:b/><w:color w:val="1F3864"/><w:sz w:val="${taille}"/><w:szCs w:val="${taille}"/></w:rPr></w:style>`;
  const bord = (cote: string) => `<w:${cote} w:val="single" w:sz="4" w:space="0" w:color="808080"/>`;
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles xmlns:w="${W}">` +
    `<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial"/><w:sz w:val="20"/><w:szCs w:val="20"/><w:lang w:val="${texteXml(langue)}"/></w:rPr></w:rPrDefault>` +
    `<w:pPrDefault><w:pPr><w:spacing w:after="80"/></w:pPr></w:pPrDefault></w:docDefaults>` +
    `<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>` +
    titre('Title', 'Title', 32, null, 0) +
    titre('Heading1', 'heading 1', 26, 0, 360) +
    titre('Heading2', 'heading 2', 22, 1, 200) +
    `<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>` +
    `<w:style w:type="table" w:styleId="Grille"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/><w:pPr><w:spacing w:after="0"/></w:pPr>` +
    `<w:tblPr><w:tblBorders>${['top', 'left', 'bottom', 'right', 'insideH', 'insideV'].map(bord).join('')}</w:tblBorders></w:tblPr></w:style>` +
    `</w:styles>`
  );
}

const TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`;

const RELATIONS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`;

const RELATIONS_DOCUMENT = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`;

function proprietes(d: DocumentWord, date: Date): string {
  const iso = `${date.toISOString().slice(0, 19)}Z`;
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    `<dc:title>${texteXml(d.titre)}</dc:title><dc:creator>${texteXml(d.auteur)}</dc:creator><dc:language>${texteXml(d.langue)}</dc:language>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${iso}</dcterms:created></cp:coreProperties>`
  );
}

/** The .docx file of the document. */
export function documentWord(d: DocumentWord, date = new Date()): Promise<Buffer> {
  return archiveZip(
    [
      { nom: '[Content_Types].xml', contenu: TYPES },
      { nom: '_rels/.rels', contenu: RELATIONS },
      { nom: 'docProps/core.xml', contenu: proprietes(d, date) },
      { nom: 'word/_rels/document.xml.rels', contenu: RELATIONS_DOCUMENT },
      { nom: 'word/styles.xml', contenu: styles(d.langue) },
      { nom: 'word/document.xml', contenu: corps(d) },
    ],
    date,
  );
}
