/**
 * The bilan as a neutral document: sections of headings, paragraphs, lists, tables and charts, built once
 * from the figures (contenu/) and written by three renderers (rendu/: Word, HTML → PDF, Excel). Values are
 * typed, not preformatted, so that the workbook keeps numbers as numbers; every renderer formats them with
 * contenu/format.ts, so the three outputs print the same figures.
 */

import { formatEntier, formatEuros, formatPoints, formatPointsA, formatRatio, formatTaux, formatTauxA, formatVariation } from './format.ts';

export type Cellule =
  | { readonly kind: 'texte'; readonly texte: string }
  /** A count of households, dwellings or requests. */
  | { readonly kind: 'nombre'; readonly valeur: number }
  /** A share between 0 and 1, shown as a percentage (one decimal unless `decimales`: see formaterTauxContreCible). */
  | { readonly kind: 'taux'; readonly valeur: number; readonly decimales?: number }
  /** A relative change, signed, shown as a percentage (« +4,2 % »). */
  | { readonly kind: 'variation'; readonly valeur: number }
  /** A gap between two shares, shown in percentage points (one decimal unless `decimales`). */
  | { readonly kind: 'points'; readonly valeur: number; readonly decimales?: number }
  /** An amount in euros (per UC per year for quartile limits). */
  | { readonly kind: 'euros'; readonly valeur: number }
  /** A ratio or a mean, one decimal. */
  | { readonly kind: 'ratio'; readonly valeur: number }
  | { readonly kind: 'booleen'; readonly valeur: boolean }
  /** Masked by statistical secrecy: « s ». */
  | { readonly kind: 'secret' }
  /** Not applicable or unknown: « – ». */
  | { readonly kind: 'vide' };

export const SECRET_SYMBOLE = 's';
export const VIDE_SYMBOLE = '–';

export interface Ligne {
  readonly cellules: readonly Cellule[];
  /** Total rows are set in bold and closed by a rule. */
  readonly total?: boolean;
}

export interface Tableau {
  readonly kind: 'tableau';
  /** Stable id (e.g. `demande-quartiles`), used for the workbook's sheet names and by the tests. */
  readonly id: string;
  /** « Tableau 3 », numbered in the order of the document. */
  readonly numero: number;
  readonly titre: string;
  readonly colonnes: readonly string[];
  readonly lignes: readonly Ligne[];
  /** Source and reading notes, printed under the table. */
  readonly notes: readonly string[];
  /**
   * For a very long breakdown, the rows the Word and PDF documents print (indices, in order) and the note that
   * says so; the workbook always has every row. Printing fewer published rows never reveals anything.
   */
  readonly extrait?: { readonly lignes: readonly number[]; readonly note: string };
}

/** The rows of a table as the Word and PDF documents print them, with the notes to print under it. */
export function lignesImprimees(t: Tableau): { lignes: readonly Ligne[]; notes: readonly string[] } {
  if (!t.extrait) return { lignes: t.lignes, notes: t.notes };
  return { lignes: t.extrait.lignes.map((i) => t.lignes[i] as Ligne), notes: [...t.notes, t.extrait.note] };
}

export interface Graphique {
  readonly kind: 'graphique';
  readonly id: string;
  readonly numero: number;
  readonly titre: string;
  /** The chart drawn as standalone SVG (rasterised to PNG for Word). */
  readonly svg: string;
  readonly largeur: number;
  readonly hauteur: number;
  /** Text alternative: what the chart shows, in one or two sentences. */
  readonly description: string;
  /** The number of the table the chart is drawn from (its figures are there). */
  readonly tableau: number;
}

export type Bloc =
  | { readonly kind: 'titre'; readonly niveau: 1 | 2 | 3; readonly texte: string }
  | { readonly kind: 'paragraphe'; readonly texte: string; readonly style?: 'note' | 'encadre' }
  | { readonly kind: 'liste'; readonly items: readonly { readonly texte: string; readonly niveau?: NiveauAttention }[] }
  /** Starts a new page; the following pages are landscape or portrait (wide breakdown tables). */
  | { readonly kind: 'orientation'; readonly paysage: boolean }
  | Tableau
  | Graphique;

/** Points of attention are ranked: a missed legal target comes before a change worth a look. */
export type NiveauAttention = 'alerte' | 'vigilance' | 'information';

export const LIBELLES_NIVEAU: Record<NiveauAttention, string> = {
  alerte: 'Objectif manqué',
  vigilance: 'À surveiller',
  information: 'Pour information',
};

export interface DocumentBilan {
  readonly annee: number;
  readonly titre: string;
  readonly sousTitre: string;
  /** Lines of the title page (territory, date of production, data up to…). */
  readonly mentions: readonly string[];
  readonly blocs: readonly Bloc[];
}

// Cell constructors: a null count or share is masked unless said otherwise.
export const texte = (t: string): Cellule => ({ kind: 'texte', texte: t });
export const nombre = (v: number | null): Cellule => (v === null ? { kind: 'secret' } : { kind: 'nombre', valeur: v });
export const taux = (v: number | null, masque = true): Cellule => (v === null ? (masque ? { kind: 'secret' } : { kind: 'vide' }) : { kind: 'taux', valeur: v });
export const points = (v: number | null, masque = true): Cellule => (v === null ? (masque ? { kind: 'secret' } : { kind: 'vide' }) : { kind: 'points', valeur: v });
export const euros = (v: number | null): Cellule => (v === null ? { kind: 'vide' } : { kind: 'euros', valeur: v });
export const ratio = (v: number | null, masque = true): Cellule => (v === null ? (masque ? { kind: 'secret' } : { kind: 'vide' }) : { kind: 'ratio', valeur: v });
export const booleen = (v: boolean | null, masque = true): Cellule => (v === null ? (masque ? { kind: 'secret' } : { kind: 'vide' }) : { kind: 'booleen', valeur: v });
export const SECRET: Cellule = { kind: 'secret' };
export const VIDE: Cellule = { kind: 'vide' };

/** The text of a cell, as the Word and PDF documents print it. */
export function texteCellule(c: Cellule): string {
  switch (c.kind) {
    case 'texte':
      return c.texte;
    case 'nombre':
      return formatEntier(c.valeur);
    case 'taux':
      return c.decimales ? formatTauxA(c.valeur, c.decimales) : formatTaux(c.valeur);
    case 'points':
      return c.decimales ? formatPointsA(c.valeur, c.decimales) : formatPoints(c.valeur);
    case 'variation':
      return formatVariation(c.valeur);
    case 'euros':
      return formatEuros(c.valeur);
    case 'ratio':
      return formatRatio(c.valeur);
    case 'booleen':
      return c.valeur ? 'oui' : 'non';
    case 'secret':
      return SECRET_SYMBOLE;
    case 'vide':
      return VIDE_SYMBOLE;
  }
}
