import type { ColumnSpec } from '../format/columns.ts';
import type { FileName, FileSpec } from '../format/files.ts';
import { FILE_SPECS } from '../format/files.ts';
import {
  LIBELLES_COMPOSITION,
  LIBELLES_DECISION,
  LIBELLES_FINANCEMENT,
  LIBELLES_ISSUE,
  LIBELLES_LOGEMENT_ACTUEL,
  LIBELLES_MOTIF_DEMANDE,
  LIBELLES_MOTIF_REFUS,
  LIBELLES_STATUT_DEMANDE,
  LIBELLES_TYPE_BAILLEUR,
  LIBELLES_TYPE_RESERVATAIRE,
} from '../format/labels.ts';
import type { Forme } from './formes.ts';
import { formeDe } from './formes.ts';
import { SYNONYMES } from './synonymes.ts';

/**
 * Proposes a header mapping (« correspondance ») for an extraction whose headers are not the canonical ones:
 * for each header, the canonical column it most likely is — by the similarity of its name to the column's name
 * and usual labels, and by the shape of its values (a column of dates can only be a date column, a column of
 * INSEE codes a commune) — and, for code columns, the canonical code of each distinct value seen. A proposal, to be
 * reviewed: each choice says how sure it is and why. Pure: the sample is read by the caller.
 */

export interface Echantillon {
  readonly entetes: readonly string[];
  /** The first rows, cells as read (strings), in header order. */
  readonly lignes: readonly (readonly string[])[];
}

export interface ColonneProposee {
  readonly entete: string;
  /** The canonical column proposed, or null: the column is kept as a free attribute. */
  readonly colonne: string | null;
  /** 0 to 1: how sure the proposal is (below 0,6: to check first). */
  readonly confiance: number;
  readonly raison: string;
  readonly forme: Forme;
}

export interface PropositionCorrespondance {
  readonly fichier: FileName;
  readonly colonnes: readonly ColonneProposee[];
  /** Canonical column → (value seen → canonical code, or null when none fits). */
  readonly codes: Readonly<Record<string, Readonly<Record<string, string | null>>>>;
}

/** Below this score a header is left unmapped. */
const SEUIL_COLONNE = 0.45;
/** Below this score a value is left without a code. */
const SEUIL_CODE = 0.5;
/** Distinct values proposed per code column at most (a free-text column would have thousands). */
const VALEURS_MAX = 60;

/** The French labels of the code columns, to match the values an extraction writes in full. */
const LIBELLES_CODES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  statut: LIBELLES_STATUT_DEMANDE,
  composition: LIBELLES_COMPOSITION,
  logement_actuel: LIBELLES_LOGEMENT_ACTUEL,
  motif: LIBELLES_MOTIF_DEMANDE,
  decision: LIBELLES_DECISION,
  issue: LIBELLES_ISSUE,
  motif_refus: LIBELLES_MOTIF_REFUS,
  financement: LIBELLES_FINANCEMENT,
};
const LIBELLES_TYPE: Readonly<Partial<Record<FileName, Readonly<Record<string, string>>>>> = { bailleurs: LIBELLES_TYPE_BAILLEUR, reservataires: LIBELLES_TYPE_RESERVATAIRE };

