import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import type { RoleRpls } from '@mixite/core/presets';
import {
  FINANCEMENT_CUS,
  FINANCEMENT_RPLS,
  LOYER_SANS_OBJET,
  MODE_LOUE,
  PMR_RPLS,
  ROLES_ADRESSE_LOGEMENT,
  ROLES_ADRESSE_RESIDENCE,
  enFranceMetropolitaine,
  lambert93VersWgs84,
} from '@mixite/core/presets';
import type { Store } from '../store/store.ts';
import { ident, literal } from '../store/sql-types.ts';
import { texteBrut } from '../import/relation-typee.ts';
import type { Lecture } from './lecture.ts';
import { celluleLue } from './lecture.ts';

/** The SQL of the RPLS preset shared by its exact way (rpls.ts) and its fast way (rpls-rapide.ts). */

/** The canonical column of logements.csv → the RPLS role it comes from: problems found by the import name the source's column. */
const ORIGINE_COLONNES: Readonly<Record<string, RoleRpls>> = {
  id: 'identifiant',
  bailleur_id: 'bailleur',
  code_insee: 'commune',
  code_qpv: 'code_qp',
  nb_pieces: 'nb_pieces',
  surface: 'surface',
  financement: 'financement',
  loyer: 'loyer',
  annee_construction: 'construction',
  date_mise_en_service: 'premiere_location',
  pmr: 'pmr',
  etage: 'etage',
  mode_rpls: 'mode',
  reservation_rpls: 'reservation',
};

/**
 * Codes read as numbers by some exports (« 13.0 », « 013 »): compared on their integer digits. The regular expression
 * only runs on cells holding a dot (DuckDB evaluates a CASE branch on the rows that take it): run on every cell of a
 * million rows it cost a quarter of the conversion (issue 17).
 */
export const codeSql = (expr: string) =>
  // ltrim only on a code that starts with a zero (the same string otherwise, without a copy of every cell).
  `(CASE WHEN contains(${expr}, '.') THEN ltrim(regexp_replace(${expr}, '\\.0+$', ''), '0') WHEN starts_with(${expr}, '0') THEN ltrim(${expr}, '0') ELSE ${expr} END)`;

/** Four digits (a commune code that lost its leading zero, a year): a length test first, a pattern on those cells only. */
export const quatreChiffres = (expr: string) => `(length(${expr}) = 4 AND ${expr} GLOB '[0-9][0-9][0-9][0-9]')`;

