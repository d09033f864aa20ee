import { readFileSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import type { Grille, PolitiqueSimulation } from '@mixite/core';
import { IntrouvableError, lirePolitique, parseGrille } from '@mixite/core';

/** A policy read from its file, with its grid (read relative to the policy's folder) when it orders by cotation. */
export interface PolitiqueLue {
  /** The file's name without extension: the `politique` column of the results. */
  readonly id: string;
  readonly politique: PolitiqueSimulation;
  readonly grille: Grille | null;
}

function lire(chemin: string, quoi: string): string {
  try {
    return readFileSync(chemin, 'utf8');
  } catch {
    throw new IntrouvableError(`${quoi} introuvable : ${chemin}`);
  }
}

export function lirePolitiqueFichier(chemin: string): PolitiqueLue {
  const politique = lirePolitique(lire(chemin, 'fichier de politique'), basename(chemin));
  let grille: Grille | null = null;
  if (politique.grille !== undefined) {
    const cheminGrille = resolve(dirname(chemin), politique.grille);
    grille = parseGrille(lire(cheminGrille, `grille de cotation de la politique ${basename(chemin)}`), basename(cheminGrille));
  }
  return { id: basename(chemin, extname(chemin)), politique, grille };
}
