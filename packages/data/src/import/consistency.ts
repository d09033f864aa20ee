import type { ColumnSpec, FileName } from '@mixite/core';
import { FILE_SPECS } from '@mixite/core';
import type { Store } from '../store/store.ts';
import { ident, literal, sqlType } from '../store/sql-types.ts';
import type { CrossFileCounts } from './cross-file-probe.ts';
import type { ImportProblem } from './problems.ts';
import { maxProblemsPerCheck, problem } from './problems.ts';
import { loadSql } from './sql-checks.ts';
import type { Staged } from './staging.ts';
import { LINE_SQL } from './staging.ts';
import { menageAttributionSql } from '../indicators/regles-sql.ts';

/**
 * Contradictions between files, checked set-based on the dataset as it will be after the import (the staged
 * version of a file when it is in the batch, the stored one otherwise), like references:
 * - an allocation and its dwelling (bailleur, commune, QPV, rooms, financing), a dwelling and its residence;
 * - an allocation and its request: the CALEOL not before the filing; at least one person of 14 or more once the
 *   household fields missing from the allocation are taken from the request;
 * - a QPV cited with a commune other than its commune in qpv.csv: an error across départements, a warning
 *   inside one (a QPV may span several communes; qpv.csv gives only the main one);
 * - two signed leases for one request, or for one dwelling on the same day.
 * A contradiction is reported on the staged side: the line of the imported file, with the other side located
 * (its line, or « en base »). Runs once the cells are valid (typed values are those the load will write).
 */

export type Relation = { readonly sql: string; readonly staged: Staged | null; readonly file: FileName };

/** Typed rows of a file with their spreadsheet line (NULL for stored rows), only the columns asked. */
export function relation(staged: ReadonlyMap<FileName, Staged>, file: FileName, columns: readonly string[]): Relation {
  const specs = FILE_SPECS[file].columns as Readonly<Record<string, ColumnSpec>>;
  const s = staged.get(file) ?? null;
  const col = (c: string) => {
    const spec = specs[c];
    if (!spec) throw new Error(`colonne inconnue ${file}.${c}`);
    if (!s) return ident(c);
    if (!s.file.columns.includes(c)) return `CAST(NULL AS ${sqlType(spec)}) AS ${ident(c)}`;
    // A fast-staged file holds its typed values (typed-staging.ts): read as they are, not cast back from text.
    return s.typed ? ident(c) : `${loadSql(spec, c)} AS ${ident(c)}`;
  };
  const sql = s
    ? `(SELECT ${LINE_SQL} AS ligne, ${columns.map(col).join(', ')} FROM ${ident(s.typed ?? s.table)})`
    : `(SELECT CAST(NULL AS INTEGER) AS ligne, ${columns.map(col).join(', ')} FROM ${ident(file)})`;
  return { sql, staged: s, file };
}

const where = (r: Relation, ligne: number | null) => (r.staged ? `${r.staged.file.fichier}, ligne ${ligne ?? '?'}` : `${r.file} en base`);

interface Field {
  readonly champ: string;
  readonly source: string;
  readonly target: string;
  /** An empty target means something (hors QPV): a filled source then contradicts it. */
  readonly emptyTargetMeans?: string;
}

interface PairRow {
  ligne: number | null;
  ligne_cible: number | null;
  id_source: string;
  id_cible: string;
  champ: string;
  v: string | null;
  w: string | null;
  total: number;
}

/** True on a joined pair (aliases `s` and `t`) whose field contradicts: the one condition of the probe and of the located query. */
const fieldBroken = (f: Field, s: string, t: string) =>
  `(${s}.${ident(f.source)} IS NOT NULL AND (${s}.${ident(f.source)} <> ${t}.${ident(f.target)}${f.emptyTargetMeans ? ` OR ${t}.${ident(f.target)} IS NULL` : ''}))`;

