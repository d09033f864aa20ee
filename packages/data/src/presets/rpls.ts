import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RoleRpls } from '@mixite/core/presets';
import { reconnaitreRpls } from '@mixite/core/presets';
import type { Store } from '../store/store.ts';
import { ident, literal } from '../store/sql-types.ts';
import type { ImportProblem } from '../import/problems.ts';
import { maxProblemsPerCheck, problem } from '../import/problems.ts';
import { attacherRelation } from '../import/source-file.ts';
import { colonnesTypees, declarerClesUniques, relationTexteSql, relationTypeeSql, texteBrut, typerSql } from '../import/relation-typee.ts';
import { LIGNE_SOURCE, lireSource, oublierSource } from './lecture.ts';
import { colonnesLogements, colonnesSourceRpls, controlesRpls, projectionRpls, projeterPoints } from './rpls-sql.ts';
import type { Melanges } from './rpls-residences.ts';
import { groupesResidencesSql, melangesSql, pointsDistinctsSql, residencesSql } from './rpls-residences.ts';
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

export async function convertirRpls(store: Store, chemin: string, o: OptionsRpls): Promise<Conversion> {
  // A file no check reports on (the usual case) is converted once, into a table without the source texts the checks
  // show; any row a check would report, or a point outside France, and the file is converted again the exact way,
  // which keeps those texts and locates every problem (issue 17: 0.9 s of processor less on 1.3 M dwellings).
  const rapide = await convertirUneFois(store, chemin, o, true);
  // The exact way never gives null.
  return rapide ?? ((await convertirUneFois(store, chemin, o, false)) as Conversion);
}

/** The source texts the checks show (rpls-sql.ts, `controlesRpls`), left out of the table on the fast way. */
const TEXTES_DES_CONTROLES = ['qpv_brut', 'finan_brut', 'loyer_brut', 'x_brut', 'y_brut', 'epsg'] as const;

/** The fast way's flag of a row some check reports on (the OR of their conditions, counted as count_if counts them). */
const A_REVOIR = '__mixite_a_revoir';

