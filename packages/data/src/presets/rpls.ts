import { createWriteStream, writeFileSync } from 'node:fs';
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
  reconnaitreRpls,
} from '@mixite/core/presets';
import type { Store } from '../store/store.ts';
import { ident, literal } from '../store/sql-types.ts';
import type { ImportProblem } from '../import/problems.ts';
import { maxProblemsPerCheck, problem } from '../import/problems.ts';
import { attacherRelation } from '../import/source-file.ts';
import type { Lecture } from './lecture.ts';
import { LIGNE_SOURCE, celluleLue, lireSource, oublierSource } from './lecture.ts';
import type { Conversion } from './resultat.ts';

/**
 * The RPLS preset (docs/presets.md): an RPLS file (open or fuller, any vintage, `;` or `,`, UTF-8 or ISO-8859-1) →
 * `logements.csv` and `residences.csv` of the canonical format, written in `dossier`, one dwelling per source row in
 * the source's order (so that the canonical import's line numbers are the source's). The rules are declared in
 * @mixite/core (presets/rpls.ts); this module applies them in DuckDB, set-wise, and projects the Lambert-93
 * coordinates (distinct points only) with proj4.
 *
 * Errors (nothing is written): no bailleur, an unknown FINAN_CODE, a dwelling said in a QPV without the QPV's code,
 * coordinates that are not numbers or fall outside metropolitan France. Warnings: a let dwelling without rent,
 * coordinates in another system (EPSG ≠ 2154, overseas) left unconverted.
 */

export interface OptionsRpls {
  /** The bailleur every row belongs to (the open file has none); overrides a bailleur column. */
  readonly bailleur: string | null;
  /** Where the canonical files are written. */
  readonly dossier: string;
  /** The name errors give (the user's file). */
  readonly fichier: string;
  /**
   * Hand the converted dwellings to the import as a DuckDB relation instead of writing `logements.csv` (issue 17:
   * writing then re-reading a million rows cost more than the conversion). `logements.csv` then only holds the header;
   * the relation lives until the conversion's `liberer` is called. Off: the file is written whole (the benchmark's
   * canonical baseline, a user who wants the canonical files).
   */
  readonly relation?: boolean;
}

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

