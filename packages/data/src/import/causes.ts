import type { Severity } from '@mixite/core';
import type { ImportProblem } from './problems.ts';

/**
 * The problems of an import grouped by cause. A missing `logements.csv` makes every line of `attributions.csv`
 * fail the same way: the reader needs one line saying so, with the count, and a few located examples — not
 * 200 identical lines. The located problems themselves are kept unchanged in the report (and downloadable).
 *
 * A cause is one check on one column of one file: same severity, file, column and cause text (the problem's
 * `cause` when the check gives one, else its message). Its count is the check's full count when the check
 * reports it (`nombre`: the checks list only their first rows), else the number of rows listed.
 */
export interface ImportCause {
  readonly severite: Severity;
  readonly fichier: string;
  readonly colonne: string | null;
  /** What is wrong, in French, e.g. « logements.csv manquant : 104 952 lignes de attributions.csv y renvoient ». */
  readonly libelle: string;
  /** How many rows have this problem (all of them, listed or not). */
  readonly nombre: number;
  /** The first located rows of the cause, in line order. */
  readonly exemples: readonly ImportProblem[];
}

/** Examples kept per cause in the report. */
export const EXEMPLES_PAR_CAUSE = 5;

/** Groups problems by cause: errors first, then the causes with most rows, then file and column order. */
export function grouperParCause(problemes: readonly ImportProblem[], exemples = EXEMPLES_PAR_CAUSE): ImportCause[] {
  const groupes = new Map<string, { premier: ImportProblem; liste: ImportProblem[]; nombre: number; ordre: number }>();
  for (const p of problemes) {
    const libelle = p.cause ?? p.message;
    const cle = JSON.stringify([p.severite, p.fichier, p.colonne, libelle]);
    let g = groupes.get(cle);
    if (!g) {
      g = { premier: p, liste: [], nombre: 0, ordre: groupes.size };
      groupes.set(cle, g);
    }
    g.liste.push(p);
    g.nombre = Math.max(g.nombre, p.nombre ?? 0);
  }
  return [...groupes.values()]
    .map((g) => ({
      ordre: g.ordre,
      cause: {
        severite: g.premier.severite,
        fichier: g.premier.fichier,
        colonne: g.premier.colonne,
        libelle: g.premier.cause ?? g.premier.message,
        nombre: Math.max(g.nombre, g.liste.length),
        exemples: [...g.liste].sort((a, b) => (a.ligne ?? 0) - (b.ligne ?? 0)).slice(0, exemples),
      },
    }))
    .sort((a, b) => rang(a.cause.severite) - rang(b.cause.severite) || b.cause.nombre - a.cause.nombre || a.ordre - b.ordre)
    .map((x) => x.cause);
}

const rang = (s: Severity) => (s === 'erreur' ? 0 : 1);
