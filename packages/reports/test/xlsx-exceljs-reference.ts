import type { PublishedIndicatorRow } from '@mixite/core';
import { INDICATOR_EXPORT_ADDED_COLUMNS, INDICATOR_EXPORT_COLUMNS, SECRET_COLUMN, celluleXlsx, faibleEffectif, tauxPourcent } from '@mixite/core';
import type { CelluleXlsx } from '@mixite/core';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Cellule, DocumentBilan, NiveauAttention, Tableau } from '../src/contenu/modele.ts';
import { LIBELLES_NIVEAU, SECRET_SYMBOLE, VIDE_SYMBOLE, texteCellule } from '../src/contenu/modele.ts';

/**
 * TEST ORACLE — the bilan's workbook writer as it was until issue 18 (exceljs's streaming writer), kept only so that
 * xlsx-identique.test.ts can check that the plain SpreadsheetML writer (src/rendu/xlsx.ts, classeur-ooxml.ts) writes
 * the same workbook: an independent implementation of the same sheets, read back by exceljs on both sides.
 * Not used by the product.
 *
 * The workbook of the bilan (exceljs): a contents sheet, the points of attention, one sheet per table of the
 * document with numbers kept as numbers (shares as percentages, gaps in points), and the sheet `indicateurs`:
 * the published long format of DATA-FORMAT.md ("Indicator export"), masked values empty and the `secret`
 * column, as `mixite indicateurs --secret` writes it, plus the perimeter's name, then its added columns
 * (`taux_pourcent`, `faible_effectif`), the rate and target cells shown with the decimals the screen prints. Written with exceljs's
 * streaming writer (rows committed as they are added): a whole region's breakdowns stay a few seconds.
 * Every cell of the tables goes through `celluleXlsx` (@mixite/core, the formula-injection rule): names read from
 * imported files (a bailleur, a commune) are written as text cells, never as formulas; numbers stay numbers.
 */

type Classeur = ExcelJS.stream.xlsx.WorkbookWriter;

const FEUILLE_INDICATEURS = 'indicateurs';
const FEUILLE_SOMMAIRE = 'Sommaire';
const FEUILLE_ATTENTION = 'Points d’attention';

const FORMATS: Partial<Record<Cellule['kind'], string>> = {
  nombre: '#,##0',
  taux: '0.0%',
  points: '+0.0" pt";-0.0" pt";0.0" pt"',
  variation: '+0.0%;-0.0%;0.0%',
  euros: '#,##0" €"',
  ratio: '0.0',
};