/** Other ways of writing a code's value (the SNE's wording where it differs from ours). */
const SYNONYMES_CODES: Readonly<Record<string, readonly string[]>> = {
  attribuee: ['satisfaite', 'attribuee', 'attribution', 'logee'],
  radiee: ['radiee', 'radiation', 'annulee'],
  active: ['active', 'en cours', 'valide', 'renouvelee'],
  locataire_social: ['locataire hlm', 'parc social', 'locataire social', 'hlm'],
  locataire_prive: ['parc prive', 'locataire prive'],
  proprietaire: ['proprietaire occupant', 'proprietaire'],
  heberge_famille: ['chez parents', 'chez parents enfants', 'heberge famille', 'chez ses parents', 'famille'],
  heberge_tiers: ['chez un particulier', 'chez des amis', 'heberge tiers', 'tiers'],
  structure: ['structure d hebergement', 'chrs', 'hebergement'],
  sans_abri: ['sans abri', 'sdf', 'rue'],
  sans_logement: ['sans logement propre', 'sans logement'],
  personne_seule: ['isole', 'personne seule', 'seul'],
  couple: ['couple sans enfant', 'couple'],
  couple_enfants: ['couple avec enfants', 'couple avec enfant'],
  monoparentale: ['famille monoparentale', 'parent isole', 'monoparental'],
  separation: ['divorce separation', 'separation', 'divorce'],
  insalubre: ['logement insalubre', 'insalubrite', 'indigne'],
};

/** Lower case, no accents, words separated by one space: « Date de Dépôt » → « date de depot », « DT_DEPOT » → « dt depot ». */
export function normaliser(texte: string): string {
  return texte
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const MOTS_VIDES = new Set(['de', 'du', 'des', 'la', 'le', 'les', 'l', 'd', 'a', 'au', 'en', 'et']);
const mots = (t: string) => t.split(' ').filter((m) => m !== '' && !MOTS_VIDES.has(m));

function bigrammes(t: string): Map<string, number> {
  const s = t.replaceAll(' ', '');
  const out = new Map<string, number>();
  for (let i = 0; i < s.length - 1; i++) out.set(s.slice(i, i + 2), (out.get(s.slice(i, i + 2)) ?? 0) + 1);
  return out;
}

function dice(a: string, b: string): number {
  const x = bigrammes(a);
  const y = bigrammes(b);
  let commun = 0;
  let total = 0;
  for (const n of x.values()) total += n;
  for (const n of y.values()) total += n;
  for (const [k, n] of x) commun += Math.min(n, y.get(k) ?? 0);
  return total === 0 ? 0 : (2 * commun) / total;
}

/** Words in common, an abbreviation counting for most of its word (« typo » for « typologie », « souh » for « souhaitees »). */
function motsCommuns(a: string, b: string): number {
  const ma = mots(a);
  const mb = mots(b);
  if (ma.length === 0 || mb.length === 0) return 0;
  let score = 0;
  for (const m of ma) {
    let meilleur = 0;
    for (const n of mb) {
      if (m === n) meilleur = 1;
      else if (m.length >= 2 && n.startsWith(m)) meilleur = Math.max(meilleur, 0.85);
      else if (n.length >= 3 && m.startsWith(n)) meilleur = Math.max(meilleur, 0.7);
    }
    score += meilleur;
  }
  return score / Math.max(ma.length, mb.length);
}

/** How alike two labels are, 0 to 1. */
export function similarite(a: string, b: string): number {
  const x = normaliser(a);
  const y = normaliser(b);
  if (x === '' || y === '') return 0;
  if (x === y || x.replaceAll(' ', '') === y.replaceAll(' ', '')) return 1;
  return Math.max(dice(x, y) * 0.95, motsCommuns(x, y));
}

/** Whether values of a shape can fill a canonical column, and how much the shape says (bonus when it is telling). */
function compatibilite(forme: Forme, nom: string, col: ColumnSpec): { facteur: number; bonus: number } {
  const insee = nom.includes('insee') || (col.kind === 'text' && col.pattern?.regex.includes('0-9AB') === true);
  switch (forme) {
    case 'vide':
      return { facteur: 0.9, bonus: 0 };
    case 'date':
      return col.kind === 'date' ? { facteur: 1, bonus: 0.2 } : { facteur: 0, bonus: 0 };
    case 'insee':
      return insee ? { facteur: 1, bonus: 0.25 } : col.kind === 'list' ? { facteur: 1, bonus: 0.05 } : { facteur: 0, bonus: 0 };
    case 'liste_insee':
      return col.kind === 'list' ? { facteur: 1, bonus: 0.25 } : { facteur: 0, bonus: 0 };
    case 'nur':
      return nom === 'nur' ? { facteur: 1, bonus: 0.3 } : col.kind === 'text' && !insee ? { facteur: 0.6, bonus: 0 } : { facteur: 0, bonus: 0 };
    case 'booleen':
      return col.kind === 'boolean' ? { facteur: 1, bonus: 0.1 } : col.kind === 'integer' ? { facteur: 0.7, bonus: 0 } : { facteur: 0, bonus: 0 };
    case 'petit_entier':
      return col.kind === 'integer' ? { facteur: 1, bonus: 0.05 } : col.kind === 'decimal' || col.kind === 'code' ? { facteur: 0.6, bonus: 0 } : { facteur: 0, bonus: 0 };
    case 'montant':
      return col.kind === 'decimal' || col.kind === 'real' ? { facteur: 1, bonus: 0.15 } : col.kind === 'integer' ? { facteur: 0.6, bonus: 0 } : { facteur: 0, bonus: 0 };
    case 'texte':
      return col.kind === 'text' || col.kind === 'code' || col.kind === 'list' ? { facteur: 1, bonus: 0 } : { facteur: 0, bonus: 0 };
  }
}

/** The canonical codes of a code column with the ways to write each (the code, its label, synonyms). */
function formesDesCodes(fichier: FileName, nom: string, col: ColumnSpec): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (col.kind !== 'code') return out;
  const libelles = LIBELLES_CODES[nom] ?? (nom === 'type' ? LIBELLES_TYPE[fichier] : undefined) ?? {};
  for (const code of col.codes) out.set(code, [code.replaceAll('_', ' '), ...(libelles[code] ? [libelles[code]] : []), ...(SYNONYMES_CODES[code] ?? [])]);
  return out;
}