/** Fields of a row that contradict those of the row it points to (source.fk = target.key). */
async function fieldPairs(
  store: Store,
  src: Relation,
  tgt: Relation,
  link: { readonly fk: string; readonly key: string; readonly sourceId: string },
  fields: readonly Field[],
  describe: { readonly source: string; readonly target: string },
): Promise<{ problems: ImportProblem[]; hidden: number }> {
  // Typed comparisons first (the common case: no row breaks), the per-field rows only for the broken ones.
  const broken = (f: Field) => fieldBroken(f, 's', 't');
  const structs = fields.map(
    (f) => `{'champ': ${literal(f.champ)}, 'v': s.${ident(f.source)}::VARCHAR, 'w': t.${ident(f.target)}::VARCHAR, 'casse': coalesce(${broken(f)}, FALSE)}`,
  );
  const rows = await store.all<PairRow>(
    `WITH pairs AS (
       SELECT s.ligne, t.ligne AS ligne_cible, s.${ident(link.sourceId)}::VARCHAR AS id_source, t.${ident(link.key)}::VARCHAR AS id_cible,
              unnest([${structs.join(', ')}]) AS f
       FROM ${src.sql} s JOIN ${tgt.sql} t ON s.${ident(link.fk)} = t.${ident(link.key)}
       WHERE ${fields.map(broken).join(' OR ')})
     SELECT ligne, ligne_cible, id_source, id_cible, f.champ AS champ, f.v AS v, f.w AS w, (count(*) OVER ())::INTEGER AS total
     FROM pairs WHERE f.casse
     ORDER BY coalesce(ligne, ligne_cible), champ LIMIT ${maxProblemsPerCheck()}`,
  );
  const problems = rows.map((r) => {
    const meaning = fields.find((f) => f.champ === r.champ)?.emptyTargetMeans;
    const theirs = r.w === null ? `${meaning ?? 'vide'}` : `« ${r.w} »`;
    if (src.staged) {
      return problem({
        fichier: src.staged.file.fichier,
        ligne: r.ligne,
        colonne: r.champ,
        valeur: r.v,
        message: `contredit ${describe.target} ${r.id_cible} (${where(tgt, r.ligne_cible)}) : ${r.champ} ${theirs}`,
      });
    }
    return problem({
      fichier: (tgt.staged as Staged).file.fichier,
      ligne: r.ligne_cible,
      colonne: r.champ,
      valeur: r.w,
      message: `contredit ${describe.source} ${r.id_source} déjà en base (${r.champ} « ${r.v} ») : importez aussi ${src.file}.csv corrigé`,
    });
  });
  return { problems, hidden: Math.max((rows[0]?.total ?? 0) - rows.length, 0) };
}

/** The département of an INSEE code (2 characters, 3 overseas). */
const departement = (c: string) => `CASE WHEN starts_with(${c}, '97') THEN left(${c}, 3) ELSE left(${c}, 2) END`;

/**
 * One contradiction between a row and the row it points to (source.fk = target.key), as the condition its located
 * query reports: the probe of the import (cross-file-probe.ts) counts the same condition over the same join, so that
 * the located query runs only when a row breaks it (one home for each rule, issue 18).
 */
export interface PairCheck {
  readonly id: string;
  readonly source: FileName;
  readonly target: FileName;
  readonly fk: string;
  readonly key: string;
  readonly sourceColumns: readonly string[];
  readonly targetColumns: readonly string[];
  /** True on a joined pair (SQL aliases of the source and target rows) that the located query reports. */
  readonly broken: (s: string, t: string) => string;
}

const ALLOCATION_DWELLING: readonly Field[] = [
  { champ: 'bailleur_id', source: 'bailleur_id', target: 'bailleur_id' },
  { champ: 'code_insee', source: 'code_insee', target: 'code_insee' },
  { champ: 'code_qpv', source: 'code_qpv', target: 'code_qpv', emptyTargetMeans: 'vide (logement hors QPV)' },
  { champ: 'nb_pieces', source: 'nb_pieces', target: 'nb_pieces' },
  { champ: 'financement', source: 'financement', target: 'financement' },
];
const DWELLING_RESIDENCE: readonly Field[] = [
  { champ: 'bailleur_id', source: 'bailleur_id', target: 'bailleur_id' },
  { champ: 'code_insee', source: 'code_insee', target: 'code_insee' },
  // A residence may straddle a QPV's boundary: only two different QPVs contradict each other.
  { champ: 'code_qpv', source: 'code_qpv', target: 'code_qpv' },
];
const anyFieldBroken = (fields: readonly Field[]) => (s: string, t: string) => `(${fields.map((f) => fieldBroken(f, s, t)).join(' OR ')})`;

const ALLOCATION_HOUSEHOLD = ['id', 'nur', 'date_cal', 'nb_personnes', 'nb_moins_14_ans'] as const;
const REQUEST_HOUSEHOLD = ['nur', 'date_depot', 'nb_personnes', 'nb_moins_14_ans'] as const;