export async function convertirRpls(store: Store, chemin: string, o: OptionsRpls): Promise<Conversion> {
  let roles: Partial<Record<RoleRpls, string>> | null = null;
  // Converted while read: one pass over a file of a million rows (lecture.ts, `projection`).
  const lu = await lireSource(store, chemin, o.fichier, o.dossier, (entetes, lecture) => {
    roles = reconnaitreRpls(entetes);
    return roles === null || (o.bailleur === null && roles.bailleur === undefined) ? null : projectionRpls(entetes, lecture, roles, o.bailleur);
  });
  if (!lu.ok) return { fichiers: [], erreurs: lu.problemes, avertissements: [], lignesSource: 0 };
  const src = lu.source;
  const erreurs: ImportProblem[] = [];
  const avertissements: ImportProblem[] = [];
  const conv = src.table;
  const coords = `${src.table}_coords`;
  const vue = `${src.table}_logements`;
  const r = roles as Partial<Record<RoleRpls, string>> | null;
  /** Set when the converted table is handed over: it then outlives this function, until `liberer`. */
  let liberer: (() => Promise<void>) | null = null;
  const oublier = async () => {
    await store.run(`DROP VIEW IF EXISTS temp.${ident(vue)}`);
    await store.run(`DROP TABLE IF EXISTS temp.${ident(coords)}`);
    await oublierSource(store, src.table);
  };
  try {
    if (!r) {
      erreurs.push(
        problem({
          fichier: o.fichier,
          ligne: 1,
          message: 'en-tête non reconnu comme un fichier RPLS : il faut au moins DEPCOM (ou DEPCOM_CODE) et NBPIECE, et deux colonnes parmi SURFHAB, CONSTRUCT, FINAN_CODE, LOCAT, QPV_CODE',
        }),
      );
      return { fichiers: [], erreurs, avertissements, lignesSource: src.lignes };
    }
    if (o.bailleur === null && r.bailleur === undefined) {
      erreurs.push(
        problem({
          fichier: o.fichier,
          ligne: 1,
          message: 'le fichier ne dit pas à quel bailleur appartient chaque logement (le fichier ouvert RPLS ne le donne pas) : indiquez-le avec --bailleur ID (un identifiant de bailleurs.csv)',
        }),
      );
      return { fichiers: [], erreurs, avertissements, lignesSource: src.lignes };
    }
    const roles = r;
    const entete = (x: RoleRpls) => roles[x] ?? x;
    const code = codeSql;
    const lignes = async (condition: string, valeur: string) =>
      store.all<{ ligne: number; valeur: string | null; n: number }>(
        `SELECT ${LIGNE_SOURCE} AS ligne, ${valeur}::VARCHAR AS valeur, (count(*) OVER ())::INTEGER AS n FROM ${ident(conv)} WHERE ${condition} ORDER BY ligne LIMIT ${maxProblemsPerCheck()}`,
      );
    const signaler = (rows: { ligne: number; valeur: string | null; n: number }[], colonne: string, message: string, severite: 'erreur' | 'avertissement' = 'erreur') => {
      for (const r of rows) (severite === 'erreur' ? erreurs : avertissements).push(problem({ severite, fichier: o.fichier, ligne: r.ligne, colonne, valeur: r.valeur, message, cause: message, nombre: r.n }));
    };
    if (o.bailleur === null) signaler(await lignes('bailleur_id IS NULL', 'bailleur_id'), entete('bailleur'), 'bailleur absent : indiquez-le dans la colonne ou avec --bailleur ID');
    signaler(
      await lignes('financement IS NULL AND finan_brut IS NOT NULL', 'finan_brut'),
      entete('financement'),
      `code de financement inconnu — attendu : un code RPLS (${Object.keys(FINANCEMENT_RPLS).join(', ')}) ou, dans ${entete('cus')}, PLAI, PLUS, PLS ou PLI`,
    );
    signaler(
      await lignes(`code_qpv IS NULL AND ${code('qpv_brut')} = '1'`, 'qpv_brut'),
      entete('code_qp'),
      `logement en QPV (${entete('qpv')} = 1) sans le code du quartier dans ${entete('code_qp')}`,
    );
    for (const [c, brut] of [
      ['x', 'x_brut'],
      ['y', 'y_brut'],
    ] as const) {
      signaler(await lignes(`${c} IS NULL AND ${brut} IS NOT NULL`, brut), entete(c), 'coordonnée illisible — attendu : un nombre de mètres en Lambert-93 (ex. 652469,3)');
    }
    signaler(
      await lignes(`(x IS NULL) <> (y IS NULL) AND x_brut IS NULL = (x IS NULL) AND y_brut IS NULL = (y IS NULL)`, "coalesce(x_brut, y_brut)"),
      roles.x === undefined ? entete('y') : entete('x'),
      'une seule des deux coordonnées X et Y est renseignée',
    );
    if (roles.epsg !== undefined) {
      signaler(
        await lignes('NOT lambert93 AND x IS NOT NULL', 'epsg'),
        entete('epsg'),
        'coordonnées dans un autre système que Lambert-93 (EPSG 2154) : non converties, latitude et longitude de la résidence laissées vides',
        'avertissement',
      );
    }
    if (roles.mode !== undefined) {
      signaler(
        await lignes(`mode_rpls = ${literal(MODE_LOUE)} AND loyer IS NULL`, 'loyer_brut'),
        entete('loyer'),
        'logement loué (MODE = 1) sans loyer (vide ou 9999) : gardé, loyer vide ; il est exclu des analyses qui demandent un loyer (parc abordable, calculateur)',
        'avertissement',
      );
    }

    // Lambert-93 → WGS84 for each distinct point, in JavaScript (proj4), then joined back.
    const points = await store.all<{ x: number; y: number }>(`SELECT DISTINCT x, y FROM ${ident(conv)} WHERE x IS NOT NULL AND y IS NOT NULL AND lambert93`);
    const cheminPoints = join(o.dossier, `${coords}.csv`);
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
    if (hors.length > 0) {
      signaler(
        await lignes(`lambert93 AND x IS NOT NULL AND y IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${ident(coords)} p WHERE p.x = ${ident(conv)}.x AND p.y = ${ident(conv)}.y)`, "x_brut || ' ; ' || y_brut"),
        `${entete('x')}, ${entete('y')}`,
        'coordonnées hors de la France métropolitaine une fois converties de Lambert-93 (EPSG 2154) — attendu : X entre 100 000 et 1 300 000 m, Y entre 6 000 000 et 7 200 000 m ; X et Y inversés, ou un autre système ?',
      );
    }
    if (erreurs.length > 0) return { fichiers: [], erreurs, avertissements, lignesSource: src.lignes };

    const libres = [...(roles.mode === undefined ? [] : ['mode_rpls']), ...(roles.reservation === undefined ? [] : ['reservation_rpls'])];
    // The rank of a dwelling among those of the same address key, in the file's order: computed for the repeated keys
    // only (a hash aggregate, then a window over few rows), the others are `-1`; the table keeps the file's order.
    await store.run(`UPDATE ${ident(conv)} SET rang = r.n FROM (
        SELECT rowid AS ligne, row_number() OVER (PARTITION BY cle_adresse ORDER BY rowid) AS n FROM ${ident(conv)}
        WHERE identifiant IS NULL AND cle_adresse IN (SELECT cle_adresse FROM ${ident(conv)} WHERE identifiant IS NULL GROUP BY ALL HAVING count(*) > 1)
      ) r WHERE ${ident(conv)}.rowid = r.ligne`);
    const logements = join(o.dossier, 'logements.csv');
    const colonnes = ['id', 'residence_id', 'bailleur_id', 'code_insee', 'code_qpv', 'nb_pieces', 'surface', 'financement', 'loyer', 'annee_construction', 'date_mise_en_service', 'pmr', 'etage', ...libres];
    // The dwellings in the canonical columns, as text, in the file's order (a plain scan keeps it: rowid + 2 is the line).
    const lignesCanoniques = `SELECT coalesce(identifiant, cle_adresse || '-' || coalesce(rang, 1)) AS id, ${colonnes.slice(1).join(', ')} FROM ${ident(conv)}`;
    if (o.relation === true) {
      await store.run(`CREATE OR REPLACE TEMP VIEW ${ident(vue)} AS ${lignesCanoniques}`);
      writeFileSync(logements, `${colonnes.join(';')}\n`, 'utf8');
      const detacher = attacherRelation(logements, vue);
      liberer = async () => {
        detacher();
        await oublier();
      };
    } else {
      await store.run(`COPY (${lignesCanoniques} ORDER BY rowid) TO ${literal(logements)} (FORMAT csv, HEADER, DELIMITER ';', QUOTE '"')`);
    }
    const residences = join(o.dossier, 'residences.csv');
    // Residences: the dwellings' figures grouped by address, then their projected points averaged apart (a join of
    // every dwelling with its point inside the grouping made DuckDB slow by an order of magnitude).
    await store.run(`COPY (
      WITH r AS (
        SELECT residence_id, any_value(bailleur_id) AS bailleur_id, any_value(code_insee) AS code_insee, mode(code_qpv) AS code_qpv,
          any_value(concat_ws(', ', voie, lieu_dit, code_postal)) AS adresse, count(*) AS nb_logements, min(rowid) AS premier
        FROM ${ident(conv)} GROUP BY residence_id
      ),
      points AS (
        SELECT l.residence_id, avg(p.latitude) AS latitude, avg(p.longitude) AS longitude
        FROM (SELECT residence_id, x, y FROM ${ident(conv)} WHERE lambert93 AND x IS NOT NULL AND y IS NOT NULL) l
        JOIN ${ident(coords)} p ON p.x = l.x AND p.y = l.y
        GROUP BY l.residence_id
      )
      SELECT r.residence_id AS id, r.bailleur_id, NULL AS nom, r.code_insee, r.code_qpv, r.adresse,
        round(p.latitude, 7) AS latitude, round(p.longitude, 7) AS longitude, r.nb_logements
      FROM r LEFT JOIN points p USING (residence_id) ORDER BY r.premier
    ) TO ${literal(residences)} (FORMAT csv, HEADER, DELIMITER ';', QUOTE '"')`);
    const colonnesSource = Object.fromEntries(
      Object.entries(ORIGINE_COLONNES).flatMap(([canonique, role]) => (roles[role] === undefined ? [] : [[canonique, roles[role] as string]])),
    );
    return {
      fichiers: [
        { chemin: residences, table: 'residences', nomAffiche: `${o.fichier} (résidences)` },
        { chemin: logements, table: 'logements', nomAffiche: o.fichier, colonnesSource },
      ],
      erreurs,
      avertissements,
      lignesSource: src.lignes,
      ...(liberer === null ? {} : { liberer }),
    };
  } catch (error) {
    if (liberer !== null) await (liberer as () => Promise<void>)();
    liberer = null;
    throw error;
  } finally {
    if (liberer === null) await oublier();
  }
}

