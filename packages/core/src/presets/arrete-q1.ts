import { normaliserEnTete } from './en-tetes.ts';

/**
 * The annex of the yearly arrêté of Q1 thresholds (REAL-FORMATS.md): département code, département, EPCI name,
 * EPCI SIREN headed « SIRET », threshold in € per consumption unit and per year; Q2 and Q3 limits may be added
 * (they circulate, e.g. the Hauts-de-France URH calculator). The exact header spellings are not published: a header is
 * read by the words it holds, after normalisation (en-tetes.ts) and with spaces and punctuation as `_`.
 */

export const ROLES_ARRETE = ['annee', 'code_departement', 'departement', 'epci', 'siren', 'seuil_q1', 'seuil_q2', 'seuil_q3', 'departements', 'source'] as const;
export type RoleArrete = (typeof ROLES_ARRETE)[number];

const mots = (entete: string) => normaliserEnTete(entete).replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');

const CODES_DEPARTEMENT = new Set(['dep', 'code_dep', 'code_departement', 'code_du_departement', 'departement_code', 'n_departement', 'num_departement', 'numero_departement', 'n_dep']);

/** The role of one header of the annex, or null. */
function roleDe(entete: string): RoleArrete | null {
  const m = mots(entete);
  if (m === 'annee') return 'annee';
  if (m === 'source') return 'source';
  if (m === 'departements') return 'departements';
  if (/siret|siren/.test(m)) return 'siren';
  if (/(^|_)q2($|_)|deuxieme_quartile|mediane/.test(m)) return 'seuil_q2';
  if (/(^|_)q3($|_)|troisieme_quartile/.test(m)) return 'seuil_q3';
  if (/seuil|montant|(^|_)q1($|_)|premier_quartile/.test(m)) return 'seuil_q1';
  if (/epci|intercommunal/.test(m)) return 'epci';
  if (CODES_DEPARTEMENT.has(m)) return 'code_departement';
  if (/departement/.test(m)) return 'departement';
  return null;
}

/** Which header plays each role (the first one found). */
export function rolesArrete(entetes: readonly string[]): Partial<Record<RoleArrete, string>> {
  const out: Partial<Record<RoleArrete, string>> = {};
  for (const e of entetes) {
    const r = roleDe(e);
    if (r !== null && out[r] === undefined) out[r] = e;
  }
  return out;
}

/** The annex of an arrêté: an EPCI column, its SIREN (« SIRET ») and a threshold. */
export function reconnaitreArrete(entetes: readonly string[]): Partial<Record<RoleArrete, string>> | null {
  const r = rolesArrete(entetes);
  return r.siren !== undefined && r.seuil_q1 !== undefined && r.epci !== undefined ? r : null;
}

/** The thresholds shipped with the product (seuils/arretes-publies.csv): `annee;departements;code_epci;seuil_q1;…`. */
export function reconnaitreSeuilsPublies(entetes: readonly string[]): Partial<Record<RoleArrete, string>> | null {
  const r = rolesArrete(entetes);
  return r.annee !== undefined && r.departements !== undefined && r.seuil_q1 !== undefined ? r : null;
}

/**
 * An amount of the annex in euros: `12 083`, `12083`, `12 083 €`, `12083,00`, `12 083,5` (spaces of any kind as
 * thousands, comma or point as decimal). Null when it is not one (a located error for the caller).
 */
export function montantArrete(texte: string): number | null {
  const t = texte.replace(/[\s\u00a0\u202f€]/g, '').replace(',', '.');
  return /^[0-9]+(\.[0-9]+)?$/.test(t) ? Number(t) : null;
}

/** The EPCI's SIREN from the « SIRET » column: 9 digits, or the first 9 of a 14-digit SIRET (SIREN + NIC); else null. */
export function sirenArrete(texte: string): string | null {
  const t = texte.replace(/[\s\u00a0\u202f.]/g, '');
  if (/^[0-9]{9}$/.test(t)) return t;
  if (/^[0-9]{14}$/.test(t)) return t.slice(0, 9);
  return null;
}
