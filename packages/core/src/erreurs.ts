/**
 * One family of errors for every package (issue 11): a failure the user can act on is a `MixiteError` whose `kind`
 * says what went wrong, with a French message and, when it concerns a document, the located problems. The server
 * turns the kind into an HTTP status in one place (server/src/http/errors.ts), the command line into a message and
 * an exit code in one place (cli/src/erreurs.ts); nothing else maps errors. Anything that is not a MixiteError is a
 * fault of the program (or a database failure, translated by data/src/store/erreurs-base.ts).
 */

/**
 * Where a problem is and what it says: the base of every located problem (an import's `ImportProblem`, a grid's
 * `ProblemeGrille`, a settings field's `{ chemin, message }`). Only the message is always there; each producer
 * gives what it knows, and keeps its JSON shape (the web and the tests read it).
 */
export interface Probleme {
  readonly fichier?: string;
  /** Line as the user sees it: a spreadsheet's (header = 1) or a text's, 1-based; null for the whole file. */
  readonly ligne?: number | null;
  /** A column's name (CSV), or a position in a line of text (YAML), 1-based. */
  readonly colonne?: string | number | null;
  /** A key path in a document, e.g. `criteres[2].si.motif` or `cibles.hors_qpv_q1`. */
  readonly chemin?: string;
  /** The value read, as written. */
  readonly valeur?: string | null;
  /** What was expected, when said apart from the message. */
  readonly attendu?: string;
  readonly message: string;
}

/**
 * What went wrong, from the user's side:
 * - `requete_invalide`: a parameter is malformed (a date that does not exist, an unknown option value);
 * - `donnees_invalides`: a document (dataset, grid, settings, mapping) breaks rules: the problems say where;
 * - `introuvable`: what is asked for does not exist (or is outside the asker's perimeter: not told apart);
 * - `interdit`: the asker may not do this;
 * - `conflit`: the state does not allow it now (already exists, not ready);
 * - `base_endommagee`: the store's tables do not match its own record of them;
 * - `configuration_invalide`: the deployment is misconfigured (environment, key file, stored CIA settings);
 * - `outil_absent`: a native part Mixité needs is missing for this machine (the bilan's layout or chart renderer).
 */
export const GENRES_ERREUR = [
  'requete_invalide',
  'donnees_invalides',
  'introuvable',
  'interdit',
  'conflit',
  'base_endommagee',
  'configuration_invalide',
  'outil_absent',
] as const;
export type GenreErreur = (typeof GENRES_ERREUR)[number];

export interface OptionsErreur {
  /** The located problems, for a document. */
  readonly problemes?: readonly Probleme[] | undefined;
  /** A stable code more precise than the kind, for clients (e.g. `csrf`, `grille_non_publiee`). */
  readonly code?: string | undefined;
  readonly cause?: unknown;
}

/** The base of the family: never thrown itself (the kind is what the two mappings read). */
export abstract class MixiteError extends Error {
  abstract readonly kind: GenreErreur;
  readonly problemes: readonly Probleme[];
  readonly code: string | undefined;

  constructor(message: string, options: OptionsErreur = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.problemes = options.problemes ?? [];
    this.code = options.code;
  }
}

export class RequeteInvalideError extends MixiteError {
  readonly kind = 'requete_invalide' as const;
}
export class DonneesInvalidesError extends MixiteError {
  readonly kind = 'donnees_invalides' as const;
}
export class IntrouvableError extends MixiteError {
  readonly kind = 'introuvable' as const;
}
export class InterditError extends MixiteError {
  readonly kind = 'interdit' as const;
}
export class ConflitError extends MixiteError {
  readonly kind = 'conflit' as const;
}
export class BaseEndommageeError extends MixiteError {
  readonly kind = 'base_endommagee' as const;
}
export class ConfigurationInvalideError extends MixiteError {
  readonly kind = 'configuration_invalide' as const;
}
export class OutilAbsentError extends MixiteError {
  readonly kind = 'outil_absent' as const;
}

/** The members of the family, for code that switches on the kind. */
export type ErreurMixite =
  | RequeteInvalideError
  | DonneesInvalidesError
  | IntrouvableError
  | InterditError
  | ConflitError
  | BaseEndommageeError
  | ConfigurationInvalideError
  | OutilAbsentError;

export const estErreurMixite = (error: unknown): error is ErreurMixite => error instanceof MixiteError;

/** One line of text for a located problem: `fichier, ligne 4, colonne 50 (chemin) : valeur « v » — message`. */
export function formatLocalise(p: Probleme): string {
  const lieu = [p.fichier, p.ligne != null ? `ligne ${p.ligne}` : null, p.colonne != null ? `colonne ${p.colonne}` : null].filter((x) => x != null).join(', ');
  const chemin = p.chemin ? `${lieu ? ' ' : ''}(${p.chemin})` : '';
  const valeur = p.valeur != null ? ` : valeur « ${p.valeur.length > 60 ? `${p.valeur.slice(0, 60)}…` : p.valeur} »` : '';
  const attendu = p.attendu ? ` — attendu : ${p.attendu}` : '';
  const debut = `${lieu}${chemin}${valeur}`;
  return `${debut ? `${debut} — ` : ''}${p.message}${attendu}`;
}