/**
 * Codes read as numbers by some exports (« 13.0 », « 013 »): compared on their integer digits. The regular expression
 * only runs on cells holding a dot (DuckDB evaluates a CASE branch on the rows that take it): run on every cell of a
 * million rows it cost a quarter of the conversion (issue 17).
 */
const codeSql = (expr: string) => `ltrim(CASE WHEN contains(${expr}, '.') THEN regexp_replace(${expr}, '\\.0+$', '') ELSE ${expr} END, '0')`;

/** Four digits (a commune code that lost its leading zero, a year): a length test first, a pattern on those cells only. */
const quatreChiffres = (expr: string) => `(length(${expr}) = 4 AND ${expr} GLOB '[0-9][0-9][0-9][0-9]')`;

/** The SELECT list that turns the raw cells of an RPLS row into the columns the conversion needs (lecture.ts). */
function projectionRpls(entetes: readonly string[], lecture: Lecture, roles: Partial<Record<RoleRpls, string>>, bailleurOption: string | null): string {
  const col = (r: RoleRpls): string => {
    const h = roles[r];
    return h === undefined ? 'NULL::VARCHAR' : celluleLue(entetes.indexOf(h), lecture);
  };
  const casDe = (expr: string, table: Readonly<Record<string, string | boolean>>) =>
    `CASE ${expr} ${Object.entries(table)
      .map(([k, v]) => `WHEN ${literal(k)} THEN ${typeof v === 'boolean' ? (v ? "'oui'" : "'non'") : literal(v)}`)
      .join(' ')} END`;
  const code = codeSql;
  const finan = code(col('financement'));
  const cus = `upper(${col('cus')})`;
  const commune = `CASE WHEN ${quatreChiffres(col('commune'))} THEN lpad(${col('commune')}, 5, '0') ELSE upper(${col('commune')}) END`;
  const nombre = (expr: string) => `TRY_CAST(replace(replace(${expr}, ' ', ''), ',', '.') AS DOUBLE)`;
  const bailleur = bailleurOption === null ? col('bailleur') : literal(bailleurOption);
  // Address parts in upper case, an absent part as '': the same dwelling written « rue » or « RUE » keeps its id.
  const cle = (rs: readonly RoleRpls[], debut: readonly string[] = []) =>
    `concat_ws('|', ${[...debut, ...rs.map((r) => (r === 'commune' ? commune : `coalesce(upper(${col(r)}), '')`))].join(', ')})`;
  const epsgOk = roles.epsg === undefined ? 'TRUE' : `coalesce(${col('epsg')} IN ('2154', 'EPSG:2154'), TRUE)`;
  return `${roles.identifiant === undefined ? 'NULL::VARCHAR' : col('identifiant')} AS identifiant,
    'rpls-' || substr(md5(${cle(ROLES_ADRESSE_LOGEMENT)}), 1, 16) AS cle_adresse, NULL::BIGINT AS rang,
    'rpls-res-' || substr(md5(${cle(ROLES_ADRESSE_RESIDENCE, [`coalesce(${bailleur}, '')`])}), 1, 16) AS residence_id,
    ${bailleur} AS bailleur_id,
    ${commune} AS code_insee,
    ${col('qpv')} AS qpv_brut,
    CASE WHEN ${code(col('qpv'))} = '1' THEN upper(${col('code_qp')}) END AS code_qpv,
    ${col('nb_pieces')} AS nb_pieces,
    ${col('surface')} AS surface,
    ${col('financement')} AS finan_brut,
    coalesce(${casDe(cus, FINANCEMENT_CUS)}, ${casDe(finan, FINANCEMENT_RPLS)}) AS financement,
    CASE WHEN ${col('loyer')} IN (${literal(LOYER_SANS_OBJET)}, '9999.0', '9999,0', '9999.00', '9999,00') THEN NULL ELSE ${col('loyer')} END AS loyer,
    ${col('loyer')} AS loyer_brut,
    ${col('construction')} AS annee_construction,
    CASE WHEN ${quatreChiffres(col('premiere_location'))} THEN ${col('premiere_location')} || '-01-01' ELSE ${col('premiere_location')} END AS date_mise_en_service,
    ${casDe(code(col('pmr')), PMR_RPLS)} AS pmr,
    ${col('etage')} AS etage,
    ${code(col('mode'))} AS mode_rpls,
    ${code(col('reservation'))} AS reservation_rpls,
    ${col('x')} AS x_brut, ${col('y')} AS y_brut,
    ${nombre(col('x'))} AS x, ${nombre(col('y'))} AS y,
    ${epsgOk} AS lambert93,
    ${col('epsg')} AS epsg,
    nullif(concat_ws(' ', ${(['num_voie', 'ind_rep', 'type_voie', 'nom_voie'] as const).map(col).join(', ')}), '') AS voie,
    ${col('code_postal')} AS code_postal, ${col('lieu_dit')} AS lieu_dit`;
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
