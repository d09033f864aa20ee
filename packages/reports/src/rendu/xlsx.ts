import type { PublishedIndicatorRow } from '@mixite/core';
import { INDICATOR_EXPORT_ADDED_COLUMNS, INDICATOR_EXPORT_COLUMNS, SECRET_COLUMN, celluleXlsx, faibleEffectif, tauxPourcent } from '@mixite/core';
import type { CelluleXlsx } from '@mixite/core';
import type { Cellule, DocumentBilan, NiveauAttention, Tableau } from '../contenu/modele.ts';
import { LIBELLES_NIVEAU, SECRET_SYMBOLE, VIDE_SYMBOLE, texteCellule } from '../contenu/modele.ts';
import type { FeuilleClasseur, LigneClasseur, StyleCellule } from './classeur-ooxml.ts';
import { classeurOoxml } from './classeur-ooxml.ts';

/**
 * The workbook of the bilan: a contents sheet, the points of attention, one sheet per table of the document with
 * numbers kept as numbers (shares as percentages, gaps in points), and the sheet `indicateurs`: the published long
 * format of DATA-FORMAT.md ("Indicator export"), masked values empty and the `secret` column, as
 * `mixite indicateurs --secret` writes it, plus the perimeter's name, then its added columns (`taux_pourcent`,
 * `faible_effectif`), the rate and target cells shown with the decimals the screen prints. Written as SpreadsheetML
 * text by rendu/classeur-ooxml.ts (exceljs until issue 18: its style per cell cost 12 s at Île-de-France scale), with
 * the same sheets, cells, number formats, fonts, alignments, widths, frozen rows, links and filter.
 * Every cell of the tables goes through `celluleXlsx` (@mixite/core, the formula-injection rule): names read from
 * imported files (a bailleur, a commune) are written as text cells, never as formulas; numbers stay numbers.
 */

export const FEUILLE_INDICATEURS = 'indicateurs';
export const FEUILLE_SOMMAIRE = 'Sommaire';
export const FEUILLE_ATTENTION = 'Points d’attention';

const FORMATS: Partial<Record<Cellule['kind'], string>> = {
  nombre: '#,##0',
  taux: '0.0%',
  points: '+0.0" pt";-0.0" pt";0.0" pt"',
  variation: '+0.0%;-0.0%;0.0%',
  euros: '#,##0" €"',
  ratio: '0.0',
};

/** The styles of the workbook, each one object (classeur-ooxml.ts finds its id once, by identity). */
const GRAS: StyleCellule = { police: { gras: true } };
const TITRE_CLASSEUR: StyleCellule = { police: { gras: true, taille: 14 } };
const TITRE_TABLEAU: StyleCellule = { police: { gras: true, taille: 12 } };
const NOTE: StyleCellule = { police: { italique: true, taille: 9 } };
const LIEN: StyleCellule = { police: { souligne: true, couleur: 'FF1C3FAA' } };
const TEXTE_LONG: StyleCellule = { vertical: 'top', retourALaLigne: true };
const ENTETE: StyleCellule = { police: { gras: true }, vertical: 'bottom', retourALaLigne: true };

/** A table cell's style: its number format, text wrapped at the top or figures to the right, bold and ruled in a total. */
const stylesDeCellule = new Map<string, StyleCellule>();
function styleDeCellule(format: string | undefined, texte: boolean, total: boolean): StyleCellule {
  const cle = `${format ?? ''}|${texte}|${total}`;
  let style = stylesDeCellule.get(cle);
  if (!style) {
    style = {
      ...(format ? { format } : {}),
      ...(texte ? { vertical: 'top', retourALaLigne: true } : { horizontal: 'right' }),
      ...(total ? { police: { gras: true }, filetHaut: true } : {}),
    } satisfies StyleCellule;
    stylesDeCellule.set(cle, style);
  }
  return style;
}

/** The sheet name of a table: « T07 » and the start of its title, within Excel's 31 characters and without []:*?/\. */
export function nomDeFeuille(t: Tableau): string {
  const base = `T${String(t.numero).padStart(2, '0')} ${t.titre}`.replace(/[[\]:*?/\\']/g, ' ').replace(/\s+/g, ' ');
  return base.length > 31 ? base.slice(0, 31).trimEnd() : base;
}

export async function ecrireXlsx(
  document: DocumentBilan,
  indicateurs: readonly PublishedIndicatorRow[],
  libelle: (row: PublishedIndicatorRow) => string,
  /** The CIA's minimum denominator (`effectif_minimum`), for the `faible_effectif` column. */
  effectifMinimum: number,
): Promise<Buffer> {
  const tableaux = document.blocs.filter((b): b is Tableau => b.kind === 'tableau');
  const noms = new Map<Tableau, string>();
  for (const t of tableaux) noms.set(t, nomDeFeuille(t));
  return classeurOoxml({ titre: document.titre, auteur: 'Mixité', creation: new Date() }, [
    feuilleSommaire(document, tableaux, noms),
    feuilleAttention(document),
    ...tableaux.map((t) => feuilleDeTableau(noms.get(t) as string, t)),
    feuilleIndicateurs(indicateurs, libelle, effectifMinimum),
  ]);
}

function feuilleSommaire(document: DocumentBilan, tableaux: readonly Tableau[], noms: ReadonlyMap<Tableau, string>): FeuilleClasseur {
  const lien = (nom: string, texte: string): LigneClasseur => ({ cellules: [{ valeur: nom, style: LIEN, lien: `'${nom}'!A1` }, texte] });
  const lignes: (LigneClasseur | null)[] = [
    { cellules: [{ valeur: document.titre, style: TITRE_CLASSEUR }], style: TITRE_CLASSEUR },
    { cellules: [document.sousTitre] },
    ...document.mentions.map((m) => ({ cellules: [m] })),
    null,
    { cellules: [{ valeur: 'Feuille', style: GRAS }, { valeur: 'Contenu', style: GRAS }], style: GRAS },
    lien(FEUILLE_ATTENTION, 'Points d’attention établis à partir des chiffres'),
    ...tableaux.map((t) => lien(noms.get(t) as string, `Tableau ${t.numero} : ${t.titre}`)),
    lien(FEUILLE_INDICATEURS, `Indicateurs ${document.annee} publiés, format long (secret statistique appliqué)`),
    null,
    { cellules: [null, `« ${SECRET_SYMBOLE} » : secret statistique ; « ${VIDE_SYMBOLE} » : sans objet.`] },
  ];
  return { nom: FEUILLE_SOMMAIRE, lignes, largeurs: [14, 100] };
}

function feuilleAttention(document: DocumentBilan): FeuilleClasseur {
  const lignes: LigneClasseur[] = [{ cellules: [{ valeur: 'Niveau', style: GRAS }, { valeur: 'Point d’attention', style: GRAS }], style: GRAS }];
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
      lignes.push({ cellules: [LIBELLES_NIVEAU[item.niveau], { valeur: item.texte, style: TEXTE_LONG }] });
    }
  }
  return { nom: FEUILLE_ATTENTION, lignes, largeurs: [20, 140] };
}

