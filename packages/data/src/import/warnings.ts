import type { CiaConfig, ColumnSpec, FileName } from '@mixite/core';
import { DEFAULT_CIA_CONFIG, FILE_SPECS, quartileSql } from '@mixite/core';
import type { Store } from '../store/store.ts';
import { ident } from '../store/sql-types.ts';
import type { ImportProblem } from './problems.ts';
import { maxProblemsPerCheck, problem } from './problems.ts';
import type { Staged } from './staging.ts';
import { LINE_SQL } from './staging.ts';
import { loadSql } from './sql-checks.ts';

/**
 * Suspicious but valid data, reported as warnings once the dataset is known to be valid.
 *
 * The `q1` flag of an extraction (the SNE's own first-quartile flag) is compared with the computed one
 * (DATA-FORMAT.md: "the computed value is used and the disagreement is reported"):
 * - a request against the threshold of the year of the extraction (its latest date), or the latest published;
 * - an allocation carrying its own household fields against the threshold of the year of its CALEOL.
 */
export async function q1FlagWarnings(
  store: Store,
  staged: ReadonlyMap<FileName, Staged>,
  importedConfig: CiaConfig | null,
): Promise<ImportProblem[]> {
  const targets = (['demandes', 'attributions'] as const).filter((f) => staged.get(f)?.file.columns.includes('q1'));
  if (targets.length === 0) return [];
  const config = importedConfig ?? (await storedConfig(store));
  const seuils = seuilsRelation(staged.get('seuils'));
  const codeEpci = config.code_epci ?? (await singleEpci(store, staged.get('communes')));
  const q = quartileSql(config.uc);
  const warnings: ImportProblem[] = [];

  for (const name of targets) {
    const s = staged.get(name) as Staged;
    const cols = FILE_SPECS[name].columns as Record<string, ColumnSpec>;
    // A fast-staged file holds typed values already (typed-staging.ts): read as they are, not cast again from text.
    const value = (c: string) => (!s.file.columns.includes(c) ? 'NULL' : s.typed ? ident(c) : loadSql(cols[c] as ColumnSpec, c));
    const relation = ident(s.typed ?? s.table);
    const menage = { ressources: value('ressources_mensuelles'), nbPersonnes: value('nb_personnes'), nbMoins14: value('nb_moins_14_ans') };
    // A request's flag is relative to the arrêté in force at the extraction: the year of the latest date in the file,
    // or the latest published. Computed apart, and joined on as a constant: a scalar subquery in the join condition
    // made it a nested loop (issue 18: 0.4–1.1 s of processor time at IDF, 0.1–0.3 s with the year as a constant).
    const [extraction] =
      name === 'demandes'
        ? await store.all<{ y: number | null }>(
            `SELECT least((SELECT max(annee) FROM (${seuils})),
                          year(max(greatest(${value('date_depot')}, coalesce(${value('date_radiation')}, ${value('date_depot')}))))::INTEGER)::INTEGER AS y
             FROM ${relation}`,
          )
        : [];
    const year = name === 'demandes' ? `${extraction?.y ?? 'NULL'}` : `year(${value('date_cal')})`;
    const rows = await store.all<{ ligne: number; q1: boolean; seuil: string; annee: number; total: number }>(
      `WITH seuils_typed AS (${seuils}),
            applicable AS (
              SELECT annee, arg_min(seuil_q1, CASE WHEN code_epci = $1 THEN 0 WHEN code_epci IS NULL THEN 1 ELSE 2 END) AS seuil_q1
              FROM seuils_typed WHERE code_epci IS NULL OR code_epci = $1 GROUP BY annee),
            rows AS (
              SELECT ${LINE_SQL} AS ligne, ${value('q1')} AS q1, a.seuil_q1, a.annee,
                     ${q.auPlusLaLimite(menage, q.centimes('a.seuil_q1'))} AS calcule
              FROM ${relation} JOIN applicable a ON a.annee = ${year}
              WHERE ${value('q1')} IS NOT NULL AND ${menage.ressources} IS NOT NULL AND ${menage.nbPersonnes} IS NOT NULL)
       SELECT ligne, q1, seuil_q1::VARCHAR AS seuil, annee, (count(*) OVER ())::INTEGER AS total
       FROM rows WHERE calcule <> q1 ORDER BY ligne LIMIT ${maxProblemsPerCheck()}`,
      // The EPCI's code is a value (it comes from cia.yaml or communes.csv): a parameter, NULL when unknown.
      [codeEpci],
    );
    for (const r of rows) {
      warnings.push(
        problem({
          severite: 'avertissement',
          fichier: s.file.fichier,
          ligne: r.ligne,
          colonne: 'q1',
          valeur: r.q1 ? '1' : '0',
          message: `le drapeau du fichier dit ${r.q1 ? '« premier quartile »' : '« hors premier quartile »'}, le calcul (ressources × 12 ÷ UC comparées au seuil ${r.annee} de ${Number(r.seuil).toLocaleString('fr-FR')} €) dit le contraire : le calcul fait foi`,
        }),
      );
    }
    const total = rows[0]?.total ?? 0;
    if (total > rows.length) {
      warnings.push(problem({ severite: 'avertissement', fichier: s.file.fichier, colonne: 'q1', message: `… ${total - rows.length} autres désaccords sur le drapeau q1` }));
    }
  }
  return warnings;
}

function seuilsRelation(staged: Staged | undefined): string {
  if (!staged) return `SELECT annee, code_epci, seuil_q1 FROM seuils`;
  const cols = FILE_SPECS.seuils.columns;
  const has = (c: string) => staged.file.columns.includes(c);
  return `SELECT ${loadSql(cols.annee, 'annee')} AS annee, ${has('code_epci') ? loadSql(cols.code_epci, 'code_epci') : 'NULL'} AS code_epci,
                 ${loadSql(cols.seuil_q1, 'seuil_q1')} AS seuil_q1 FROM ${ident(staged.table)}`;
}

async function storedConfig(store: Store): Promise<CiaConfig> {
  const [row] = await store.all<{ contenu: string }>(`SELECT contenu::VARCHAR AS contenu FROM configuration ORDER BY version DESC LIMIT 1`);
  return row ? (JSON.parse(row.contenu) as CiaConfig) : DEFAULT_CIA_CONFIG;
}

async function singleEpci(store: Store, communes: Staged | undefined): Promise<string | null> {
  const relation = communes ? ident(communes.table) : 'communes';
  const rows = await store.all<{ code_epci: string }>(`SELECT DISTINCT code_epci FROM ${relation} WHERE code_epci IS NOT NULL LIMIT 2`);
  return rows.length === 1 ? (rows[0]?.code_epci ?? null) : null;
}