/** The sheet name of a table: « T07 » and the start of its title, within Excel's 31 characters and without []:*?/\. */
function nomDeFeuille(t: Tableau): string {
  const base = `T${String(t.numero).padStart(2, '0')} ${t.titre}`.replace(/[[\]:*?/\\']/g, ' ').replace(/\s+/g, ' ');
  return base.length > 31 ? base.slice(0, 31).trimEnd() : base;
}

export async function ecrireXlsxExceljs(
  document: DocumentBilan,
  indicateurs: readonly PublishedIndicatorRow[],
  libelle: (row: PublishedIndicatorRow) => string,
  /** The CIA's minimum denominator (`effectif_minimum`), for the `faible_effectif` column. */
  effectifMinimum: number,
): Promise<Buffer> {
  const flux = new PassThrough();
  const morceaux: Buffer[] = [];
  flux.on('data', (m: Buffer) => morceaux.push(m));
  const fin = new Promise<void>((resolve, reject) => {
    flux.on('end', resolve);
    flux.on('error', reject);
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: flux, useStyles: true, useSharedStrings: false });
  wb.creator = 'Mixité';
  wb.title = document.titre;
  wb.created = new Date();
  const tableaux = document.blocs.filter((b): b is Tableau => b.kind === 'tableau');
  const noms = new Map<Tableau, string>();
  for (const t of tableaux) noms.set(t, nomDeFeuille(t));

  const sommaire = wb.addWorksheet(FEUILLE_SOMMAIRE);
  sommaire.getColumn(1).width = 14;
  sommaire.getColumn(2).width = 100;
  sommaire.addRow([document.titre]).font = { bold: true, size: 14 };
  sommaire.addRow([document.sousTitre]);
  for (const m of document.mentions) sommaire.addRow([m]);
  sommaire.addRow([]);
  sommaire.addRow(['Feuille', 'Contenu']).font = { bold: true };
  const lien = (nom: string, texte: string) => {
    const row = sommaire.addRow([nom, texte]);
    row.getCell(1).value = { text: nom, hyperlink: `#'${nom}'!A1` };
    row.getCell(1).font = { color: { argb: 'FF1C3FAA' }, underline: true };
  };
  lien(FEUILLE_ATTENTION, 'Points d’attention établis à partir des chiffres');
  for (const t of tableaux) lien(noms.get(t) as string, `Tableau ${t.numero} : ${t.titre}`);
  lien(FEUILLE_INDICATEURS, `Indicateurs ${document.annee} publiés, format long (secret statistique appliqué)`);
  sommaire.addRow([]);
  sommaire.addRow(['', `« ${SECRET_SYMBOLE} » : secret statistique ; « ${VIDE_SYMBOLE} » : sans objet.`]);

  const attention = wb.addWorksheet(FEUILLE_ATTENTION);
  attention.getColumn(1).width = 20;
  attention.getColumn(2).width = 140;
  attention.addRow(['Niveau', 'Point d’attention']).font = { bold: true };
  for (const b of document.blocs) {
    // The points of attention are short tables (`attention-<niveau>`: subject, finding) since issue 12; lists still read.
    const items =
      b.kind === 'liste'
        ? b.items
        : b.kind === 'tableau' && b.id.startsWith('attention-')
          ? b.lignes.map((l) => ({ niveau: b.id.slice('attention-'.length) as NiveauAttention, texte: l.cellules.map(texteCellule).join(' : ') }))
          : [];
    for (const item of items) {
      if (!item.niveau) continue;
      const row = attention.addRow([LIBELLES_NIVEAU[item.niveau], item.texte]);
      row.getCell(2).alignment = { wrapText: true, vertical: 'top' };
    }
  }

  sommaire.commit();
  attention.commit();
  for (const t of tableaux) feuilleDeTableau(wb, noms.get(t) as string, t);
  feuilleIndicateurs(wb, indicateurs, libelle, effectifMinimum);
  await wb.commit();
  await fin;
  return Buffer.concat(morceaux);
}

function feuilleDeTableau(wb: Classeur, nom: string, t: Tableau): void {
  const ws = wb.addWorksheet(nom, { views: [{ state: 'frozen', ySplit: 3 }] });
  ws.getColumn(1).width = 44;
  for (let c = 2; c <= t.colonnes.length; c++) ws.getColumn(c).width = 15;
  ws.addRow([`Tableau ${t.numero} : ${t.titre}`]).font = { bold: true, size: 12 };
  ws.addRow([]);
  const entete = ws.addRow([...t.colonnes]);
  entete.font = { bold: true };
  entete.alignment = { wrapText: true, vertical: 'bottom' };
  let secret = false;
  for (const ligne of t.lignes) {
    const row = ws.addRow(ligne.cellules.map(valeurExcel));
    ligne.cellules.forEach((cellule, i) => {
      const cell = row.getCell(i + 1);
      const format = formatExcel(cellule);
      if (format) cell.numFmt = format;
      if (cellule.kind === 'secret') secret = true;
      if (cellule.kind !== 'texte') cell.alignment = { horizontal: 'right' };
      else cell.alignment = { wrapText: true, vertical: 'top' };
    });
    if (ligne.total) {
      row.font = { bold: true };
      row.eachCell((cell) => (cell.border = { top: { style: 'thin' } }));
    }
  }
  ws.addRow([]);
  for (const note of t.notes) ws.addRow([note]).font = { italic: true, size: 9 };
  if (secret) ws.addRow([`« ${SECRET_SYMBOLE} » : secret statistique.`]).font = { italic: true, size: 9 };
  ws.commit();
}

/** The number format of a cell: a rate or gap printed with more decimals (formaterTauxContreCible) keeps them in Excel. */
function formatExcel(c: Cellule): string | undefined {
  const decimales = (c.kind === 'taux' || c.kind === 'points') && c.decimales ? c.decimales : 1;
  if (decimales === 1) return FORMATS[c.kind];
  const z = `0.${'0'.repeat(decimales)}`;
  return c.kind === 'taux' ? `${z}%` : `+${z}" pt";-${z}" pt";${z}" pt"`;
}

function valeurExcel(c: Cellule): CelluleXlsx {
  switch (c.kind) {
    case 'texte':
      return celluleXlsx(c.texte);
    case 'nombre':
    case 'taux':
    case 'variation':
    case 'euros':
    case 'ratio':
      return c.valeur;
    case 'points':
      // The format shows points: store the gap × 100 (Excel formats cannot scale except as a percentage).
      return Math.round(c.valeur * 1e10) / 1e8;
    case 'booleen':
      return c.valeur ? 'oui' : 'non';
    case 'secret':
      return SECRET_SYMBOLE;
    case 'vide':
      return VIDE_SYMBOLE;
  }
}

/** A yes/no of the long format as the CSV writes it: 1, 0, or empty when unknown or masked. */
const enChiffre = (b: boolean | null) => (b === null ? null : b ? 1 : 0);

function feuilleIndicateurs(wb: Classeur, rows: readonly PublishedIndicatorRow[], libelle: (row: PublishedIndicatorRow) => string, effectifMinimum: number): void {
  const ws = wb.addWorksheet(FEUILLE_INDICATEURS, { views: [{ state: 'frozen', ySplit: 1 }] });
  // The added columns come after every former one (the perimeter's name included), so that no column moves.
  const colonnes = [...INDICATOR_EXPORT_COLUMNS, SECRET_COLUMN, 'libelle_perimetre', ...INDICATOR_EXPORT_ADDED_COLUMNS];
  colonnes.forEach((c, i) => (ws.getColumn(i + 1).width = c === 'libelle_perimetre' ? 44 : Math.max(12, c.length + 2)));
  ws.addRow(colonnes).font = { bold: true };
  const colonne = (nom: string) => colonnes.indexOf(nom) + 1;
  for (const r of rows) {
    const pourcent = tauxPourcent(r);
    const row = ws.addRow(
      [
        r.indicateur,
        r.perimetre_type,
        r.perimetre_id,
        r.periode,
        r.numerateur,
        r.denominateur,
        r.taux,
        r.cible,
        r.ecart,
        enChiffre(r.atteint),
        r.secret ?? null,
        libelle(r),
        pourcent === null ? null : Number(pourcent),
        enChiffre(faibleEffectif(r.denominateur, effectifMinimum)),
      ].map(celluleXlsx),
    );
    // The raw fraction stays the cell's value; it is shown with the screen's decimals (80,98 % beside 81,00 %).
    if (pourcent !== null) {
      const decimales = pourcent.split('.')[1]?.length ?? 0;
      const format = `0${decimales > 0 ? `.${'0'.repeat(decimales)}` : ''}%`;
      row.getCell(colonne('taux')).numFmt = format;
      if (r.cible !== null) row.getCell(colonne('cible')).numFmt = format;
    }
  }
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: colonnes.length } };
  ws.commit();
}