/** The SELECT list that turns the raw cells of an RPLS row into the columns the conversion needs (lecture.ts). */
export function projectionRpls(entetes: readonly string[], lecture: Lecture, roles: Partial<Record<RoleRpls, string>>, bailleurOption: string | null): string {
  const col = (r: RoleRpls): string => {
    const h = roles[r];
    return h === undefined ? 'NULL::VARCHAR' : celluleLue(entetes.indexOf(h), lecture);
  };
  const casDe = (expr: string, table: Readonly<Record<string, string | boolean>>) =>
    `CASE ${expr} ${Object.entries(table)
      // A boolean as `1` / `0`: the spelling the import reads first (sql-checks.ts, booleanSql).
      .map(([k, v]) => `WHEN ${literal(k)} THEN ${typeof v === 'boolean' ? (v ? "'1'" : "'0'") : literal(v)}`)
      .join(' ')} END`;
  const code = codeSql;
  const finan = code(col('financement'));
  const cus = `upper(${col('cus')})`;
  const commune = `CASE WHEN ${quatreChiffres(col('commune'))} THEN lpad(${col('commune')}, 5, '0') ELSE upper(${col('commune')}) END`;
  // A plain number casts directly (most cells); spaces and a decimal comma only for the others.
  const nombre = (expr: string) => `coalesce(TRY_CAST(${expr} AS DOUBLE), TRY_CAST(replace(replace(${expr}, ' ', ''), ',', '.') AS DOUBLE))`;
  const bailleur = bailleurOption === null ? col('bailleur') : literal(bailleurOption);
  // Address parts in upper case, an absent part as '': the same dwelling written « rue » or « RUE » keeps its id. The
  // key is upper-cased whole (the same string as its parts upper-cased one by one, for 1 call instead of 14).
  const cle = (rs: readonly RoleRpls[]) => `upper(concat_ws('|', ${rs.map((r) => (r === 'commune' ? commune : `coalesce(${col(r)}, '')`)).join(', ')}))`;
  // The dwelling's key starts with the residence's (core: ROLES_ADRESSE_LOGEMENT begins with ROLES_ADRESSE_RESIDENCE):
  // written as the same expression in both, it is computed once (DuckDB's common subexpressions).
  const cleResidence = cle(ROLES_ADRESSE_RESIDENCE);
  const suite = ROLES_ADRESSE_LOGEMENT.slice(ROLES_ADRESSE_RESIDENCE.length);
  if (ROLES_ADRESSE_RESIDENCE.some((r, i) => ROLES_ADRESSE_LOGEMENT[i] !== r)) throw new Error('ROLES_ADRESSE_LOGEMENT doit commencer par ROLES_ADRESSE_RESIDENCE');
  const cleLogement = `${cleResidence} || '|' || ${cle(suite)}`;
  const epsgOk = roles.epsg === undefined ? 'TRUE' : `coalesce(${col('epsg')} IN ('2154', 'EPSG:2154'), TRUE)`;
  const loyer = `CASE WHEN ${col('loyer')} IN (${literal(LOYER_SANS_OBJET)}, '9999.0', '9999,0', '9999.00', '9999,00') THEN NULL ELSE ${col('loyer')} END`;
  const codeQpv = `CASE WHEN ${code(col('qpv'))} = '1' THEN upper(${col('code_qp')}) END`;
  const financement = `coalesce(${casDe(cus, FINANCEMENT_CUS)}, ${casDe(finan, FINANCEMENT_RPLS)})`;
  // Every converted cell is written into a table of a million rows: the raw cells the checks show (`…_brut`) are kept
  // only on the rows where the check may need them, NULL (free to store) elsewhere.
  // The dwelling's id: the file's, else derived from its address with rank 1 (rpls.ts renumbers the repeated keys).
  const derive = `'rpls-' || substr(md5(${cleLogement}), 1, 16) || '-1'`;
  return `${roles.identifiant === undefined ? `${derive} AS id` : `coalesce(${col('identifiant')}, ${derive}) AS id, ${col('identifiant')} IS NULL AS id_derive`},
    'rpls-res-' || substr(md5(concat_ws('|', coalesce(${bailleur}, ''), ${cleResidence})), 1, 16) AS residence_id,
    ${bailleur} AS bailleur_id,
    ${commune} AS code_insee,
    CASE WHEN ${codeQpv} IS NULL THEN ${col('qpv')} END AS qpv_brut,
    ${codeQpv} AS code_qpv,
    ${col('nb_pieces')} AS nb_pieces,
    ${col('surface')} AS surface,
    CASE WHEN ${financement} IS NULL THEN ${col('financement')} END AS finan_brut,
    ${financement} AS financement,
    ${loyer} AS loyer,
    CASE WHEN ${loyer} IS NULL THEN ${col('loyer')} END AS loyer_brut,
    ${col('construction')} AS annee_construction,
    CASE WHEN ${quatreChiffres(col('premiere_location'))} THEN ${col('premiere_location')} || '-01-01' ELSE ${col('premiere_location')} END AS date_mise_en_service,
    ${casDe(code(col('pmr')), PMR_RPLS)} AS pmr,
    ${col('etage')} AS etage,
    ${code(col('mode'))} AS mode_rpls,
    ${code(col('reservation'))} AS reservation_rpls,
    ${col('x')} AS x_brut, ${col('y')} AS y_brut,
    ${nombre(col('x'))} AS x, ${nombre(col('y'))} AS y,
    ${epsgOk} AS lambert93,
    CASE WHEN NOT ${epsgOk} THEN ${col('epsg')} END AS epsg,
    concat_ws(', ', nullif(concat_ws(' ', ${(['num_voie', 'ind_rep', 'type_voie', 'nom_voie'] as const).map(col).join(', ')}), ''), ${col('lieu_dit')}, ${col('code_postal')}) AS adresse`;
}

function ecrireLignes(chemin: string, entete: string, lignes: () => Generator<string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(chemin, { encoding: 'utf8' });
    out.on('error', reject);
    let tampon = `${entete}\n`;
    for (const l of lignes()) {
      tampon += `${l}\n`;
      if (tampon.length > 1 << 20) {
        out.write(tampon);
        tampon = '';
      }
    }
    out.end(tampon, () => resolve());
  });
}

/**
 * Lambert-93 → WGS84 for each distinct point, in JavaScript (proj4), into the TEMP table `coords` (x, y, longitude,
 * latitude) through a small CSV in `dossier`; the points that fall outside metropolitan France are left out and
 * returned (`x;y`).
 */
