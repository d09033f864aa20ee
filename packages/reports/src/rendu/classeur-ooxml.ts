import type { CelluleXlsx } from '@mixite/core';
import { Chaines, NS, NS_R, NS_REL, XML, colonneA1, partiesDuClasseur } from '../flux/classeur-simple.ts';
import { texteXml } from '../flux/word-simple.ts';
import { archiveZipNatif } from './zip-natif.ts';

/**
 * The SpreadsheetML (ECMA-376) writer of the annual bilan's workbook (rendu/xlsx.ts): sheets of text and number cells
 * with a few cell styles (fonts, number formats, alignment, a top rule), column widths, frozen header rows, internal
 * hyperlinks and an autofilter, written as text and zipped (zip-natif.ts: jszip, with Node's zlib compressing).
 *
 * Why not exceljs, which wrote this workbook until issue 18? Even with its streaming writer, exceljs builds a style
 * object for every cell and serialises it to XML to find its style id: at Île-de-France scale (the `indicateurs`
 * sheet of 92 799 rows × 14 columns) that took 12 to 13 s of processor on the main thread, most of the bilan's files.
 * Here a style is a constant of the caller, its id found once by identity (a Map), and a cell is a line of text.
 * The flux bilans (flux/classeur-simple.ts) made the same move for the same reason; this one has more styles.
 *
 * Text is always a shared string, never a formula, whatever its first character (core's `celluleXlsx` rule);
 * numbers are numbers; null is no cell.
 */

export interface Police {
  readonly gras?: boolean;
  readonly italique?: boolean;
  readonly souligne?: boolean;
  readonly taille?: number;
  /** ARGB, e.g. FF1C3FAA. */
  readonly couleur?: string;
}

/** A cell's style. Give the same object for the same style: its id is found by identity first. */
export interface StyleCellule {
  readonly police?: Police;
  /** Excel number format code (`#,##0`, `0.0%`…). */
  readonly format?: string;
  readonly horizontal?: 'right';
  readonly vertical?: 'top' | 'bottom';
  readonly retourALaLigne?: boolean;
  /** A thin rule above the cell (the total rows). */
  readonly filetHaut?: boolean;
}

export interface CelluleStylee {
  readonly valeur: CelluleXlsx;
  readonly style?: StyleCellule;
  /** An internal link (`'Feuille'!A1`), written as a hyperlink relationship (`#'Feuille'!A1`) as Excel follows it. */
  readonly lien?: string;
}

/** A row: its cells from column A; `style` applies to the row itself (its empty cells too), as Excel's row format. */
export interface LigneClasseur {
  readonly cellules: readonly (CelluleXlsx | CelluleStylee)[];
  readonly style?: StyleCellule;
}

export interface FeuilleClasseur {
  readonly nom: string;
  /** Rows from row 1; null is an empty row (nothing written, the numbering goes on). */
  readonly lignes: Iterable<LigneClasseur | null>;
  /** Widths of the columns from A, in characters. */
  readonly largeurs?: readonly number[];
  /** Rows frozen at the top. */
  readonly figees?: number;
  /** An autofilter on row 1 over this many columns. */
  readonly filtre?: number;
}

export interface ProprietesClasseur {
  readonly titre: string;
  readonly auteur: string;
  readonly creation: Date;
}


/** Excel's built-in number formats (ECMA-376 §18.8.30) the bilan uses: written by id, as Excel does. */
const FORMATS_INTEGRES: ReadonlyMap<string, number> = new Map([
  ['General', 0],
  ['0', 1],
  ['0.00', 2],
  ['#,##0', 3],
  ['#,##0.00', 4],
  ['0%', 9],
  ['0.00%', 10],
]);

/** The styles part: fonts, number formats and cell formats, each distinct one once. */
class Styles {
  private readonly parIdentite = new Map<StyleCellule, number>();
  private readonly parCle = new Map<string, number>();
  private readonly xfs: string[] = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'];
  private readonly polices = new Map<string, number>([['', 0]]);
  private readonly formats = new Map<string, number>();

