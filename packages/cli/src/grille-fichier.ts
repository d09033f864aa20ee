import { existsSync, readFileSync } from 'node:fs';
import type { Grille } from '@mixite/core';
import { GrilleInvalideError, formatProbleme, parseGrille } from '@mixite/core';

/** Reads and checks a cotation grid file; prints every located problem and returns null when it is not valid. */
export function lireGrille(fichier: string): Grille | null {
  if (!existsSync(fichier)) {
    console.error(`Grille introuvable : ${fichier}`);
    return null;
  }
  try {
    return parseGrille(readFileSync(fichier, 'utf8'), fichier);
  } catch (error) {
    if (!(error instanceof GrilleInvalideError)) throw error;
    for (const p of error.problemes) console.error(formatProbleme(p));
    console.error(`\nGrille refusée : ${error.problemes.length} problème${error.problemes.length > 1 ? 's' : ''}.`);
    return null;
  }
}