/** The CALEOL before the filing of its request. */
const BEFORE_FILING: PairCheck = {
  id: 'attributions>demandes : dépôt',
  source: 'attributions',
  target: 'demandes',
  fk: 'nur',
  key: 'nur',
  sourceColumns: ALLOCATION_HOUSEHOLD,
  targetColumns: REQUEST_HOUSEHOLD,
  broken: (a, d) => `(${a}.date_cal < ${d}.date_depot)`,
};
/**
 * No person of 14 or more once the household fields missing from the allocation are taken from the request (the
 * household as the engines read it: regles-sql.ts). Both fields from the allocation are that file's own rule.
 */
const NO_ADULT: PairCheck = {
  ...BEFORE_FILING,
  id: 'attributions>demandes : adulte',
  broken: (a, d) => {
    const menage = menageAttributionSql({ a, d });
    return `((${a}.nb_personnes IS NULL) <> (${a}.nb_moins_14_ans IS NULL) AND ${menage.nbMoins14} >= ${menage.nbPersonnes})`;
  },
};
const QPV_FILES = ['residences', 'logements', 'attributions'] as const;
/** A QPV cited with another commune than its own in qpv.csv (an error or a warning: qpvCommune). */
const qpvCommuneCheck = (file: (typeof QPV_FILES)[number]): PairCheck => ({
  id: `${file}>qpv : commune`,
  source: file,
  target: 'qpv',
  fk: 'code_qpv',
  key: 'code_qpv',
  sourceColumns: ['id', 'code_insee', 'code_qpv'],
  targetColumns: ['code_qpv', 'code_insee'],
  broken: (s, q) => `(${s}.code_insee <> ${q}.code_insee)`,
});

const ALLOCATION_VS_DWELLING: PairCheck = {
  id: 'attributions>logements',
  source: 'attributions',
  target: 'logements',
  fk: 'logement_id',
  key: 'id',
  sourceColumns: ['id', 'logement_id', ...ALLOCATION_DWELLING.map((f) => f.source)],
  targetColumns: ['id', ...ALLOCATION_DWELLING.map((f) => f.target)],
  broken: anyFieldBroken(ALLOCATION_DWELLING),
};
const DWELLING_VS_RESIDENCE: PairCheck = {
  id: 'logements>residences',
  source: 'logements',
  target: 'residences',
  fk: 'residence_id',
  key: 'id',
  sourceColumns: ['id', 'residence_id', ...DWELLING_RESIDENCE.map((f) => f.source)],
  targetColumns: ['id', ...DWELLING_RESIDENCE.map((f) => f.target)],
  broken: anyFieldBroken(DWELLING_RESIDENCE),
};

/** Every check across a pair of files, in the order of the report. */
export const PAIR_CHECKS: readonly PairCheck[] = [ALLOCATION_VS_DWELLING, DWELLING_VS_RESIDENCE, BEFORE_FILING, NO_ADULT, ...QPV_FILES.map(qpvCommuneCheck)];

/**
 * `counts` (cross-file-probe.ts) holds, per check whose source file is staged, how many joined rows break it: a
 * located query runs only for a check that breaks, or was not counted (a stored source file).
 */
export async function checkConsistency(
  store: Store,
  staged: ReadonlyMap<FileName, Staged>,
  counts: CrossFileCounts = new Map(),
): Promise<{ problems: ImportProblem[]; hidden: number }> {
  const problems: ImportProblem[] = [];
  let hidden = 0;
  const add = (r: { problems: ImportProblem[]; hidden: number }) => {
    problems.push(...r.problems);
    hidden += r.hidden;
  };
  const runs = (check: PairCheck) => (staged.has(check.source) || staged.has(check.target)) && counts.get(check.id) !== 0;
  const rel = (file: FileName, columns: readonly string[]) => relation(staged, file, columns);
  const pair = (check: PairCheck) => [rel(check.source, check.sourceColumns), rel(check.target, check.targetColumns)] as const;
  const link = (check: PairCheck) => ({ fk: check.fk, key: check.key, sourceId: 'id' });

  if (runs(ALLOCATION_VS_DWELLING)) {
    add(await fieldPairs(store, ...pair(ALLOCATION_VS_DWELLING), link(ALLOCATION_VS_DWELLING), ALLOCATION_DWELLING, { source: 'l’attribution', target: 'le logement' }));
  }
  if (runs(DWELLING_VS_RESIDENCE)) {
    add(await fieldPairs(store, ...pair(DWELLING_VS_RESIDENCE), link(DWELLING_VS_RESIDENCE), DWELLING_RESIDENCE, { source: 'le logement', target: 'la résidence' }));
  }
  if (runs(BEFORE_FILING) || runs(NO_ADULT)) add(await allocationVsRequest(store, ...pair(BEFORE_FILING)));
  for (const file of QPV_FILES) {
    const check = qpvCommuneCheck(file);
    if (runs(check)) add(await qpvCommune(store, ...pair(check), check));
  }
  if (staged.has('attributions')) add(await doubleLeases(store, rel('attributions', ['id', 'nur', 'logement_id', 'issue', 'date_bail'])));
  return { problems, hidden };
}

