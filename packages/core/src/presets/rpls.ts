import type { Financement } from '../format/codes.ts';
import type { Alias } from './en-tetes.ts';
import { rolesDesEnTetes } from './en-tetes.ts';

/**
 * The RPLS preset (docs/presets.md): the social stock file of the SDES, open (« données détaillées au logement ») or
 * fuller (« version loi », with rent, occupation and reservation), one row per dwelling, read into `logements.csv`
 * (and `residences.csv`, one residence per address, which carries the coordinates). Sources: shared REAL-FORMATS.md,
 * « RPLS » section (SDES data model, public code reading the file); what is not confirmed there is said below.
 */

export const ROLES_RPLS = [
  'identifiant',
  'bailleur',
  'commune',
  'code_postal',
  'num_voie',
  'ind_rep',
  'type_voie',
  'nom_voie',
  'lieu_dit',
  'batiment',
  'immeuble',
  'entree',
  'escalier',
  'couloir',
  'etage',
  'num_appt',
  'qpv',
  'code_qp',
  'nb_pieces',
  'surface',
  'construction',
  'premiere_location',
  'financement',
  'cus',
  'x',
  'y',
  'epsg',
  'pmr',
  'loyer',
  'mode',
  'reservation',
] as const;
export type RoleRpls = (typeof ROLES_RPLS)[number];

/**
 * Normalised header spellings of each role (en-tetes.ts): the current names, the names up to the 2024 vintage
 * (`DEPCOM_CODE`), the geocoded vintage's (`QPV`, `FINAN`), the 2017 `_red` suffix (dropped by the normalisation).
 * `identifiant`, `bailleur` and `reservation` are not in the open file and their names in the fuller file are not
 * confirmed: the spellings listed are guesses a user can also write in their file's header.
 */
export const ALIAS_RPLS: Alias<RoleRpls> = {
  identifiant: ['identifiant', 'id_logement', 'ident_int', 'id'],
  bailleur: ['bailleur_id', 'bailleur', 'siren_bailleur'],
  commune: ['depcom', 'depcom_code'],
  code_postal: ['codepostal', 'code_postal'],
  num_voie: ['numvoie'],
  ind_rep: ['indrep'],
  type_voie: ['typvoie'],
  nom_voie: ['nomvoie'],
  lieu_dit: ['lieudit'],
  batiment: ['bat'],
  immeuble: ['immeu'],
  entree: ['entree'],
  escalier: ['esc'],
  couloir: ['couloir'],
  etage: ['etage'],
  num_appt: ['numappt'],
  qpv: ['qpv_code', 'qpv'],
  code_qp: ['plg_qp'],
  nb_pieces: ['nbpiece'],
  surface: ['surfhab'],
  construction: ['construct'],
  premiere_location: ['locat'],
  financement: ['finan_code', 'finan'],
  cus: ['cus'],
  x: ['x'],
  y: ['y'],
  epsg: ['epsg'],
  pmr: ['pmr_code', 'pmr'],
  loyer: ['loyerprinc'],
  mode: ['mode'],
  reservation: ['reservation', 'reserv', 'contingent'],
};

/** The roles without which a file is not an RPLS file. */
const ROLES_OBLIGATOIRES: readonly RoleRpls[] = ['commune', 'nb_pieces'];

/** The header roles of an RPLS file, or null when the headers are not those of an RPLS file. */
export function reconnaitreRpls(entetes: readonly string[]): Partial<Record<RoleRpls, string>> | null {
  const roles = rolesDesEnTetes(entetes, ALIAS_RPLS);
  if (!ROLES_OBLIGATOIRES.every((r) => roles[r] !== undefined)) return null;
  // Two of the stock's own columns besides: a file merely holding a `depcom` column is not RPLS.
  const propres = (['surface', 'construction', 'financement', 'premiere_location', 'qpv'] as const).filter((r) => roles[r] !== undefined);
  return propres.length >= 2 ? roles : null;
}

