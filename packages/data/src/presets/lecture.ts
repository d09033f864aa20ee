import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../store/store.ts';
import { ident, literal } from '../store/sql-types.ts';
import type { ImportProblem } from '../import/problems.ts';
import { maxProblemsPerFile, problem } from '../import/problems.ts';
import type { Delimiter, Encoding } from '../import/source-file.ts';
import { detectDelimiter, splitHeader } from '../import/source-file.ts';
import { scanFile } from '../import/byte-scan.ts';

/**
 * A preset's source file (RPLS, QPV list, arrêté annex) read into a TEMP DuckDB table of text cells named `c1`, `c2`…
 * in the header's order; `LIGNE_SOURCE` gives a row's line as a spreadsheet shows it (header = 1). Encoding (UTF-8, with or without
 * BOM, else Windows-1252/ISO-8859-1 transcoded) and delimiter (`;`, `,`, tab) are detected as the canonical import
 * does (import/source-file.ts). Rows with too many or too few cells are located errors; nothing is converted then.
 */

export interface SourceLue {
  readonly table: string;
  /** The file's headers, as written. */
  readonly entetes: readonly string[];
  readonly encodage: Encoding;
  readonly separateur: Delimiter;
  readonly lignes: number;
}

export type LectureSource = { readonly ok: true; readonly source: SourceLue } | { readonly ok: false; readonly problemes: readonly ImportProblem[] };

/** The spreadsheet line of a row of the source table (header = 1): rowids keep the file's order and survive deletions. */
export const LIGNE_SOURCE = '(rowid + 2)::INTEGER';

/** The SQL name of the cell of header number `i` (0-based). */
export const cellule = (i: number) => ident(`c${i + 1}`);

/** What a projection knows of the file besides its headers. */
export interface Lecture {
  /**
   * Some cell may start or end with a space (import/byte-scan.ts, `edgeSpaces`): the projection must trim. When false, trimming is a
   * no-op, and skipping it halves the cost of converting a large file (issue 17: `trim` on each of the 30 cells an
   * RPLS row is read for cost as much as the rest of the conversion).
   */
  readonly espaces: boolean;
}

/** A cell as the presets read it: trimmed when the file may hold edge spaces (`Lecture.espaces`), empty as NULL. */
export const celluleLue = (i: number, lecture: Lecture) => (lecture.espaces ? `nullif(trim(${cellule(i)}), '')` : `nullif(${cellule(i)}, '')`);

let compteur = 0;

/**
 * `projection`: given the headers, the SELECT list of the table over the raw cells (`cellule(i)`, untrimmed, or
 * `celluleLue(i, lecture)`, trimmed only when the file may need it): a
 * preset reading a large file converts while it reads, in one pass (an RPLS file has some 73 columns, the preset
 * reads about 30). Every column is still parsed, so that a row with a missing or extra cell is located. Without
 * it (or when it gives null), the table holds every cell, trimmed, empty as NULL.
 */
