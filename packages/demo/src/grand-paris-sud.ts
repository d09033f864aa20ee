/**
 * Local knowledge of Grand Paris Sud that the administrative package does not carry.
 * The commune list itself comes from @etalab/decoupage-administratif (see territory.ts).
 */
import type { TypeBailleur } from './model.js';

export interface QpvLocal {
  code: string;
  nom: string;
  codeInsee: string;
  /** Relative size of its social stock. */
  poids: number;
  /** Retained by the NPNRU: its tenants are relocated (seed §I.2.A: "9 de ces QPV sont retenus au titre du NPNRU"). */
  npnru: boolean;
  assimile?: boolean;
}

/**
 * QPV of the six communes the seed names (§I.2.A: Evry-Courcouronnes, Corbeil-Essonnes, Grigny,
 * Ris-Orangis, Moissy-Cramayel, Savigny-le-Temple). The seed names only Grigny II (ORCOD IN); the
 * other names are neighbourhood names used for the demo and the codes follow the QN + département +
 * number pattern without being the official ones.
 */
export const QPV_GPS: readonly QpvLocal[] = [
  { code: 'QN09101M', nom: 'Pyramides - Bois Sauvage', codeInsee: '91228', poids: 9, npnru: true },
  { code: 'QN09102M', nom: 'Les Épinettes', codeInsee: '91228', poids: 3, npnru: false },
  { code: 'QN09103M', nom: 'Champtier du Coq', codeInsee: '91228', poids: 4, npnru: true },
  { code: 'QN09104M', nom: 'Parc aux Lièvres - Canal', codeInsee: '91228', poids: 6, npnru: false },
  { code: 'QN09105M', nom: 'Les Aunettes', codeInsee: '91228', poids: 3, npnru: false },
  { code: 'QN09106M', nom: 'Les Tarterêts', codeInsee: '91174', poids: 8, npnru: true },
  { code: 'QN09107M', nom: 'Montconseil', codeInsee: '91174', poids: 5, npnru: true },
  { code: 'QN09108M', nom: 'La Nacelle - Rive Droite', codeInsee: '91174', poids: 4, npnru: false },
  { code: 'QN09109M', nom: 'Les Papeteries', codeInsee: '91174', poids: 2, npnru: false },
  { code: 'QN09110M', nom: 'La Grande Borne', codeInsee: '91286', poids: 12, npnru: true },
  { code: 'QN09111M', nom: 'Grigny II', codeInsee: '91286', poids: 6, npnru: true },
  { code: 'QN09112M', nom: 'Le Plateau', codeInsee: '91521', poids: 5, npnru: true },
  { code: 'QN09113M', nom: 'Moulin à Vent', codeInsee: '91521', poids: 3, npnru: false },
  { code: 'QN07701M', nom: 'Le Noyer Perrot', codeInsee: '77296', poids: 5, npnru: true },
  { code: 'QN07702M', nom: 'Lugny - Centre', codeInsee: '77296', poids: 3, npnru: false },
  { code: 'QN07703M', nom: 'Le Plessis-le-Roi', codeInsee: '77445', poids: 5, npnru: true },
  { code: 'QN07704M', nom: 'Les Gros Buissons', codeInsee: '77445', poids: 4, npnru: false },
];

/**
 * Sectors the CIA may treat as QPV (fiche action 4: "Définir des secteurs pouvant être « assimilés »
 * aux QPV"): two illustrative fragile sectors, one in a commune without QPV.
 */
export const SECTEURS_ASSIMILES_GPS: readonly QpvLocal[] = [
  { code: 'AS07701', nom: 'Secteur fragile La Noue (ex-ZUS)', codeInsee: '77122', poids: 2, npnru: false, assimile: true },
  { code: 'AS09101', nom: 'Secteur fragile Le Bois Briard', codeInsee: '91228', poids: 1, npnru: false, assimile: true },
];

export interface BailleurLocal {
  nom: string;
  type: TypeBailleur;
  /** Share of the EPCI's stock. */
  part: number;
}