/**
 * `FINAN_CODE` → canonical `financement` (REAL-FORMATS.md): 10 PLAI, 11 PLA LM/TS/insertion → plai; 12 PLA ordinaire,
 * 13 PLUS, 50 HBM, 51 PLR/PSR, 52 HLM/O → plus; 14 PLS/PPLS/PCLS/PLA CFF → pls; 16 PLI, 53 ILM, 54 ILN → pli;
 * 15 (PAP locatif, not confirmed), 17 PCL, 49 other after 1977, 55 CFF special loans, 99 other before 1977 → autre.
 * Any other code is an error: the preset does not guess a financing.
 */
export const FINANCEMENT_RPLS: Readonly<Record<string, Financement>> = {
  '10': 'plai',
  '11': 'plai',
  '12': 'plus',
  '13': 'plus',
  '50': 'plus',
  '51': 'plus',
  '52': 'plus',
  '14': 'pls',
  '16': 'pli',
  '53': 'pli',
  '54': 'pli',
  '15': 'autre',
  '17': 'autre',
  '49': 'autre',
  '55': 'autre',
  '99': 'autre',
};

/** `CUS` values that win over `FINAN_CODE` (REAL-FORMATS.md: « when the CUS column holds PLAI/PLUS/PLS/PLI, prefer it »). */
export const FINANCEMENT_CUS: Readonly<Record<string, Financement>> = { PLAI: 'plai', PLUS: 'plus', PLS: 'pls', PLI: 'pli' };

/** `LOYERPRINC` when the rent is not applicable: the dwelling is kept, `loyer` left empty. */
export const LOYER_SANS_OBJET = '9999';

/**
 * `MODE` (occupation on 1 January, fuller file): 1 let, 2 vacant and offered, 3 empty (works, demolition, sale),
 * 4 let to an association, 5 occupied, 9 not applicable. Kept as the free attribute `mode_rpls`; a let dwelling
 * (1) whose rent is 9999 or empty is reported (warning).
 */
export const MODES_RPLS: Readonly<Record<string, string>> = {
  '1': 'loué',
  '2': 'vacant proposé à la location',
  '3': 'vide (travaux, démolition, vente)',
  '4': 'loué à une association',
  '5': 'occupé',
  '9': 'sans objet',
};
export const MODE_LOUE = '1';

/**
 * `PMR_CODE` → `pmr`: 1 = accessible (oui), 2 = not accessible (non), other codes left empty. The code list is
 * not confirmed in REAL-FORMATS.md: written here once, documented in docs/presets.md.
 */
export const PMR_RPLS: Readonly<Record<string, boolean>> = { '1': true, '2': false };

/**
 * The reservation item of the fuller file (arrêté of 5 January 2010, annex item 63), kept as the free attribute
 * `reservation_rpls`: its codes are types of holder, not the ids of `reservataires.csv` that `contingent` needs.
 */
export const RESERVATIONS_RPLS: Readonly<Record<string, string>> = {
  '1': 'État — fonctionnaires',
  '2': 'État — prioritaires',
  '3': 'Action Logement',
  '4': 'collectivités territoriales et EPCI',
  '5': 'réservations conventionnelles de l’État',
  '6': 'autres réservataires',
  '7': 'non réservé',
};

/** The address roles that make a dwelling's stable id when the file has no identifier, in this order (docs/presets.md). */
export const ROLES_ADRESSE_LOGEMENT: readonly RoleRpls[] = [
  'commune',
  'code_postal',
  'num_voie',
  'ind_rep',
  'type_voie',
  'nom_voie',
  'lieu_dit',
  'batiment',
  'immeuble',
  'entree',
  'escalier',
  'couloir',
  'etage',
  'num_appt',
];

/** The roles that make a residence (a building's address, for one bailleur). */
export const ROLES_ADRESSE_RESIDENCE: readonly RoleRpls[] = ['commune', 'code_postal', 'num_voie', 'ind_rep', 'type_voie', 'nom_voie', 'lieu_dit'];