export async function projeterPoints(store: Store, points: readonly { x: number; y: number }[], dossier: string, coords: string): Promise<string[]> {
  const cheminPoints = join(dossier, `${coords}.csv`);
  const hors: string[] = [];
  await ecrireLignes(cheminPoints, 'x;y;longitude;latitude', function* () {
    for (const p of points) {
      const w = lambert93VersWgs84(p.x, p.y);
      if (!enFranceMetropolitaine(w)) {
        hors.push(`${p.x};${p.y}`);
        continue;
      }
      yield `${p.x};${p.y};${w.longitude.toFixed(7)};${w.latitude.toFixed(7)}`;
    }
  });
  await store.run(`CREATE OR REPLACE TEMP TABLE ${ident(coords)} AS SELECT * FROM read_csv(${literal(cheminPoints)}, header = true, delim = ';', columns = {'x': 'DOUBLE', 'y': 'DOUBLE', 'longitude': 'DOUBLE', 'latitude': 'DOUBLE'})`);
  return hors;
}

/** A check of the converted rows: the rows where `condition` holds are reported on `colonne` with `valeur`. */
export interface ControleRpls {
  readonly condition: string;
  readonly valeur: string;
  readonly colonne: string;
  readonly message: string;
  readonly severite: 'erreur' | 'avertissement';
}

/**
 * The checks of a converted RPLS file, over the columns of `projectionRpls` (one home for both ways: the exact way
 * locates the rows, the fast way only counts them). Coordinates outside France are checked apart, once projected.
 */
export function controlesRpls(roles: Partial<Record<RoleRpls, string>>, bailleurOption: string | null): ControleRpls[] {
  const entete = (x: RoleRpls) => roles[x] ?? x;
  const erreur = (condition: string, valeur: string, colonne: string, message: string): ControleRpls => ({ condition, valeur, colonne, message, severite: 'erreur' });
  const controles: ControleRpls[] = [];
  if (bailleurOption === null) controles.push(erreur('bailleur_id IS NULL', 'bailleur_id', entete('bailleur'), 'bailleur absent : indiquez-le dans la colonne ou avec --bailleur ID'));
  controles.push(
    erreur(
      'financement IS NULL AND finan_brut IS NOT NULL',
      'finan_brut',
      entete('financement'),
      `code de financement inconnu — attendu : un code RPLS (${Object.keys(FINANCEMENT_RPLS).join(', ')}) ou, dans ${entete('cus')}, PLAI, PLUS, PLS ou PLI`,
    ),
    erreur(`code_qpv IS NULL AND ${codeSql('qpv_brut')} = '1'`, 'qpv_brut', entete('code_qp'), `logement en QPV (${entete('qpv')} = 1) sans le code du quartier dans ${entete('code_qp')}`),
    ...(['x', 'y'] as const).map((c) => erreur(`${c} IS NULL AND ${c}_brut IS NOT NULL`, `${c}_brut`, entete(c), 'coordonnée illisible — attendu : un nombre de mètres en Lambert-93 (ex. 652469,3)')),
    erreur(
      '(x IS NULL) <> (y IS NULL) AND x_brut IS NULL = (x IS NULL) AND y_brut IS NULL = (y IS NULL)',
      'coalesce(x_brut, y_brut)',
      roles.x === undefined ? entete('y') : entete('x'),
      'une seule des deux coordonnées X et Y est renseignée',
    ),
  );
  if (roles.epsg !== undefined) {
    controles.push({
      condition: 'NOT lambert93 AND x IS NOT NULL',
      valeur: 'epsg',
      colonne: entete('epsg'),
      message: 'coordonnées dans un autre système que Lambert-93 (EPSG 2154) : non converties, latitude et longitude de la résidence laissées vides',
      severite: 'avertissement',
    });
  }
  if (roles.mode !== undefined) {
    controles.push({
      condition: `mode_rpls = ${literal(MODE_LOUE)} AND loyer IS NULL AND ${ident(texteBrut('loyer'))} IS NULL`,
      valeur: 'loyer_brut',
      colonne: entete('loyer'),
      message: 'logement loué (MODE = 1) sans loyer (vide ou 9999) : gardé, loyer vide ; il est exclu des analyses qui demandent un loyer (parc abordable, calculateur)',
      severite: 'avertissement',
    });
  }
  return controles;
}

/** The columns of the canonical logements the conversion gives, in this order (the free attributes when the file has them). */
export function colonnesLogements(roles: Partial<Record<RoleRpls, string>>): string[] {
  const libres = [...(roles.mode === undefined ? [] : ['mode_rpls']), ...(roles.reservation === undefined ? [] : ['reservation_rpls'])];
  return ['id', 'residence_id', 'bailleur_id', 'code_insee', 'code_qpv', 'nb_pieces', 'surface', 'financement', 'loyer', 'annee_construction', 'date_mise_en_service', 'pmr', 'etage', ...libres];
}

/** Canonical column → the file's header: the import's problems on the converted dwellings name the user's column. */
export function colonnesSourceRpls(roles: Partial<Record<RoleRpls, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(ORIGINE_COLONNES).flatMap(([canonique, role]) => (roles[role] === undefined ? [] : [[canonique, roles[role] as string]])));
}