async function allocationVsRequest(store: Store, a: Relation, d: Relation): Promise<{ problems: ImportProblem[]; hidden: number }> {
  const menage = menageAttributionSql({ a: 'a', d: 'd' });
  const rows = await store.all<{
    ligne: number | null;
    ligne_d: number | null;
    id: string;
    nur: string;
    kind: 'depot' | 'adulte';
    date_cal: string;
    date_depot: string;
    personnes: number;
    moins14: number;
    total: number;
  }>(
    `WITH j AS (
       SELECT a.ligne, d.ligne AS ligne_d, a.id, a.nur, a.date_cal, d.date_depot,
              ${menage.nbPersonnes} AS personnes, ${menage.nbMoins14} AS moins14,
              ${BEFORE_FILING.broken('a', 'd')} AS avant_depot, ${NO_ADULT.broken('a', 'd')} AS sans_adulte
       FROM ${a.sql} a JOIN ${d.sql} d USING (nur)),
     broken AS (
       SELECT *, 'depot' AS kind FROM j WHERE avant_depot
       UNION ALL SELECT *, 'adulte' AS kind FROM j WHERE sans_adulte)
     SELECT ligne, ligne_d, id, nur, kind, date_cal::VARCHAR AS date_cal, date_depot::VARCHAR AS date_depot, personnes, moins14,
            (count(*) OVER ())::INTEGER AS total
     FROM broken ORDER BY coalesce(ligne, ligne_d), kind LIMIT ${maxProblemsPerCheck()}`,
  );
  const problems = rows.map((r) => {
    const onAllocation = a.staged !== null;
    if (r.kind === 'depot') {
      return onAllocation
        ? problem({
            fichier: a.staged!.file.fichier,
            ligne: r.ligne,
            colonne: 'date_cal',
            valeur: r.date_cal,
            message: `la CALEOL précède le dépôt de la demande ${r.nur} (${where(d, r.ligne_d)} : date_depot ${r.date_depot}) : une décision suit la demande`,
          })
        : problem({
            fichier: d.staged!.file.fichier,
            ligne: r.ligne_d,
            colonne: 'date_depot',
            valeur: r.date_depot,
            message: `l’attribution ${r.id} déjà en base a sa CALEOL le ${r.date_cal}, avant ce dépôt : importez aussi attributions.csv corrigé`,
          });
    }
    const text = `le ménage compte ${r.personnes} personne(s) dont ${r.moins14} de moins de 14 ans une fois complété par la demande : il faut au moins une personne de 14 ans ou plus`;
    return onAllocation
      ? problem({ fichier: a.staged!.file.fichier, ligne: r.ligne, colonne: 'nb_moins_14_ans', valeur: String(r.moins14), message: `${text} (${where(d, r.ligne_d)})` })
      : problem({ fichier: d.staged!.file.fichier, ligne: r.ligne_d, colonne: 'nb_personnes', valeur: String(r.personnes), message: `${text} (attribution ${r.id} en base)` });
  });
  return { problems, hidden: Math.max((rows[0]?.total ?? 0) - rows.length, 0) };
}