  id(style: StyleCellule | undefined): number {
    if (!style) return 0;
    const connu = this.parIdentite.get(style);
    if (connu !== undefined) return connu;
    const police = style.police ? this.police(style.police) : 0;
    const format = style.format ? this.format(style.format) : 0;
    const bordure = style.filetHaut ? 1 : 0;
    const alignement = [
      style.horizontal ? ` horizontal="${style.horizontal}"` : '',
      style.vertical ? ` vertical="${style.vertical}"` : '',
      style.retourALaLigne ? ' wrapText="1"' : '',
    ].join('');
    const xf =
      `<xf numFmtId="${format}" fontId="${police}" fillId="0" borderId="${bordure}" xfId="0"` +
      `${format ? ' applyNumberFormat="1"' : ''}${police ? ' applyFont="1"' : ''}${bordure ? ' applyBorder="1"' : ''}` +
      (alignement ? ` applyAlignment="1"><alignment${alignement}/></xf>` : '/>');
    let id = this.parCle.get(xf);
    if (id === undefined) {
      id = this.xfs.length;
      this.xfs.push(xf);
      this.parCle.set(xf, id);
    }
    this.parIdentite.set(style, id);
    return id;
  }

  private police(p: Police): number {
    const xml = `<font>${p.gras ? '<b/>' : ''}${p.italique ? '<i/>' : ''}${p.souligne ? '<u/>' : ''}${p.couleur ? `<color rgb="${p.couleur}"/>` : ''}${p.taille ? `<sz val="${p.taille}"/>` : ''}</font>`;
    let id = this.polices.get(xml);
    if (id === undefined) {
      id = this.polices.size;
      this.polices.set(xml, id);
    }
    return id;
  }

  private format(code: string): number {
    const integre = FORMATS_INTEGRES.get(code);
    if (integre !== undefined) return integre;
    let id = this.formats.get(code);
    if (id === undefined) {
      id = 164 + this.formats.size;
      this.formats.set(code, id);
    }
    return id;
  }

  xml(): string {
    const formats = [...this.formats].map(([code, id]) => `<numFmt numFmtId="${id}" formatCode="${texteXml(code)}"/>`);
    // Font 0 is the workbook's default (Calibri 11); the others name only what they change, as exceljs wrote them.
    const polices = [...this.polices.keys()].map((x, i) => (i === 0 ? '<font><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>' : x));
    return (
      `${XML}<styleSheet xmlns="${NS}">` +
      (formats.length > 0 ? `<numFmts count="${formats.length}">${formats.join('')}</numFmts>` : '') +
      `<fonts count="${polices.length}">${polices.join('')}</fonts>` +
      '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
      '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border><border><left/><right/><top style="thin"/><bottom/><diagonal/></border></borders>' +
      '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
      `<cellXfs count="${this.xfs.length}">${this.xfs.join('')}</cellXfs>` +
      '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
    );
  }
}

const estStylee = (c: CelluleXlsx | CelluleStylee): c is CelluleStylee => c !== null && typeof c === 'object';

interface FeuilleEcrite {
  readonly xml: string;
  /** Hyperlink targets, in the order of their relationship ids rId1, rId2… */
  readonly liens: readonly string[];
}

