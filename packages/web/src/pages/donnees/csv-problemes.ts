import type { ImportProblem, ImportReport } from '@mixite/server/contract';
import { texteCsv } from '@mixite/core';

/**
 * The located problems of a report as a CSV the user opens in a spreadsheet: every row the report lists (the
 * checks list their first rows; the causes give the full counts), `;`, UTF-8 with BOM so that Excel reads the
 * accents. Cells come from the user's files: neutralised (texteCsv) so that none runs as a formula.
 */
export function csvProblemes(rapport: ImportReport): string {
  const entete = ['severite', 'fichier', 'ligne', 'colonne', 'valeur', 'message', 'cause', 'lignes_de_la_cause'];
  const ligne = (p: ImportProblem) =>
    [p.severite, p.fichier, p.ligne === null ? '' : String(p.ligne), p.colonne ?? '', p.valeur ?? '', p.message, p.cause ?? p.message, p.nombre === undefined ? '' : String(p.nombre)]
      .map(cellule)
      .join(';');
  return `\uFEFF${[entete.join(';'), ...rapport.erreurs.map(ligne), ...rapport.avertissements.map(ligne)].join('\r\n')}\r\n`;
}

function cellule(texte: string): string {
  const sur = texteCsv(texte);
  return /[;"\r\n]/.test(sur) ? `"${sur.replaceAll('"', '""')}"` : sur;
}

/** Hands a text file to the browser (no server round trip: the report is already here). */
export function telecharger(nom: string, contenu: string): void {
  const lien = document.createElement('a');
  lien.href = URL.createObjectURL(new Blob([contenu], { type: 'text/csv;charset=utf-8' }));
  lien.download = nom;
  document.body.append(lien);
  lien.click();
  lien.remove();
  setTimeout(() => URL.revokeObjectURL(lien.href), 10_000);
}