/** The canonical code a value most likely is, or null. */
export function codePropose(valeur: string, formes: ReadonlyMap<string, readonly string[]>): { code: string | null; score: number } {
  let meilleur: { code: string | null; score: number } = { code: null, score: 0 };
  for (const [code, ecritures] of formes) {
    for (const e of ecritures) {
      const s = similarite(valeur, e);
      if (s > meilleur.score) meilleur = { code, score: s };
    }
  }
  return meilleur.score >= SEUIL_CODE ? meilleur : { code: null, score: meilleur.score };
}

export function proposerCorrespondance(echantillon: Echantillon, fichier: FileName = 'demandes'): PropositionCorrespondance {
  const spec: FileSpec = FILE_SPECS[fichier];
  const colonnes = Object.entries(spec.columns);
  const valeursDe = (i: number) => echantillon.lignes.map((l) => l[i] ?? '');
  const formes = echantillon.entetes.map((_, i) => formeDe(valeursDe(i)));

  // Every (header, column) pair scored; the best pairs are taken first, each header and column once.
  const paires: { i: number; nom: string; score: number; raison: string }[] = [];
  echantillon.entetes.forEach((entete, i) => {
    const forme = formes[i] ?? 'vide';
    const distinctes = [...new Set(valeursDe(i).map((v) => v.trim()).filter((v) => v !== ''))].slice(0, VALEURS_MAX);
    for (const [nom, col] of colonnes) {
      const { facteur, bonus } = compatibilite(forme, nom, col);
      if (facteur === 0) continue;
      const libelles = [nom.replaceAll('_', ' '), ...(SYNONYMES[nom] ?? [])];
      let nomScore = 0;
      for (const l of libelles) nomScore = Math.max(nomScore, similarite(entete, l));
      // The values of a code column name their codes: a column whose values all read as statuses is the status.
      const codes = formesDesCodes(fichier, nom, col);
      const parValeurs = codes.size > 0 && distinctes.length > 0 ? distinctes.filter((v) => codePropose(v, codes).code !== null).length / distinctes.length : 0;
      const score = Math.min(1, nomScore * facteur + (nomScore >= 0.3 ? bonus : bonus / 2) + 0.35 * parValeurs);
      const raisons = [`nom ${Math.round(nomScore * 100)} %`, forme === 'vide' || forme === 'texte' ? null : `valeurs : ${LIBELLES_FORMES[forme]}`, parValeurs > 0 ? `${Math.round(parValeurs * 100)} % des valeurs reconnues comme codes` : null];
      paires.push({ i, nom, score, raison: raisons.filter((r) => r !== null).join(', ') });
    }
  });
  paires.sort((a, b) => b.score - a.score || a.i - b.i);
  const choix = new Map<number, { nom: string; score: number; raison: string }>();
  const prises = new Set<string>();
  for (const p of paires) {
    if (p.score < SEUIL_COLONNE || choix.has(p.i) || prises.has(p.nom)) continue;
    choix.set(p.i, p);
    prises.add(p.nom);
  }

  const proposees: ColonneProposee[] = echantillon.entetes.map((entete, i) => {
    const c = choix.get(i);
    return c
      ? { entete, colonne: c.nom, confiance: Math.round(c.score * 100) / 100, raison: c.raison, forme: formes[i] ?? 'vide' }
      : { entete, colonne: null, confiance: 0, raison: 'aucune colonne du format ne ressemble assez : gardée comme attribut libre', forme: formes[i] ?? 'vide' };
  });

  const codes: Record<string, Record<string, string | null>> = {};
  for (const [i, c] of choix) {
    const col = spec.columns[c.nom] as ColumnSpec;
    const formesCodes = formesDesCodes(fichier, c.nom, col);
    if (formesCodes.size === 0) continue;
    const table: Record<string, string | null> = {};
    for (const v of new Set(valeursDe(i).map((x) => x.trim()).filter((x) => x !== ''))) {
      if (Object.keys(table).length >= VALEURS_MAX) break;
      // A value already canonical needs no line in the mapping.
      if ((col.kind === 'code' && (col.codes as readonly string[]).includes(v)) || v === '') continue;
      table[v] = codePropose(v, formesCodes).code;
    }
    if (Object.keys(table).length > 0) codes[c.nom] = table;
  }
  return { fichier, colonnes: proposees, codes };
}