/** A QPV cited with another commune than its own in qpv.csv: error across départements, warning inside one. */
async function qpvCommune(store: Store, s: Relation, q: Relation, check: PairCheck): Promise<{ problems: ImportProblem[]; hidden: number }> {
  const rows = await store.all<{ code_qpv: string; commune: string; principale: string; ligne: number | null; ligne_q: number | null; n: number; erreur: boolean }>(
    `SELECT s.code_qpv, s.code_insee AS commune, q.code_insee AS principale, min(s.ligne) AS ligne, min(q.ligne) AS ligne_q, count(*)::INTEGER AS n,
            ${departement('s.code_insee')} <> ${departement('q.code_insee')} AS erreur
     FROM ${s.sql} s JOIN ${q.sql} q USING (code_qpv)
     WHERE ${check.broken('s', 'q')} GROUP BY ALL ORDER BY erreur DESC, min(coalesce(s.ligne, q.ligne)) LIMIT ${maxProblemsPerCheck()}`,
  );
  const problems: ImportProblem[] = [];
  for (const r of rows) {
    const fichier = s.staged ? s.staged.file.fichier : (q.staged as Staged).file.fichier;
    const ligne = s.staged ? r.ligne : r.ligne_q;
    const lignes = r.n > 1 ? ` (${r.n} lignes${s.staged ? `, la première ici` : ''})` : '';
    problems.push(
      problem({
        severite: r.erreur ? 'erreur' : 'avertissement',
        fichier,
        ligne,
        colonne: s.staged ? 'code_qpv' : 'code_insee',
        valeur: s.staged ? r.code_qpv : r.principale,
        message: r.erreur
          ? `le QPV ${r.code_qpv} est dans la commune ${r.principale} (${where(q, r.ligne_q)}), d’un autre département que la commune ${r.commune} de ${s.staged ? 'cette ligne' : `${s.file} en base`}${lignes}`
          : `le QPV ${r.code_qpv} a pour commune ${r.principale} dans qpv.csv, mais est cité avec la commune ${r.commune}${lignes} : normal s’il s’étend sur plusieurs communes, sinon corrigez`,
      }),
    );
  }
  return { problems, hidden: 0 };
}

/** A request is satisfied by one lease; a dwelling gets one lease a day. */
async function doubleLeases(store: Store, a: Relation): Promise<{ problems: ImportProblem[]; hidden: number }> {
  const leases = `(SELECT nur, logement_id, date_bail FROM ${a.sql} WHERE issue = 'bail_signe')`;
  const dated = 'logement_id IS NOT NULL AND date_bail IS NOT NULL';
  // Equal keys have equal 64-bit hashes: as many distinct hashes as leases proves no key repeats, for less than
  // grouping the keys (as hasDuplicateKeys, validate.ts). Fewer (a repeat, or two keys sharing a hash), and the
  // located query below decides.
  const [gate] = await store.all<{ nur: number; logement: number }>(
    `SELECT (count(*) - count(DISTINCT hash(nur)))::INTEGER AS nur,
            (count(*) FILTER (WHERE ${dated}) - count(DISTINCT hash(logement_id, date_bail)) FILTER (WHERE ${dated}))::INTEGER AS logement
     FROM ${leases}`,
  );
  if (gate?.nur === 0 && gate.logement === 0) return { problems: [], hidden: 0 };
  const rows = await store.all<{ ligne: number; premiere: number; kind: 'nur' | 'logement'; valeur: string; total: number }>(
    `WITH leases AS (SELECT ligne, nur, logement_id, date_bail FROM ${a.sql} WHERE issue = 'bail_signe'),
          by_nur AS (SELECT nur, min(ligne) AS premiere FROM leases GROUP BY nur HAVING count(*) > 1),
          by_dwelling AS (SELECT logement_id, date_bail, min(ligne) AS premiere FROM leases
                          WHERE logement_id IS NOT NULL AND date_bail IS NOT NULL GROUP BY ALL HAVING count(*) > 1),
          broken AS (
            SELECT l.ligne, b.premiere, 'nur' AS kind, l.nur AS valeur FROM leases l JOIN by_nur b USING (nur)
            UNION ALL
            SELECT l.ligne, b.premiere, 'logement', l.logement_id || ' / ' || l.date_bail::VARCHAR FROM leases l JOIN by_dwelling b USING (logement_id, date_bail))
     SELECT ligne, premiere, kind, valeur, (count(*) OVER ())::INTEGER AS total FROM broken WHERE ligne <> premiere
     ORDER BY ligne LIMIT ${maxProblemsPerCheck()}`,
  );
  const fichier = (a.staged as Staged).file.fichier;
  const problems = rows.map((r) =>
    problem({
      fichier,
      ligne: r.ligne,
      colonne: r.kind === 'nur' ? 'nur' : 'logement_id + date_bail',
      valeur: r.valeur,
      message:
        r.kind === 'nur'
          ? `deuxième bail signé pour la même demande (premier ligne ${r.premiere}) : une demande est satisfaite par un seul bail`
          : `deuxième bail signé le même jour pour le même logement (premier ligne ${r.premiere})`,
    }),
  );
  return { problems, hidden: Math.max((rows[0]?.total ?? 0) - rows.length, 0) };
}