function feuille(f: FeuilleClasseur, styles: Styles, chaines: Chaines): FeuilleEcrite {
  const parties = [`${XML}<worksheet xmlns="${NS}" xmlns:r="${NS_R}">`];
  if (f.figees) {
    parties.push(`<sheetViews><sheetView workbookViewId="0"><pane ySplit="${f.figees}" topLeftCell="A${f.figees + 1}" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>`);
  }
  if (f.largeurs && f.largeurs.length > 0) parties.push(`<cols>${f.largeurs.map((l, i) => `<col min="${i + 1}" max="${i + 1}" width="${l}" customWidth="1"/>`).join('')}</cols>`);
  parties.push('<sheetData>');
  const liens: { ref: string; cible: string }[] = [];
  let r = 0;
  for (const ligne of f.lignes) {
    r++;
    if (ligne === null) continue;
    const styleLigne = ligne.style ? styles.id(ligne.style) : 0;
    let xml = styleLigne ? `<row r="${r}" s="${styleLigne}" customFormat="1">` : `<row r="${r}">`;
    const cellules = ligne.cellules;
    for (let c = 0; c < cellules.length; c++) {
      const cellule = cellules[c] as CelluleXlsx | CelluleStylee;
      const valeur = estStylee(cellule) ? cellule.valeur : cellule;
      if (valeur === null || (typeof valeur === 'number' && !Number.isFinite(valeur))) continue;
      const ref = `${colonneA1(c)}${r}`;
      const s = estStylee(cellule) ? styles.id(cellule.style) : 0;
      const attribut = s ? ` s="${s}"` : '';
      // An empty text is a blank cell that keeps its format (a header without a title), as exceljs wrote it.
      if (valeur === '') xml += attribut ? `<c r="${ref}"${attribut}/>` : '';
      else if (typeof valeur === 'number') xml += `<c r="${ref}"${attribut}><v>${valeur}</v></c>`;
      else xml += `<c r="${ref}"${attribut} t="s"><v>${chaines.de(valeur)}</v></c>`;
      if (estStylee(cellule) && cellule.lien) liens.push({ ref, cible: cellule.lien });
    }
    parties.push(`${xml}</row>`);
  }
  parties.push('</sheetData>');
  if (f.filtre) parties.push(`<autoFilter ref="A1:${colonneA1(f.filtre - 1)}1"/>`);
  if (liens.length > 0) parties.push(`<hyperlinks>${liens.map((l, i) => `<hyperlink ref="${l.ref}" r:id="rId${i + 1}"/>`).join('')}</hyperlinks>`);
  parties.push('</worksheet>');
  return { xml: parties.join(''), liens: liens.map((l) => l.cible) };
}

const relationsDeFeuille = (liens: readonly string[]): string =>
  `${XML}<Relationships xmlns="${NS_REL}">` +
  liens.map((cible, i) => `<Relationship Id="rId${i + 1}" Type="${NS_R}/hyperlink" Target="${texteXml(`#${cible}`)}" TargetMode="External"/>`).join('') +
  '</Relationships>';

/** The .xlsx file of the workbook. */
export function classeurOoxml(proprietes: ProprietesClasseur, feuillesACrire: readonly FeuilleClasseur[]): Promise<Buffer> {
  const styles = new Styles();
  const chaines = new Chaines();
  const feuilles = feuillesACrire.map((f) => feuille(f, styles, chaines));
  const filtres = feuillesACrire
    .map((f, i) =>
      f.filtre ? `<definedName name="_xlnm._FilterDatabase" localSheetId="${i}" hidden="1">'${texteXml(f.nom.replace(/'/g, "''"))}'!$A$1:$${colonneA1(f.filtre - 1)}$1</definedName>` : '',
    )
    .join('');
  const parties = partiesDuClasseur(feuillesACrire.map((f) => f.nom), filtres, proprietes.titre, proprietes.auteur, proprietes.creation);
  return archiveZipNatif(
    [
      ...parties,
      { nom: 'xl/styles.xml', contenu: styles.xml() },
      { nom: 'xl/sharedStrings.xml', contenu: chaines.xml() },
      ...feuilles.flatMap((f, i) => [
        { nom: `xl/worksheets/sheet${i + 1}.xml`, contenu: f.xml },
        ...(f.liens.length > 0 ? [{ nom: `xl/worksheets/_rels/sheet${i + 1}.xml.rels`, contenu: relationsDeFeuille(f.liens) }] : []),
      ]),
    ],
    proprietes.creation,
  );
}
