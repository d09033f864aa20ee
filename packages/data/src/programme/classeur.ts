import { basename } from 'node:path';
import ExcelJS from 'exceljs';
import type { ClasseurProgramme, LigneClasseur, Probleme, ProgrammeActions } from '@mixite/core';
import { FEUILLE_CONVENTION, FEUILLE_FICHES, celluleXlsx, lignesClasseurProgramme } from '@mixite/core';

/**
 * The action programme's workbook on disk (issue 19): its two sheets read as text with their line (the rules are in
 * core/src/programme/tableur.ts) and written back by the export. What a spreadsheet can hide (a formula without its
 * value, an error cell, merged cells) is refused with its cell, as the data import does (import/xlsx.ts).
 */

type Feuille = NonNullable<ClasseurProgramme['fiches']>;

export interface LectureClasseur {
  readonly classeur: ClasseurProgramme;
  /** Cells that cannot be read: when there is any, nothing is loaded. */
  readonly problemes: readonly Probleme[];
}

export async function lireFichierProgramme(contenu: Buffer | ArrayBuffer, fichier: string): Promise<LectureClasseur> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(contenu as ArrayBuffer);
  } catch {
    return {
      classeur: { fichier, convention: null, fiches: null },
      problemes: [{ fichier, ligne: null, message: 'classeur illisible : attendu un fichier Excel (.xlsx) avec les feuilles « Convention » et « Fiches »' }],
    };
  }
  const problemes: Probleme[] = [];
  const feuille = (nom: string): Feuille | null => {
    const sheet = workbook.worksheets.find((w) => w.name.trim().toLowerCase() === nom.toLowerCase());
    if (!sheet) return null;
    const ou = `${fichier}, feuille ${nom}`;
    const merges = (sheet.model as { merges?: unknown }).merges;
    if (Array.isArray(merges)) {
      for (const m of merges) {
        problemes.push({ fichier: ou, ligne: null, valeur: String(m), message: 'cellules fusionnées : défusionnez-les et écrivez la valeur dans chaque cellule' });
      }
    }
    const largeur = Math.max(sheet.columnCount, 1);
    const entete = sheet.getRow(1);
    const entetes = Array.from({ length: largeur }, (_, i) => texteCellule(entete.getCell(i + 1).value).texte.trim());
    const lignes: LigneClasseur[] = [];
    for (let r = 2; r <= sheet.rowCount; r++) {
      const row = sheet.getRow(r);
      const cellules: Record<string, string> = {};
      entetes.forEach((nomColonne, i) => {
        const lu = texteCellule(row.getCell(i + 1).value);
        if (lu.erreur) problemes.push({ fichier: ou, ligne: r, colonne: nomColonne || row.getCell(i + 1).address, message: lu.erreur });
        if (nomColonne !== '') cellules[nomColonne] = lu.texte;
      });
      lignes.push({ ligne: r, cellules });
    }
    return { entetes, lignes };
  };
  return { classeur: { fichier, convention: feuille(FEUILLE_CONVENTION), fiches: feuille(FEUILLE_FICHES) }, problemes };
}

function texteCellule(value: ExcelJS.CellValue): { texte: string; erreur?: string } {
  if (value === null || value === undefined) return { texte: '' };
  if (value instanceof Date) return { texte: value.toISOString().slice(0, 10) };
  if (typeof value === 'number') return { texte: Number.isInteger(value) ? BigInt(value).toString() : String(value) };
  if (typeof value === 'boolean') return { texte: value ? 'oui' : 'non' };
  if (typeof value === 'string') return { texte: value };
  if ('error' in value) return { texte: '', erreur: `cellule en erreur (${String(value.error)}) : corrigez-la ou videz-la` };
  if ('richText' in value) return { texte: value.richText.map((p) => p.text).join('') };
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as { result?: ExcelJS.CellValue }).result;
    if (result === undefined || result === null) return { texte: '', erreur: 'formule sans valeur calculée : ouvrez le classeur dans un tableur et enregistrez-le, ou collez les valeurs' };
    return texteCellule(result);
  }
  if ('text' in value) return { texte: String(value.text) };
  return { texte: '' };
}

/** The workbook of a programme: the sheets the import reads, every cell as text (a fiche number stays « 3 »). */
export async function classeurProgramme(programme: ProgrammeActions): Promise<Buffer> {
  const { convention, fiches } = lignesClasseurProgramme(programme);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Mixité';
  const ajouter = (nom: string, lignes: string[][], largeurs: number[]) => {
    const sheet = workbook.addWorksheet(nom, { views: [{ state: 'frozen', ySplit: 1 }] });
    // Text cells, never formulas (format/tableur.ts): a step written « -2024 : … » stays text and reads back the same.
    for (const l of lignes) sheet.addRow(l.map((c) => celluleXlsx(c)));
    sheet.getRow(1).font = { bold: true };
    sheet.columns.forEach((col, i) => {
      col.width = largeurs[i] ?? 20;
      col.alignment = { wrapText: true, vertical: 'top' };
    });
  };
  ajouter(FEUILLE_CONVENTION, convention, [16, 60]);
  ajouter(FEUILLE_FICHES, fiches, [8, 40, 30, 50, 60, 20, 30, 40, 40]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export const nomFichier = (chemin: string) => basename(chemin);
