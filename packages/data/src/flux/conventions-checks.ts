import type { ColumnSpec, FileName } from '@mixite/core';
import { FILE_SPECS, PLAFONDS_ETAT } from '@mixite/core';
import { formatTaux } from '@mixite/core/francais';
import type { ImportProblem } from '../import/problems.ts';
import { MAX_PROBLEMS_PER_CHECK, problem } from '../import/problems.ts';
import { relation } from '../import/consistency.ts';
import { loadSql } from '../import/sql-checks.ts';
import type { Staged } from '../import/staging.ts';
import { LINE_SQL } from '../import/staging.ts';
import { ident, sqlType } from '../store/sql-types.ts';
import type { Store } from '../store/store.ts';

/**
 * Checks of conventions.csv across its rows and against the other files (the staged version of a file when it is in
 * the batch, the stored one otherwise), once every cell and reference is valid:
 * - the shares of a bailleur and a year sum to at most 1 (error, on the bailleur-year's last line);
 * - the State's share is at most 30 % of the flow, its agents' at most 5 % (CCH R441-5): warnings, since a
 *   convention signed before the reform may still run for a transitional period;
 * - a convention for a year when the bailleur has no dwelling in service (logements.csv) shares no flow (error);
 *   not checked when the territory has no logements.csv at all (the flow is then read from the allocations).
 * Unknown ids and duplicate rows are the generic reference and key checks of the import.
 */
export async function checkConventions(store: Store, staged: ReadonlyMap<FileName, Staged>): Promise<ImportProblem[]> {
  const conv = staged.get('conventions');
  if (!conv) return [];
  const fichier = conv.file.fichier;
  const col = (c: string) => {
    const spec = (FILE_SPECS.conventions.columns as Readonly<Record<string, ColumnSpec>>)[c] as ColumnSpec;
    return conv.file.columns.includes(c) ? `${loadSql(spec, c)} AS ${ident(c)}` : `CAST(NULL AS ${sqlType(spec)}) AS ${ident(c)}`;
  };
  const rows = `(SELECT ${LINE_SQL} AS ligne, ${['bailleur_id', 'reservataire_id', 'annee', 'part'].map(col).join(', ')} FROM ${ident(conv.table)})`;
  const reservataires = staged.get('reservataires') ? `(SELECT id, type FROM ${ident((staged.get('reservataires') as Staged).table)})` : 'reservataires';
  const problems: ImportProblem[] = [];

  const sommes = await store.all<{ ligne: number; bailleur_id: string; annee: number; total: number }>(
    `SELECT max(ligne) AS ligne, bailleur_id, annee, sum(part)::DOUBLE AS total FROM ${rows} c
     GROUP BY bailleur_id, annee HAVING sum(part) > 1 + 1e-9 ORDER BY ligne LIMIT ${MAX_PROBLEMS_PER_CHECK}`,
  );
  for (const s of sommes) {
    problems.push(
      problem({
        fichier,
        ligne: s.ligne,
        colonne: 'part',
        valeur: formatTaux(s.total),
        message: `les parts des conventions du bailleur ${s.bailleur_id} pour ${s.annee} totalisent ${formatTaux(s.total)} du flux : au plus 100 % (la part du bailleur est le reste)`,
      }),
    );
  }

  const etat = await store.all<{ ligne: number; bailleur_id: string; annee: number; etat: number; agents: number }>(
    `SELECT max(c.ligne) AS ligne, c.bailleur_id, c.annee,
            sum(CASE WHEN r.type IN ('etat_prioritaires', 'etat_agents') THEN c.part ELSE 0 END)::DOUBLE AS etat,
            sum(CASE WHEN r.type = 'etat_agents' THEN c.part ELSE 0 END)::DOUBLE AS agents
     FROM ${rows} c JOIN ${reservataires} r ON r.id = c.reservataire_id
     GROUP BY c.bailleur_id, c.annee
     HAVING etat > $1 + 1e-9 OR agents > $2 + 1e-9 ORDER BY ligne LIMIT ${MAX_PROBLEMS_PER_CHECK}`,
    [PLAFONDS_ETAT.total, PLAFONDS_ETAT.agents],
  );
  for (const e of etat) {
    if (e.etat > PLAFONDS_ETAT.total + 1e-9) {
      problems.push(
        problem({
          severite: 'avertissement',
          fichier,
          ligne: e.ligne,
          colonne: 'part',
          valeur: formatTaux(e.etat),
          message: `la part de l’État dans le flux du bailleur ${e.bailleur_id} en ${e.annee} est de ${formatTaux(e.etat)} : l’article R441-5 du CCH la limite à 30 % (une convention antérieure peut encore s’appliquer pendant la transition)`,
        }),
      );
    }
    if (e.agents > PLAFONDS_ETAT.agents + 1e-9) {
      problems.push(
        problem({
          severite: 'avertissement',
          fichier,
          ligne: e.ligne,
          colonne: 'part',
          valeur: formatTaux(e.agents),
          message: `la part des agents de l’État dans le flux du bailleur ${e.bailleur_id} en ${e.annee} est de ${formatTaux(e.agents)} : l’article R441-5 du CCH la limite à 5 % (dans les 30 % de l’État)`,
        }),
      );
    }
  }

  // Each bailleur's first year with a dwelling in service (a dwelling without a date counts every year), grouped
  // once: a thousand bailleurs instead of a correlated probe of every dwelling (issue 18: 1.3 s of processor time at
  // national scale). Typed values of a fast-staged logements.csv are read as they are (relation, consistency.ts).
  const logements = relation(staged, 'logements', ['bailleur_id', 'date_mise_en_service']).sql;
  const parc = `(SELECT bailleur_id, bool_or(date_mise_en_service IS NULL) AS toujours, min(year(date_mise_en_service)) AS premiere
                 FROM ${logements} GROUP BY bailleur_id)`;
  const [{ n } = { n: 0 }] = await store.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM (SELECT 1 FROM ${logements} LIMIT 1)`);
  if (n > 0) {
    const sansParc = await store.all<{ ligne: number; bailleur_id: string; annee: number }>(
      `SELECT c.ligne, c.bailleur_id, c.annee FROM ${rows} c
       WHERE NOT EXISTS (SELECT 1 FROM ${parc} p WHERE p.bailleur_id = c.bailleur_id AND (p.toujours OR p.premiere <= c.annee))
       ORDER BY c.ligne LIMIT ${MAX_PROBLEMS_PER_CHECK}`,
    );
    for (const s of sansParc) {
      problems.push(
        problem({
          fichier,
          ligne: s.ligne,
          colonne: 'annee',
          valeur: String(s.annee),
          message: `le bailleur ${s.bailleur_id} n’a aucun logement en service en ${s.annee} dans logements.csv : une convention sur un parc vide ne porte sur aucun flux`,
        }),
      );
    }
  }
  return problems;
}