/**
 * The eight main bailleurs are the ones the seed lists for the CUS concertations (fiche action 7:
 * "EH, I3F et 3F77, MVH, Seqens, CDCH, Valophis, Antin"), which together hold 80 % of the stock
 * (§I.2.A). Their individual shares are demo values. The 26 others are fictitious, with the type mix
 * of §I.2.A (23 ESH, 4 OPH, one société d'aménagement, 2 coopératives, 4 others in all).
 */
export const GRANDS_BAILLEURS_GPS: readonly BailleurLocal[] = [
  { nom: 'Essonne Habitat', type: 'oph', part: 0.16 },
  { nom: 'Immobilière 3F', type: 'esh', part: 0.14 },
  { nom: '3F Seine-et-Marne', type: 'esh', part: 0.1 },
  { nom: 'Seqens', type: 'esh', part: 0.09 },
  { nom: 'CDC Habitat', type: 'esh', part: 0.09 },
  { nom: 'MVH', type: 'esh', part: 0.08 },
  { nom: 'Valophis', type: 'oph', part: 0.07 },
  { nom: 'Antin Résidences', type: 'esh', part: 0.07 },
];

export const PETITS_BAILLEURS_GPS: readonly { nom: string; type: TypeBailleur }[] = [
  { nom: 'Office Seine-Sénart Habitat', type: 'oph' },
  { nom: 'Habitat Public du Val de Seine', type: 'oph' },
  { nom: 'Aménagement Sénart Habitat', type: 'sem' },
  { nom: 'Coopérative Toits Partagés', type: 'coop' },
  { nom: 'Coop Habitat Essonne Sud', type: 'coop' },
  { nom: 'Fondation Logis Solidaire', type: 'autre' },
  { nom: 'Association Foyers Franciliens', type: 'autre' },
  { nom: 'Union Habitat Jeunes Travailleurs', type: 'autre' },
  { nom: 'Caisse Immobilière des Cheminots', type: 'autre' },
  ...[
    'Résidences du Hurepoix', 'Immobilière Seine Amont', 'Logis de Sénart', 'Foyer Essonnien', 'Habitat Val d\'Yerres',
    'Les Toits de la Seine', 'Immobilière du Gâtinais', 'Résidences Orge et Seine', 'Logement Francilien Social',
    'Habitat Coeur de Brie', 'Immobilière des Deux Rives', 'Les Terrasses de l\'Essonne', 'Demeures Sociales du Sud',
    'Habitat Plaine Centrale', 'Foyer Moderne de Sénart', 'Immobilière Horizon Sud', 'Résidences Pierre et Seine',
  ].map((nom) => ({ nom, type: 'esh' as const })),
];

/**
 * Approximate centres of the 23 communes (WGS84), for the residences' coordinates on the demo map:
 * the administrative package has no geometry. Communes missing here get empty coordinates.
 */
export const CENTRES_GPS: Readonly<Record<string, readonly [number, number]>> = {
  '91228': [48.6295, 2.4406], '91174': [48.6093, 2.4800], '77445': [48.5745, 2.5829], '91521': [48.6524, 2.4159],
  '91286': [48.6549, 2.3935], '77122': [48.6646, 2.5630], '77296': [48.6270, 2.5928], '77251': [48.6337, 2.5486],
  '91573': [48.6112, 2.4958], '77067': [48.5622, 2.6042], '91086': [48.6131, 2.3803], '77495': [48.5670, 2.6229],
  '91553': [48.6217, 2.4886], '91600': [48.6484, 2.4524], '91340': [48.6027, 2.4249], '77326': [48.5834, 2.5633],
  '91577': [48.5962, 2.4943], '91659': [48.5895, 2.4518], '91179': [48.5636, 2.4997], '91617': [48.6424, 2.5075],
  '91225': [48.6339, 2.4790], '77384': [48.6060, 2.6228], '91435': [48.5730, 2.4908],
};