/** The conversion; on the fast way (`rapide`), null when the exact way must redo it. */
async function convertirUneFois(store: Store, chemin: string, o: OptionsRpls, rapide: boolean): Promise<Conversion | null> {
  let roles: Partial<Record<RoleRpls, string>> | null = null;
  // Converted while read: one pass over a file of a million rows (lecture.ts, `projection`).
  // Converted and typed while read (import/relation-typee.ts): the import then judges the dwellings' values instead of
  // parsing their text again.
  const lu = await lireSource(
    store,
    chemin,
    o.fichier,
    o.dossier,
    (entetes, lecture) => {
      roles = reconnaitreRpls(entetes);
      return roles === null || (o.bailleur === null && roles.bailleur === undefined) ? null : projectionRpls(entetes, lecture, roles, o.bailleur);
    },
    (lignes) => {
      const types = typerSql('logements', colonnesLogements(roles ?? {}), lignes);
      if (!rapide) return types;
      // The typed cells' kept texts go too (import/relation-typee.ts, `texteBrut`): a row holding one is flagged, so on
      // the fast way they are all empty and the relations below are built without them.
      const controles = controlesRpls(roles ?? {}, o.bailleur).map((c) => `(${c.condition})`);
      const textesTypes = colonnesTypees('logements', colonnesLogements(roles ?? {})).map((c) => ident(texteBrut(c)));
      return `SELECT * EXCLUDE (${[...TEXTES_DES_CONTROLES, ...textesTypes].join(', ')}), (${[...controles, ...textesTypes.map((t) => `${t} IS NOT NULL`)].join(' OR ')}) AS ${ident(A_REVOIR)} FROM (${types})`;
    },
  );
  if (!lu.ok) return { fichiers: [], erreurs: lu.problemes, avertissements: [], lignesSource: 0 };
  const src = lu.source;
  const erreurs: ImportProblem[] = [];
  const avertissements: ImportProblem[] = [];
  const conv = src.table;
  const coords = `${src.table}_coords`;
  const groupes = `${src.table}_residences`;
  const residencesCanoniques = `${src.table}_residences_canoniques`;
  const vue = `${src.table}_logements`;
  const vueTypee = `${src.table}_logements_types`;
  const r = roles as Partial<Record<RoleRpls, string>> | null;
  /** Set when the converted table is handed over: it then outlives this function, until `liberer`. */
  let liberer: (() => Promise<void>) | null = null;
  const oublier = async () => {
    await store.run(`DROP VIEW IF EXISTS temp.${ident(vue)}`);
    await store.run(`DROP VIEW IF EXISTS temp.${ident(vueTypee)}`);
    await store.run(`DROP TABLE IF EXISTS temp.${ident(coords)}`);
    await store.run(`DROP TABLE IF EXISTS temp.${ident(groupes)}`);
    await store.run(`DROP TABLE IF EXISTS temp.${ident(residencesCanoniques)}`);
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
    const lignes = async (condition: string, valeur: string) =>
      store.all<{ ligne: number; valeur: string | null; n: number }>(
        `SELECT ${LIGNE_SOURCE} AS ligne, ${valeur}::VARCHAR AS valeur, (count(*) OVER ())::INTEGER AS n FROM ${ident(conv)} WHERE ${condition} ORDER BY ligne LIMIT ${maxProblemsPerCheck()}`,
      );
    const signaler = (rows: { ligne: number; valeur: string | null; n: number }[], colonne: string, message: string, severite: 'erreur' | 'avertissement' = 'erreur') => {
      for (const r of rows) (severite === 'erreur' ? erreurs : avertissements).push(problem({ severite, fichier: o.fichier, ligne: r.ligne, colonne, valeur: r.valeur, message, cause: message, nombre: r.n }));
    };
    // Every check counted in one pass (rpls-sql.ts), its lines looked for only when it found some; the same pass counts
    // the derived ids whose 64-bit hash repeats (below: the numbering is skipped when there are none).
    const controles = controlesRpls(roles, o.bailleur);
    const derive = roles.identifiant === undefined ? 'TRUE' : 'id_derive';
    const comptesSql = rapide ? [`count_if(${ident(A_REVOIR)})::INTEGER AS a_revoir`] : controles.map((c, i) => `count_if(${c.condition})::INTEGER AS ${ident(`c${i}`)}`);
    const [comptes] = await store.all<Record<string, number>>(
      `SELECT ${comptesSql.join(', ')}, (count_if(${derive}) - count(DISTINCT hash(id)) FILTER (WHERE ${derive}))::INTEGER AS repetes FROM ${ident(conv)}`,
    );
    if (rapide && (comptes?.a_revoir ?? 0) > 0) return null;
    for (const [i, c] of controles.entries()) {
      if ((comptes?.[`c${i}`] ?? 0) > 0) signaler(await lignes(c.condition, c.valeur), c.colonne, c.message, c.severite);
    }

    // The dwellings grouped by residence once (rpls-sql.ts): the residences and the distinct points come from it.
    await store.run(`CREATE OR REPLACE TEMP TABLE ${ident(groupes)} AS ${groupesResidencesSql(conv)}`);
    // Lambert-93 → WGS84 for each distinct point, in JavaScript (proj4), then joined back.
    const [melanges] = await store.all<Melanges>(melangesSql(groupes));
    const m: Melanges = melanges ?? { points: 0, qpv: 0 };
    const points = await store.all<{ x: number; y: number }>(pointsDistinctsSql(conv, groupes, m));
    const hors = await projeterPoints(store, points, o.dossier, coords);
    if (rapide && hors.length > 0) return null;
    if (hors.length > 0) {
      signaler(
        await lignes(`lambert93 AND x IS NOT NULL AND y IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${ident(coords)} p WHERE p.x = ${ident(conv)}.x AND p.y = ${ident(conv)}.y)`, "x_brut || ' ; ' || y_brut"),
        `${entete('x')}, ${entete('y')}`,
        'coordonnées hors de la France métropolitaine une fois converties de Lambert-93 (EPSG 2154) — attendu : X entre 100 000 et 1 300 000 m, Y entre 6 000 000 et 7 200 000 m ; X et Y inversés, ou un autre système ?',
      );
    }
    if (erreurs.length > 0) return { fichiers: [], erreurs, avertissements, lignesSource: src.lignes };

    // The rank of a dwelling among those of the same address key, in the file's order: the derived ids end in `-1`;
    // those of the repeated keys only get their rank (a window over few rows); the table keeps the file's order. The
    // repeated keys are found by their 64-bit hashes (equal ids, equal hashes; a hash shared by different ids only
    // adds rows ranked 1, which keep their id): grouping 1.3 M numbers costs half the grouping of the ids' text. No
    // hash repeated (counted with the checks), no id repeated: the pass is skipped (issue 17: 0.4 s of processor on
    // 1.3 M dwellings, against about 0.1 s for the count).
    if ((comptes?.repetes ?? 0) > 0) await store.run(`UPDATE ${ident(conv)} SET id = substr(id, 1, length(id) - 1) || r.n FROM (
        SELECT rowid AS ligne, row_number() OVER (PARTITION BY id ORDER BY rowid) AS n FROM ${ident(conv)}
        WHERE ${derive} AND hash(id) IN (SELECT hash(id) AS h FROM ${ident(conv)} WHERE ${derive} GROUP BY h HAVING count(*) > 1)
      ) r WHERE ${ident(conv)}.rowid = r.ligne AND r.n > 1`);
    const logements = join(o.dossier, 'logements.csv');
    const colonnes = colonnesLogements(roles);
    // The dwellings in the canonical columns, as text, in the file's order (a plain scan keeps it: rowid + 2 is the
    // line): the text twin of the typed relation, each typed cell printed back unless its source text was kept.
    const lignesCanoniques = relationTexteSql('logements', colonnes, conv, !rapide);
    if (o.relation === true) {
      await store.run(`CREATE OR REPLACE TEMP VIEW ${ident(vue)} AS ${lignesCanoniques}`);
      await store.run(`CREATE OR REPLACE TEMP VIEW ${ident(vueTypee)} AS ${relationTypeeSql('logements', colonnes, conv, !rapide)}`);
      writeFileSync(logements, `${colonnes.join(';')}\n`, 'utf8');
      const detacher = attacherRelation(logements, vue, vueTypee);
      // Without the file's identifiers every id is derived, and the numbering above makes them distinct: the ids of a
      // repeated key (even two addresses whose hashes collide) are numbered 1, 2… within it.
      const retirer = roles.identifiant === undefined ? declarerClesUniques(vueTypee) : () => {};
      liberer = async () => {
        retirer();
        detacher();
        await oublier();
      };
    } else {
      await store.run(`COPY (${lignesCanoniques} ORDER BY rowid) TO ${literal(logements)} (FORMAT csv, HEADER, DELIMITER ';', QUOTE '"')`);
    }
    const residences = join(o.dossier, 'residences.csv');
    if (o.relation === true) {
      // Handed over as text in the file's order (rowid + 2 is residences.csv's line), as the dwellings are: writing then
      // reading back 65 000 rows of CSV cost 0.3 s of processor (issue 17).
      const colonnesResidences = ['id', 'bailleur_id', 'nom', 'code_insee', 'code_qpv', 'adresse', 'latitude', 'longitude', 'nb_logements'];
      await store.run(`CREATE OR REPLACE TEMP TABLE ${ident(residencesCanoniques)} AS SELECT ${colonnesResidences.map((c) => `CAST(${ident(c)} AS VARCHAR) AS ${ident(c)}`).join(', ')}
        FROM (${residencesSql(conv, groupes, coords, m)})`);
      writeFileSync(residences, `${colonnesResidences.join(';')}\n`, 'utf8');
      const detacher = attacherRelation(residences, residencesCanoniques);
      const avant = liberer as () => Promise<void>;
      liberer = async () => {
        detacher();
        await avant();
      };
    } else {
      await store.run(`COPY (${residencesSql(conv, groupes, coords, m)}) TO ${literal(residences)} (FORMAT csv, HEADER, DELIMITER ';', QUOTE '"')`);
    }
    const colonnesSource = colonnesSourceRpls(roles);
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
