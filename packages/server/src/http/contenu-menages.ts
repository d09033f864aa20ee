import { setImmediate as pause } from 'node:timers/promises';
import { ressembleAUnPseudonyme } from '../auth/pseudonymes.ts';
import type { Colonne } from '../contract.ts';

/**
 * Whether a table the browser sends back to be exported holds household-level content. The generic export
 * (`POST /api/export`) only writes aggregate tables: household lists are exported by their query
 * (`POST /api/exports`), from the server's own rows, scoped, pseudonymised and logged. The table is judged by
 * what it holds, not by the names the client gave its columns:
 * - a column whose key or label names a household identifier (NUR, numéro unique, pseudonyme, NIR, id_demande…),
 *   in any case and with or without accents;
 * - a text cell shaped like a NUR (a département code then 8 to 15 digits, an optional letter) or like a pseudonym.
 */

/** Words of a column key or label that name a household identifier, matched on the lower-case unaccented text. */
const IDENTIFIANT = /(^|[^a-z])(nur|nir|numero[^a-z]*unique|n[^a-z]*unique|pseudonymes?|id[^a-z]*(demande|menage|demandeur))([^a-z]|$)/;

/** A NUR: département on three characters (`091`, `02A`, `971`), then the date and the sequence number. */
const NUR = /^(?:\d{3}|0?2[AB])\d{8,15}[A-Z]?$/i;

const normaliser = (texte: string): string =>
  texte
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

export const ressembleAUnNur = (texte: string): boolean => NUR.test(texte.trim());

/**
 * Why the table is household-level (in French, for the refusal), or null for an aggregate table. Reads the rows in
 * slices of a few milliseconds, pausing between them so that a large table does not hold the other requests.
 */
export async function contenuMenages(colonnes: readonly Colonne[], lignes: readonly object[]): Promise<string | null> {
  for (const col of colonnes) {
    if (IDENTIFIANT.test(normaliser(col.cle)) || IDENTIFIANT.test(normaliser(col.libelle))) {
      return `la colonne « ${col.libelle || col.cle} » désigne un identifiant de ménage`;
    }
  }
  let debut = performance.now();
  for (const [i, row] of lignes.entries()) {
    if (i % 100 === 0 && performance.now() - debut > 8) {
      await pause();
      debut = performance.now();
    }
    for (const [cle, value] of Object.entries(row)) {
      const textes = typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
      for (const texte of textes) {
        if (ressembleAUnNur(texte) || ressembleAUnPseudonyme(texte)) {
          const libelle = colonnes.find((c) => c.cle === cle)?.libelle ?? cle;
          return `la ligne ${i + 1}, colonne « ${libelle} », contient un numéro unique (NUR) ou un pseudonyme de ménage`;
        }
      }
    }
  }
  return null;
}