function feuilleDeTableau(nom: string, t: Tableau): FeuilleClasseur {
  const lignes: (LigneClasseur | null)[] = [
    { cellules: [{ valeur: `Tableau ${t.numero} : ${t.titre}`, style: TITRE_TABLEAU }], style: TITRE_TABLEAU },
    null,
    { cellules: t.colonnes.map((c) => ({ valeur: c, style: ENTETE })), style: ENTETE },
  ];
  let secret = false;
  for (const ligne of t.lignes) {
    const total = ligne.total === true;
    lignes.push({
      cellules: ligne.cellules.map((cellule) => {
        if (cellule.kind === 'secret') secret = true;
        return { valeur: valeurExcel(cellule), style: styleDeCellule(formatExcel(cellule), cellule.kind === 'texte', total) };
      }),
      ...(total ? { style: GRAS } : {}),
    });
  }
  lignes.push(null);
  for (const note of t.notes) lignes.push({ cellules: [{ valeur: note, style: NOTE }], style: NOTE });
  if (secret) lignes.push({ cellules: [{ valeur: `« ${SECRET_SYMBOLE} » : secret statistique.`, style: NOTE }], style: NOTE });
  return { nom, lignes, largeurs: [44, ...t.colonnes.slice(1).map(() => 15)], figees: 3 };
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

/** The style of a rate or target cell of the long format: the raw fraction shown with the screen's decimals (80,98 % beside 81,00 %). */
const stylesDePourcentage = new Map<number, StyleCellule>();
function styleDePourcentage(decimales: number): StyleCellule {
  let style = stylesDePourcentage.get(decimales);
  if (!style) {
    style = { format: `0${decimales > 0 ? `.${'0'.repeat(decimales)}` : ''}%` };
    stylesDePourcentage.set(decimales, style);
  }
  return style;
}

function feuilleIndicateurs(rows: readonly PublishedIndicatorRow[], libelle: (row: PublishedIndicatorRow) => string, effectifMinimum: number): FeuilleClasseur {
  // The added columns come after every former one (the perimeter's name included), so that no column moves.
  const colonnes = [...INDICATOR_EXPORT_COLUMNS, SECRET_COLUMN, 'libelle_perimetre', ...INDICATOR_EXPORT_ADDED_COLUMNS];
  // The rows are made as the writer reads them: a whole region's 90 000 rows are never held twice.
  function* lignes(): Generator<LigneClasseur> {
    yield { cellules: colonnes.map((c) => ({ valeur: c, style: GRAS })), style: GRAS };
    for (const r of rows) {
      const pourcent = tauxPourcent(r);
      const style = pourcent === null ? undefined : styleDePourcentage(pourcent.split('.')[1]?.length ?? 0);
      yield {
        cellules: [
          celluleXlsx(r.indicateur),
          celluleXlsx(r.perimetre_type),
          celluleXlsx(r.perimetre_id),
          celluleXlsx(r.periode),
          celluleXlsx(r.numerateur),
          celluleXlsx(r.denominateur),
          style ? { valeur: celluleXlsx(r.taux), style } : celluleXlsx(r.taux),
          style && r.cible !== null ? { valeur: celluleXlsx(r.cible), style } : celluleXlsx(r.cible),
          celluleXlsx(r.ecart),
          celluleXlsx(enChiffre(r.atteint)),
          celluleXlsx(r.secret ?? null),
          celluleXlsx(libelle(r)),
          pourcent === null ? null : celluleXlsx(Number(pourcent)),
          celluleXlsx(enChiffre(faibleEffectif(r.denominateur, effectifMinimum))),
        ],
      };
    }
  }
  return {
    nom: FEUILLE_INDICATEURS,
    lignes: lignes(),
    largeurs: colonnes.map((c) => (c === 'libelle_perimetre' ? 44 : Math.max(12, c.length + 2))),
    figees: 1,
    filtre: colonnes.length,
  };
}
