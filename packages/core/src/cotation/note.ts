import { UC_PAR_DEFAUT } from '../config/cia-config.ts';
import { BOOLEAN_FALSE, BOOLEAN_TRUE, normaliseAmount, toIsoDate } from '../format/cells.ts';
import type { Row } from '../format/schemas.ts';
import type { PoidsUc } from '../quartile/quartile.ts';
import { estQ1, ressourcesParUc, unitesDeConsommation } from '../quartile/quartile.ts';
import type { ChampDerive, DefinitionChamp } from './champs.ts';
import { colonneLibre } from './champs.ts';
import type { Condition, CritereGrille, Grille, Portee, Scalaire, Section } from './grille.ts';
import { ID_REFUS, PREFIXE_PLAFOND, sectionPour } from './grille.ts';

/**
 * The pure reference of the cotation rules: the note of one request, line by line. The engine computes the same
 * thing in DuckDB SQL for every request at once (packages/data/src/cotation); this function is the executable
 * specification the property tests hold the SQL to, and it explains a note in tests and documentation.
 *
 * Rules (docs/cotation.md):
 * - a criterion holds when all its conditions hold; a condition on an unknown value never holds;
 * - a seniority criterion gives points_par_mois × months elapsed since `depuis` (whole months: the largest m with
 *   depuis + m months ≤ the reference date, month ends clamped), capped by `plafond`; no points when the date is unknown;
 * - in a heading `max` only the best criterion met counts (the first in the grid on a tie), in `somme` all count;
 *   then the heading's `plafond` caps the total, the cut shown as a line `plafond:<heading>`;
 * - refusals: `refus.points` per refusal (or once), at most `max_refus` refusals;
 * - the note is the sum of the lines, computed in hundredths of a point (exact ties).
 */

/** A request as the canonical format types it (decimals as numbers or decimal strings, dates ISO). */
export type DemandeACoter = Partial<{ [K in keyof Row<'demandes'>]: Row<'demandes'>[K] | (Row<'demandes'>[K] extends number | null ? string : never) }>;

export interface OptionsNote {
  /** Q1 threshold that applies to the request (€ per UC per year); null or absent: `q1` is unknown. */
  readonly seuilQ1?: number | string | null;
  /** UC weights of the CIA configuration. */
  readonly poids?: PoidsUc;
}

export interface LigneNote {
  /** Criterion id, `refus`, or `plafond:<heading id>`. */
  readonly id: string;
  readonly points: number;
  readonly centiemes: number;
}

export interface NoteDemande {
  readonly portee: Portee;
  readonly note: number;
  readonly centiemes: number;
  /** The lines that make the note, in the grid's order (criteria, then heading caps, then refusals). */
  readonly lignes: readonly LigneNote[];
}

const ISO_JOUR = /^(\d{4})-(\d{2})-(\d{2})$/;

