import { parseCell } from '../format/cells.ts';
import type { ColumnSpec } from '../format/columns.ts';
import type { FileName, FileSpec } from '../format/files.ts';
import { FILE_SPECS } from '../format/files.ts';
import type { Echantillon } from './proposer.ts';

/** One cell of the preview: the source value, what the import will read, or why it will refuse it. */
export interface CelluleApercu {
  readonly brut: string;
  /** The value as read (after the code mapping), written as text; null for an empty cell. */
  readonly lu: string | null;
  /** The importer's « attendu » when the cell will be refused. */
  readonly erreur: string | null;
}

export interface Apercu {
  /** Canonical columns of the preview, in the file's order; headers left free are not shown. */
  readonly colonnes: readonly { readonly entete: string; readonly colonne: string }[];
  /** Columns of the format the mapping leaves without a header although they are required. */
  readonly obligatoiresManquantes: readonly string[];
  readonly lignes: readonly (readonly CelluleApercu[])[];
}

/**
 * The first rows of a sample as the import will read them through a mapping (headers → columns, values → codes):
 * the same cell rules as the importer (parseCell), so that a wrong choice shows before any import.
 */
export function apercuCorrespondance(
  echantillon: Echantillon,
  correspondance: { readonly colonnes: Readonly<Record<string, string>>; readonly codes: Readonly<Record<string, Readonly<Record<string, string>>>> },
  fichier: FileName,
  n = 5,
): Apercu {
  const spec: FileSpec = FILE_SPECS[fichier];
  const colonnes = echantillon.entetes
    .map((entete, i) => ({ entete, i, colonne: correspondance.colonnes[entete.trim()] ?? (entete.trim() in spec.columns ? entete.trim() : null) }))
    .filter((c): c is { entete: string; i: number; colonne: string } => c.colonne !== null && c.colonne in spec.columns);
  const presentes = new Set(colonnes.map((c) => c.colonne));
  const obligatoiresManquantes = Object.entries(spec.columns)
    .filter(([nom, col]) => col.required && !presentes.has(nom))
    .map(([nom]) => nom);
  const lignes = echantillon.lignes.slice(0, n).map((ligne) =>
    colonnes.map(({ i, colonne }) => {
      const brut = (ligne[i] ?? '').trim();
      const code = correspondance.codes[colonne]?.[brut];
      const valeur = code ?? brut;
      const lu = parseCell(spec.columns[colonne] as ColumnSpec, valeur);
      return lu.ok ? { brut, lu: lu.value === null ? null : String(lu.value), erreur: null } : { brut, lu: null, erreur: lu.attendu };
    }),
  );
  return { colonnes: colonnes.map(({ entete, colonne }) => ({ entete, colonne })), obligatoiresManquantes, lignes };
}
