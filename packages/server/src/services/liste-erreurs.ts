import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { texteCsv } from '@mixite/core';
import type { ImportProblem } from '@mixite/data';

/** The columns of the full list: those of the report's CSV on the Données page (web csv-problemes.ts). */
export const ENTETE_LISTE_ERREURS = ['severite', 'fichier', 'ligne', 'colonne', 'valeur', 'message', 'cause', 'lignes_de_la_cause'] as const;

/** Lines written to the stream at once: a list of a hundred thousand errors never sits whole in one string. */
const PAQUET = 2_000;

/**
 * Writes every located problem of an uncapped simulation to a CSV file (`;`, UTF-8 with BOM for Excel, CRLF). Cells
 * come from the user's files: neutralised (texteCsv) so that none runs as a formula when the list is opened.
 */
export async function ecrireListeErreurs(chemin: string, problemes: readonly ImportProblem[]): Promise<void> {
  const sortie = createWriteStream(chemin, { mode: 0o600 });
  const fini = once(sortie, 'finish');
  try {
    sortie.write(`\uFEFF${ENTETE_LISTE_ERREURS.join(';')}\r\n`);
    for (let i = 0; i < problemes.length; i += PAQUET) {
      const texte = problemes.slice(i, i + PAQUET).map(ligneCsv).join('');
      if (!sortie.write(texte)) await once(sortie, 'drain');
    }
  } finally {
    sortie.end();
  }
  await fini;
}

function ligneCsv(p: ImportProblem): string {
  return `${[p.severite, p.fichier, p.ligne === null ? '' : String(p.ligne), p.colonne ?? '', p.valeur ?? '', p.message, p.cause ?? p.message, p.nombre === undefined ? '' : String(p.nombre)]
    .map(cellule)
    .join(';')}\r\n`;
}

function cellule(texte: string): string {
  const sur = texteCsv(texte);
  return /[;"\r\n]/.test(sur) ? `"${sur.replaceAll('"', '""')}"` : sur;
}