function partiesDate(iso: string): [number, number, number] {
  const m = ISO_JOUR.exec(iso);
  if (!m) throw new RangeError(`date invalide « ${iso} » : AAAA-MM-JJ attendu`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

const dernierJourDuMois = (annee: number, mois: number): number => new Date(Date.UTC(annee, mois, 0)).getUTCDate();

/**
 * Whole months from `depuis` to `ref`: the largest m such that depuis + m months ≤ ref, adding months the way
 * DuckDB does (31 January + 1 month = 28 or 29 February). Negative when `depuis` is after `ref`.
 */
export function moisRevolus(depuis: string, ref: string): number {
  const [ya, ma, da] = partiesDate(depuis);
  const [yb, mb, db] = partiesDate(ref);
  const brut = 12 * (yb - ya) + (mb - ma);
  // The month is not complete when the day of ref is before the day of depuis, unless ref is the last day of its month.
  return brut - (db < da && db !== dernierJourDuMois(yb, mb) ? 1 : 0);
}

const sansEspacesAuxBords = (s: string) => s.replace(/^ +| +$/g, '');

/** The value of a derived field (same rules as the SQL of packages/data/src/cotation/cotation-sql.ts). */
function valeurDerivee(nom: ChampDerive, d: DemandeACoter, dateRef: string, options: OptionsNote): string | number | boolean | null {
  const poids = options.poids ?? UC_PAR_DEFAUT;
  const menage = { ressources_mensuelles: d.ressources_mensuelles ?? null, nb_personnes: toNumber(d.nb_personnes), nb_moins_14_ans: toNumber(d.nb_moins_14_ans) };
  switch (nom) {
    case 'commune_1': {
      if (d.communes_souhaitees === null || d.communes_souhaitees === undefined) return null;
      const premiere = sansEspacesAuxBords(String(d.communes_souhaitees).split('|')[0] ?? '');
      return premiere === '' ? null : premiere;
    }
    case 'taux_effort_actuel': {
      const loyer = toNumber(d.loyer_actuel);
      const ressources = toNumber(d.ressources_mensuelles);
      return loyer === null || ressources === null || ressources <= 0 ? null : loyer / ressources;
    }
    case 'anciennete_mois':
      return d.date_depot ? moisRevolus(d.date_depot, dateRef) : null;
    case 'uc':
      return unitesDeConsommation(menage, poids);
    case 'ressources_uc':
      return ressourcesParUc(menage, poids);
    case 'q1':
      return options.seuilQ1 === undefined || options.seuilQ1 === null ? null : estQ1(menage, options.seuilQ1, poids);
  }
}

function toNumber(v: unknown): number | null {
  if (v === null || v === undefined || v === '') return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : null;
}

/** The raw value of a field of the request (free columns as the text of the cell). */
export function valeurChamp(d: DemandeACoter, champ: DefinitionChamp, dateRef: string, options: OptionsNote = {}): string | number | boolean | null {
  switch (champ.origine) {
    case 'canonique': {
      const v = (d as Record<string, unknown>)[champ.nom];
      return v === undefined ? null : (v as string | number | boolean | null);
    }
    case 'derive':
      return valeurDerivee(champ.nom as ChampDerive, d, dateRef, options);
    case 'libre':
      return d.attributs?.[colonneLibre(champ.nom)] ?? null;
  }
}

/** Reads a free-column cell as a boolean like the importer does (1/oui/true/o/vrai, 0/non/false/n/faux). */
export function booleenLibre(cell: string): boolean | null {
  const v = sansEspacesAuxBords(cell).toLowerCase();
  if ((BOOLEAN_TRUE as readonly string[]).includes(v)) return true;
  if ((BOOLEAN_FALSE as readonly string[]).includes(v)) return false;
  return null;
}

/**
 * Reads a free-column cell as a number by the amounts' rule of the format (cells.ts `normaliseAmount`: `1 500`,
 * `1.500,50`, `2,75`), null when it is not one — `1.500` included, which the import refuses as ambiguous (1 500 or
 * 1,5): a free column is never read with a guess the format itself refuses.
 */
export function nombreLibre(cell: string): number | null {
  const n = normaliseAmount(cell.trim());
  return n === null ? null : Number(n);
}

function comparer(v: number | string, operateur: Condition['operateur'], valeur: number | string): boolean {
  switch (operateur) {
    case '=':
      return v === valeur;
    case '>':
      return v > valeur;
    case '>=':
      return v >= valeur;
    case '<':
      return v < valeur;
    case '<=':
      return v <= valeur;
    case 'in':
      return false;
  }
}

const valeursDe = (c: Condition): readonly Scalaire[] => (Array.isArray(c.valeur) ? c.valeur : [c.valeur as Scalaire]);

/** Whether a condition holds for a request. An unknown value never satisfies a condition. */
export function conditionVraie(c: Condition, d: DemandeACoter, dateRef: string, options: OptionsNote = {}): boolean {
  const brute = valeurChamp(d, c.champ, dateRef, options);
  if (brute === null) return false;
  const libre = c.champ.origine === 'libre';
  switch (c.comparaison) {
    case 'booleen': {
      const v = libre ? booleenLibre(String(brute)) : brute;
      return v !== null && v === c.valeur;
    }
    case 'texte': {
      const v = String(brute);
      return c.operateur === 'in' ? valeursDe(c).includes(v) : v === c.valeur;
    }
    case 'nombre': {
      const v = libre ? nombreLibre(String(brute)) : toNumber(brute);
      if (v === null) return false;
      return c.operateur === 'in' ? valeursDe(c).some((x) => x === v) : comparer(v, c.operateur, c.valeur as number);
    }
    case 'date': {
      const v = libre ? toIsoDate(String(brute)) : String(brute);
      if (v === null) return false;
      return c.operateur === 'in' ? valeursDe(c).includes(v) : comparer(v, c.operateur, c.valeur as string);
    }
    case 'liste': {
      const items = `|${String(brute).replaceAll(' ', '')}|`;
      return valeursDe(c).some((x) => items.includes(`|${String(x)}|`));
    }
  }
}

/** Points of one criterion in hundredths, or null when it does not hold. */
export function centiemesDuCritere(c: CritereGrille, d: DemandeACoter, dateRef: string, options: OptionsNote = {}): number | null {
  if (!c.conditions.every((cond) => conditionVraie(cond, d, dateRef, options))) return null;
  if (c.kind === 'points') return c.centiemes;
  const brute = valeurChamp(d, c.depuis, dateRef, options);
  const depuis = brute === null ? null : c.depuis.origine === 'libre' ? toIsoDate(String(brute)) : String(brute);
  if (depuis === null) return null;
  const points = Math.max(0, c.centiemesParMois * moisRevolus(depuis, dateRef));
  return c.plafondCentiemes === null ? points : Math.min(points, c.plafondCentiemes);
}

/** The lines of a section for a request (see the rules at the top of this file). */
export function lignesDeLaSection(section: Section, d: DemandeACoter, dateRef: string, options: OptionsNote = {}): LigneNote[] {
  const valeurs = new Map<string, number | null>(section.criteres.map((c) => [c.id, centiemesDuCritere(c, d, dateRef, options)]));
  const rubriqueDe = new Map<string, string>();
  for (const r of section.rubriques) for (const id of r.criteres) rubriqueDe.set(id, r.id);

  const compte = new Set<string>();
  const coupes: LigneNote[] = [];
  for (const r of section.rubriques) {
    // Grid order, not the heading's listing order, decides ties of a `max` heading.
    const atteints = section.criteres.filter((c) => rubriqueDe.get(c.id) === r.id && valeurs.get(c.id) !== null);
    if (atteints.length === 0) continue;
    let brut: number;
    if (r.mode === 'max') {
      let meilleur = atteints[0] as CritereGrille;
      for (const c of atteints) if ((valeurs.get(c.id) as number) > (valeurs.get(meilleur.id) as number)) meilleur = c;
      compte.add(meilleur.id);
      brut = valeurs.get(meilleur.id) as number;
    } else {
      for (const c of atteints) compte.add(c.id);
      brut = atteints.reduce((s, c) => s + (valeurs.get(c.id) as number), 0);
    }
    if (r.plafondCentiemes !== null && brut > r.plafondCentiemes) {
      const coupe = r.plafondCentiemes - brut;
      coupes.push({ id: `${PREFIXE_PLAFOND}${r.id}`, centiemes: coupe, points: coupe / 100 });
    }
  }

  const lignes: LigneNote[] = [];
  for (const c of section.criteres) {
    const v = valeurs.get(c.id) ?? null;
    if (v === null) continue;
    if (rubriqueDe.has(c.id) && !compte.has(c.id)) continue;
    lignes.push({ id: c.id, centiemes: v, points: v / 100 });
  }
  lignes.push(...coupes);
  const refus = toNumber(d.nb_refus);
  if (section.refus && refus !== null && refus > 0) {
    const n = section.refus.parRefus ? Math.min(refus, section.refus.maxRefus ?? refus) : 1;
    const v = section.refus.centiemes * n;
    lignes.push({ id: ID_REFUS, centiemes: v, points: v / 100 });
  }
  return lignes;
}

/** The note of a request under a grid at a reference date (ISO `AAAA-MM-JJ`). */
export function noteDe(demande: DemandeACoter, grille: Grille, dateRef: string, options: OptionsNote = {}): NoteDemande {
  partiesDate(dateRef);
  const section = sectionPour(grille, demande.mutation ?? null);
  const lignes = lignesDeLaSection(section, demande, dateRef, options);
  const centiemes = lignes.reduce((s, l) => s + l.centiemes, 0);
  return { portee: section.portee, note: centiemes / 100, centiemes, lignes };
}

/** ISO date plus `jours` days. */
export function ajouterJours(iso: string, jours: number): string {
  const [y, m, d] = partiesDate(iso);
  return new Date(Date.UTC(y, m - 1, d + jours)).toISOString().slice(0, 10);
}

/**
 * The twelve months before a reference date, the date included: from the day after the same date one year earlier
 * (29 February → 28 February, like DuckDB's INTERVAL arithmetic) to the date. 31/12/2024 → 01/01/2024–31/12/2024.
 */
export function douzeMoisAvant(dateRef: string): { debut: string; fin: string } {
  const [y, m, d] = partiesDate(dateRef);
  const jour = Math.min(d, dernierJourDuMois(y - 1, m));
  const unAnAvant = `${String(y - 1).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(jour).padStart(2, '0')}`;
  return { debut: ajouterJours(unAnAvant, 1), fin: dateRef };
}

/** Whether a text is a real ISO calendar date `AAAA-MM-JJ`. */
export const estDateIso = (texte: string): boolean => ISO_JOUR.test(texte) && toIsoDate(texte) === texte;
