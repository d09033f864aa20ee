import type { ColumnSpec } from './columns.ts';
import type { FileName, FileSpec } from './files.ts';
import { FILE_NAMES, FILE_SPECS } from './files.ts';
import { expectedOf } from './cells.ts';

/**
 * What a newcomer needs to assemble a dataset: the files, what each is for, and an empty template of each
 * (headers and one example row). Headers come from the column declarations (files.ts), the one home of the
 * format: a column added there appears in the templates without anything to change here.
 */

/** What each file is for, in a sentence a newcomer understands (the format's `libelle` names it). */
export const USAGES_FICHIERS: Readonly<Record<FileName, string>> = {
  communes: 'Le périmètre : chaque commune de l’EPCI (code INSEE), ses zones ABC et APL. Toutes les autres tables y renvoient.',
  qpv: 'Les quartiers prioritaires (QPV) et secteurs assimilés du territoire, avec leur commune : fondent les objectifs hors QPV / en QPV.',
  bailleurs: 'Les bailleurs sociaux du territoire : les logements et les attributions y renvoient.',
  reservataires: 'Les réservataires (État, Action Logement, communes, EPCI…) : les contingents des logements et des attributions y renvoient.',
  residences: 'Les résidences (programmes) : adresse, coordonnées, nombre de logements. Facultatif ; sert au parc et à la carte.',
  occupation: 'L’occupation sociale des résidences (enquête OPS) : ménages sous plafonds, APL… Facultatif ; sert à l’analyse du parc.',
  logements: 'Les logements du parc social (RPLS) : commune, QPV, typologie, financement, loyer. Facultatif si les attributions décrivent leur logement.',
  demandes: 'Les demandes de logement social (extraction SNE) : ménage, ressources, statut. Fonde le premier quartile et les délais.',
  attributions: 'Les attributions (décisions de CALEOL et baux signés) : le cœur des indicateurs de la CIA.',
  seuils: 'Le seuil de ressources du premier quartile (arrêté annuel) par année. Facultatif : sinon calculé sur les demandes.',
  conventions: 'Les conventions de réservation en flux : part de chaque réservataire chez chaque bailleur. Facultatif ; sert à la gestion en flux.',
};

/** Example values by column name, the same wherever the column appears, so that the example rows refer to each other. */
const EXEMPLES_PAR_COLONNE: Readonly<Record<string, string>> = {
  id: 'ID1',
  nom: 'Exemple',
  code_insee: '91228',
  code_insee_residence: '91228',
  code_epci: '200059228',
  nom_epci: 'CA Grand Paris Sud',
  code_qpv: 'QN09101M',
  residence_id: 'R1',
  bailleur_id: 'B1',
  reservataire_id: 'ETAT',
  bailleur_actuel_id: '',
  logement_id: 'L1',
  nur: '0912024000001',
  contingent: 'ETAT',
  adresse: '1 place des Droits de l’Homme',
  latitude: '48.6243',
  longitude: '2.4287',
  annee: '2024',
  annee_construction: '1972',
  nb_pieces: '3',
  typologie_min: '2',
  typologie_max: '3',
  nb_personnes: '3',
  nb_moins_14_ans: '1',
  age_demandeur: '34',
  communes_souhaitees: '91228|91174',
  priorite_motifs: '',
  departement: '91',
  source: 'arrêté préfectoral',
  rang: '1',
  composition: 'couple_enfants',
  // Left empty: the example demand is active and the example allocation was not refused.
  date_radiation: '',
  motif_refus: '',
};

/** The example row's own identifier, per file, so that the other files' example rows can name it. */
const ID_PAR_FICHIER: Readonly<Partial<Record<FileName, string>>> = {
  bailleurs: 'B1',
  reservataires: 'ETAT',
  residences: 'R1',
  logements: 'L1',
  attributions: 'A1',
};

/** A valid example value for a column without a named example, from its kind. */
function exempleParGenre(col: ColumnSpec): string {
  switch (col.kind) {
    case 'code':
      return col.codes[0] ?? '';
    case 'integer':
      return String(Math.max(col.min ?? 1, Math.min(col.max ?? 1, 1)));
    case 'decimal':
    case 'real': {
      const v = col.max !== undefined && col.max <= 1 ? 0.25 : Math.max(col.min ?? 0, Math.min(col.max ?? 500, 500));
      return String(v).replace('.', ',');
    }
    case 'date':
      return '2024-03-15';
    case 'boolean':
      return '0';
    case 'list':
      return 'exemple';
    case 'text':
      return col.pattern ? '' : 'exemple';
  }
}

export interface ModeleFichier {
  readonly fichier: FileName;
  readonly libelle: string;
  readonly usage: string;
  readonly facultatif: boolean;
  /** `codes`: the accepted codes of a code column (the guided mapping offers them for each value). */
  readonly colonnes: readonly { readonly nom: string; readonly obligatoire: boolean; readonly attendu: string; readonly codes?: readonly string[] }[];
  /** Files this one refers to: they must be imported with it, or already be in the store. */
  readonly renvoieA: readonly FileName[];
  /** The example row, one value per column (an empty cell is a valid unknown). */
  readonly exemple: Readonly<Record<string, string>>;
}

export function modeleFichier(fichier: FileName): ModeleFichier {
  const spec: FileSpec = FILE_SPECS[fichier];
  const entries = Object.entries(spec.columns);
  return {
    fichier,
    libelle: spec.libelle,
    usage: USAGES_FICHIERS[fichier],
    facultatif: spec.optional,
    colonnes: entries.map(([nom, col]) => ({ nom, obligatoire: col.required, attendu: expectedOf(col), ...(col.kind === 'code' ? { codes: [...col.codes] } : {}) })),
    renvoieA: [...new Set(spec.references.map((r) => r.file))],
    exemple: Object.fromEntries(entries.map(([nom, col]) => [nom, (nom === 'id' ? ID_PAR_FICHIER[fichier] : undefined) ?? EXEMPLES_PAR_COLONNE[nom] ?? exempleParGenre(col)])),
  };
}

/** Every file of a dataset, in load order (referenced files first). */
export const modelesFichiers = (): ModeleFichier[] => FILE_NAMES.map(modeleFichier);

/** The CSV template of a file: UTF-8, `;`, the header line and the example row (values contain no `;` nor quote). */
export function modeleCsv(fichier: FileName): string {
  const m = modeleFichier(fichier);
  const noms = m.colonnes.map((c) => c.nom);
  return `${noms.join(';')}\n${noms.map((n) => m.exemple[n] ?? '').join(';')}\n`;
}