export async function lireSource(
  store: Store,
  chemin: string,
  fichier: string,
  dossier: string,
  projection?: (entetes: readonly string[], lecture: Lecture) => string | null,
  /** A SELECT over the projection's rows (given as a subquery), in the same pass: the RPLS preset types its cells there (import/relation-typee.ts). */
  envelopper?: (lignes: string) => string,
): Promise<LectureSource> {
  const echec = (message: string, ligne: number | null = null): LectureSource => ({ ok: false, problemes: [problem({ fichier, ligne, message })] });
  const ouvert = ouvrir(chemin, fichier, dossier);
  if (!ouvert.ok) return ouvert;
  const { csv, encodage, separateur, entetes, espaces } = ouvert;
  const table = `preset_source_${++compteur}`;
  const rejets = `${table}_rejets`;
  const colonnes = colonnesLues(entetes);
  const projete = projection?.(entetes, { espaces }) ?? null;
  const select = projete ?? entetes.map((_, i) => `nullif(trim(${cellule(i)}), '') AS ${cellule(i)}`).join(', ');
  try {
    const lignes = `SELECT ${select}
      FROM read_csv(${literal(csv)}, header = true, auto_detect = false, delim = ${literal(separateur)}, quote = '"', escape = '"',
                    columns = ${colonnes}, strict_mode = true, null_padding = false, store_rejects = true,
                    rejects_table = ${literal(rejets)}, rejects_scan = ${literal(`${rejets}_scan`)}, max_line_size = 1048576)`;
    await store.run(`CREATE OR REPLACE TEMP TABLE ${ident(table)} AS ${envelopper === undefined || projete === null ? lignes : envelopper(lignes)}`);
  } catch (error) {
    return echec(`fichier CSV illisible : ${(error as Error).message.split('\n')[0] ?? ''}`);
  }
  const mal = await store.all<{ ligne: number; csv_line: string | null }>(
    `SELECT DISTINCT ON (line) line::INTEGER AS ligne, csv_line FROM ${ident(rejets)} ORDER BY line LIMIT ${maxProblemsPerFile()}`,
  );
  for (const t of [rejets, `${rejets}_scan`]) await store.run(`DROP TABLE IF EXISTS temp.${ident(t)}`);
  if (mal.length > 0) {
    await oublierSource(store, table);
    return {
      ok: false,
      problemes: mal.map((m) =>
        problem({
          fichier,
          ligne: m.ligne,
          valeur: m.csv_line,
          message: `nombre de cellules différent de l’en-tête (${entetes.length} colonnes séparées par « ${separateur === '\t' ? 'tabulation' : separateur} ») ou guillemet mal placé`,
        }),
      ),
    };
  }
  // DuckDB skips blank lines: a file with blank lines inside sees its later line numbers shift (a line of empty cells
  // is a row, which the checks then report on its line).
  const [n] = await store.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${ident(table)}`);
  return { ok: true, source: { table, entetes, encodage, separateur, lignes: n?.n ?? 0 } };
}

interface Ouvert {
  readonly ok: true;
  /** A UTF-8 CSV DuckDB reads: the source, or its transcoded copy in the work folder. */
  readonly csv: string;
  readonly encodage: Encoding;
  readonly separateur: Delimiter;
  readonly entetes: readonly string[];
  readonly espaces: boolean;
}

/** The checks and detections made before DuckDB reads the file: emptiness, binary content, encoding, header, delimiter. */
function ouvrir(chemin: string, fichier: string, dossier: string): Ouvert | { readonly ok: false; readonly problemes: readonly ImportProblem[] } {
  const echec = (message: string, ligne: number | null = null) => ({ ok: false as const, problemes: [problem({ fichier, ligne, message })] });
  // The canonical import's byte checks, in one pass over fixed windows (import/byte-scan.ts): reading a 260 MB RPLS
  // file whole then checking its UTF-8 cost three times as much processor time (1.8 s against 0.6 s, issue 17).
  const scan = scanFile(chemin);
  const tete = scan.head;
  if (scan.size === 0) return echec('le fichier est vide : la ligne 1 doit contenir l’en-tête des colonnes');
  if (tete[0] === 0x50 && tete[1] === 0x4b) return echec('le fichier est une archive ou un classeur (ZIP/XLSX) : extrayez ou enregistrez le fichier CSV');
  if (scan.hasNul) return echec('le fichier n’est pas un texte CSV (contenu binaire)');
  let encodage: Encoding;
  let csv = chemin;
  if (tete[0] === 0xef && tete[1] === 0xbb && tete[2] === 0xbf) encodage = 'utf-8-bom';
  else if (scan.utf8) encodage = 'utf-8';
  else {
    // Older RPLS vintages are ISO-8859-1; Windows-1252 is its superset for every printable byte.
    encodage = 'windows-1252';
    csv = join(dossier, `source-${process.pid}-${++compteur}.csv`);
    writeFileSync(csv, new TextDecoder('windows-1252').decode(readFileSync(chemin)), 'utf8');
  }
  const fin = tete.indexOf(0x0a);
  const premiere = new TextDecoder(encodage === 'windows-1252' ? 'windows-1252' : 'utf-8').decode(tete.subarray(0, fin === -1 ? tete.length : fin)).replace(/^\uFEFF/, '').replace(/\r$/, '');
  if (premiere.trim() === '') return echec('la ligne 1 est vide : elle doit contenir l’en-tête des colonnes', 1);
  const separateur = detectDelimiter(premiere);
  const entetes = splitHeader(premiere, separateur).map((e) => e.trim());
  // Conservative (a tab, or a blank in the first bytes, counts too): trimming a cell without edge spaces changes nothing.
  return { ok: true, csv, encodage, separateur, entetes, espaces: scan.edgeSpaces[separateur] };
}

const colonnesLues = (entetes: readonly string[]) => `{${entetes.map((_, i) => `${literal(`c${i + 1}`)}: 'VARCHAR'`).join(', ')}}`;

export async function oublierSource(store: Store, table: string): Promise<void> {
  await store.run(`DROP TABLE IF EXISTS temp.${ident(table)}`);
}