const LIBELLES_FORMES: Record<Forme, string> = {
  vide: 'vides',
  date: 'des dates',
  insee: 'des codes INSEE',
  liste_insee: 'des listes de codes INSEE',
  nur: 'des numéros uniques',
  booleen: 'oui/non',
  petit_entier: 'des petits entiers',
  montant: 'des montants',
  texte: 'du texte',
};

/**
 * The mapping file (docs/correspondances.md) of a reviewed proposal: headers with a column, values with a code.
 * Unmapped headers are left out (they stay free attributes); unmapped values too (the import names them).
 */
export function versCorrespondance(
  proposition: Pick<PropositionCorrespondance, 'fichier' | 'colonnes' | 'codes'>,
  nom: string,
  motifs: readonly string[] = [],
): { nom: string; description?: string; fichiers: Partial<Record<FileName, { fichiers: string[]; colonnes: Record<string, string>; codes: Record<string, Record<string, string>> }>> } {
  const colonnes: Record<string, string> = {};
  for (const c of proposition.colonnes) if (c.colonne !== null && c.colonne !== c.entete) colonnes[c.entete] = c.colonne;
  const codes: Record<string, Record<string, string>> = {};
  for (const [col, table] of Object.entries(proposition.codes)) {
    const gardes = Object.entries(table).filter((e): e is [string, string] => e[1] !== null);
    if (gardes.length > 0) codes[col] = Object.fromEntries(gardes);
  }
  return { nom, fichiers: { [proposition.fichier]: { fichiers: [...motifs], colonnes, codes } } };
}
