import type { Composition, Financement } from '../format/codes.ts';

/**
 * Income ceilings of social housing (CCH R441-1, arrêté of 29 July 1987 as revised each year), kept as dated tables
 * (values in /work/shared/DOMAIN.md and REAL-FORMATS.md): the annual taxable income of year N−2 of the household
 * must be at or below the ceiling of its category, in the zone of the dwelling, for the dwelling's financing.
 *
 * - PLUS 2024 and 2025 for the three zones; PLS = PLUS × 1.3; PLAI 2025 for Paris and adjacent communes, PLAI 2022
 *   for the other regions (the other PLAI values are not confirmed: none is invented). PLI and `autre` have no table
 *   here: their ceiling is « inconnu » and not checked.
 * - A year without its own table takes the latest earlier one, and says which (`annee` of the result).
 */

export const ZONES_PLAFONDS = ['paris_limitrophes', 'ile_de_france', 'autres_regions'] as const;
export type ZonePlafonds = (typeof ZONES_PLAFONDS)[number];

export const LIBELLES_ZONE_PLAFONDS: Record<ZonePlafonds, string> = {
  paris_limitrophes: 'Paris et communes limitrophes',
  ile_de_france: 'Île-de-France hors Paris et communes limitrophes',
  autres_regions: 'autres régions',
};

interface TablePlafonds {
  readonly financement: 'plus' | 'plai';
  readonly annee: number;
  readonly zone: ZonePlafonds;
  /** Categories 1 to 6, € a year. */
  readonly categories: readonly [number, number, number, number, number, number];
  /** Per person beyond the sixth category. */
  readonly parPersonneSupplementaire: number;
  readonly source: string;
}

const ARRETE_2024 = 'arrêté du 29 juillet 1987 modifié, plafonds au 1er janvier 2024';
const ARRETE_2025 = 'arrêté du 29 juillet 1987 modifié, plafonds au 1er janvier 2025';

export const TABLES_PLAFONDS: readonly TablePlafonds[] = [
  { financement: 'plus', annee: 2024, zone: 'paris_limitrophes', categories: [26044, 38925, 51025, 60921, 72482, 81562], parPersonneSupplementaire: 9089, source: ARRETE_2024 },
  { financement: 'plus', annee: 2024, zone: 'ile_de_france', categories: [26044, 38925, 46789, 56046, 66347, 74662], parPersonneSupplementaire: 8319, source: ARRETE_2024 },
  { financement: 'plus', annee: 2024, zone: 'autres_regions', categories: [22642, 30238, 36362, 43899, 51641, 58200], parPersonneSupplementaire: 6492, source: ARRETE_2024 },
  { financement: 'plus', annee: 2025, zone: 'paris_limitrophes', categories: [26687, 39885, 52284, 62424, 74271, 83575], parPersonneSupplementaire: 9313, source: ARRETE_2025 },
  { financement: 'plus', annee: 2025, zone: 'ile_de_france', categories: [26687, 39885, 47944, 57429, 67984, 76504], parPersonneSupplementaire: 8524, source: ARRETE_2025 },
  { financement: 'plus', annee: 2025, zone: 'autres_regions', categories: [23201, 30984, 37259, 44982, 52915, 59636], parPersonneSupplementaire: 6652, source: ARRETE_2025 },
  { financement: 'plai', annee: 2025, zone: 'paris_limitrophes', categories: [14683, 23931, 31369, 34338, 40847, 45968], parPersonneSupplementaire: 5121, source: ARRETE_2025 },
  {
    financement: 'plai',
    annee: 2022,
    zone: 'autres_regions',
    categories: [11626, 16939, 20370, 22665, 26519, 29886],
    parPersonneSupplementaire: 3333,
    source: 'arrêté du 29 juillet 1987 modifié, plafonds au 1er janvier 2022',
  },
];

/** PLS ceilings are those of the PLUS times this factor (R331-12 CCH). */
export const FACTEUR_PLS = 1.3;

const ILE_DE_FRANCE = ['75', '77', '78', '91', '92', '93', '94', '95'];

/** The zone of the ceilings of a commune: Paris and the adjacent communes, the rest of Île-de-France, elsewhere. */
export function zonePlafonds(codeInsee: string, limitrophes: readonly string[]): ZonePlafonds {
  if (codeInsee.startsWith('75') || limitrophes.includes(codeInsee)) return 'paris_limitrophes';
  return ILE_DE_FRANCE.includes(codeInsee.slice(0, 2)) ? 'ile_de_france' : 'autres_regions';
}

/** What the category of a household is read from. */
export interface MenagePlafonds {
  readonly nb_personnes: number;
  readonly composition: Composition | null;
  /** A person of the household is disabled (the request's `handicap`). */
  readonly handicap: boolean;
}

/**
 * The household's category (1 to 6, then 7, 8… for each person beyond six): its number of persons, one more for a
 * single parent (« une personne seule avec k personnes à charge » is the category of k + 2 persons) or for a
 * household with a disabled person (« dont au moins une en situation de handicap »), not both. The « jeune
 * ménage » (a couple whose ages add up to 55 at most) is not recognised: the request gives one age only.
 */
export function categorieMenage(m: MenagePlafonds): number {
  const personnes = Math.max(1, Math.floor(m.nb_personnes));
  return personnes + (m.composition === 'monoparentale' || m.handicap ? 1 : 0);
}

export interface PlafondRessources {
  /** € a year. */
  readonly montant: number;
  readonly categorie: number;
  /** The year of the table used (earlier than the asked year when the latter has none). */
  readonly annee: number;
  readonly zone: ZonePlafonds;
  readonly source: string;
}

/** The ceiling for a financing, a year, a zone and a category; null when no table is known (PLI, autre, missing). */
export function plafondRessources(financement: Financement | null, annee: number, zone: ZonePlafonds, categorie: number): PlafondRessources | null {
  if (financement !== 'plus' && financement !== 'pls' && financement !== 'plai') return null;
  const base = financement === 'plai' ? 'plai' : 'plus';
  let retenue: TablePlafonds | null = null;
  for (const t of TABLES_PLAFONDS) if (t.financement === base && t.zone === zone && t.annee <= annee && (retenue === null || t.annee > retenue.annee)) retenue = t;
  if (retenue === null) return null;
  const c = Math.max(1, categorie);
  const plus = c <= 6 ? (retenue.categories[c - 1] as number) : retenue.categories[5] + (c - 6) * retenue.parPersonneSupplementaire;
  // The PLS ceiling is rounded to the euro like the published tables.
  const montant = financement === 'pls' ? Math.round(plus * FACTEUR_PLS) : plus;
  return { montant, categorie: c, annee: retenue.annee, zone, source: financement === 'pls' ? `${retenue.source} (PLUS × 1,3)` : retenue.source };
}
