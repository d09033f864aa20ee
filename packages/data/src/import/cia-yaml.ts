import { readFileSync } from 'node:fs';
import type { CiaConfig, FileName } from '@mixite/core';
import { NON_RESERVE, isLegalIndicatorId, isTypeContingent, validateCiaYaml } from '@mixite/core';
import type { Store } from '../store/store.ts';
import { sql } from '../store/sql.ts';
import { ident } from '../store/sql-types.ts';
import type { ImportProblem } from './problems.ts';
import { problem } from './problems.ts';
import type { Staged } from './staging.ts';

/**
 * The `cia.yaml` of a dataset: read strictly (unknown keys, shares outside [0, 1], a secrecy threshold below 1
 * are errors with their line), then checked against the territory as it will be after the import (staged
 * files, else the store): the EPCI and the perimeters it names must exist, its indicators must be known.
 */

export interface ConfigRead {
  readonly config: CiaConfig;
  readonly fichier: string;
  readonly ligneDe: (path: readonly PropertyKey[]) => number | null;
}

export function readCiaYaml(path: string, fichier: string, errors: ImportProblem[]): ConfigRead | null {
  const result = validateCiaYaml(readFileSync(path, 'utf8'));
  if (result.ok) return { config: result.config, fichier, ligneDe: result.ligneDe };
  for (const p of result.problemes) errors.push(problem({ fichier, ligne: p.ligne ?? null, colonne: p.chemin === '(document)' ? null : p.chemin, message: p.message }));
  return null;
}

/** A key column of a file, as it will be after the import. */
function keys(staged: ReadonlyMap<FileName, Staged>, file: FileName, column: string): string {
  const s = staged.get(file);
  return s ? `(SELECT ${ident(column)} AS k FROM ${ident(s.table)})` : `(SELECT ${ident(column)}::VARCHAR AS k FROM ${ident(file)})`;
}

export async function checkConfigTerritory(store: Store, staged: ReadonlyMap<FileName, Staged>, read: ConfigRead): Promise<ImportProblem[]> {
  const problems: ImportProblem[] = [];
  const { config, fichier, ligneDe } = read;
  const report = (path: (string | number)[], valeur: string, message: string) =>
    problems.push(problem({ fichier, ligne: ligneDe(path), colonne: path.join('.'), valeur, message }));

  /** The ids among `ids` absent from a key column; none when that column is empty (nothing imported yet). */
  const missing = async (file: FileName, column: string, ids: readonly string[]): Promise<Set<string>> => {
    if (ids.length === 0) return new Set();
    // The ids come from cia.yaml: values, bound as parameters (the key relation is built from names of code).
    const rows = await store.all<{ id: string; vide: boolean }>(
      sql`WITH k AS (SELECT DISTINCT k FROM ${sql.raw(keys(staged, file, column))} WHERE k IS NOT NULL)
       SELECT v.id, (SELECT count(*) FROM k) = 0 AS vide FROM (VALUES ${sql.join(ids.map((id) => sql`(${id}::VARCHAR)`))}) v(id)
       WHERE v.id NOT IN (SELECT k FROM k)`,
    );
    return new Set(rows.filter((r) => !r.vide).map((r) => r.id));
  };

  if (config.code_epci !== null && (await missing('communes', 'code_epci', [config.code_epci])).size > 0) {
    report(['code_epci'], config.code_epci, 'aucune commune de communes.csv n’appartient à cet EPCI : vérifiez le SIREN (colonne code_epci de communes.csv)');
  }

  const overrides = config.cibles_par_perimetre;
  const idsOf = (type: string) => overrides.filter((o) => o.perimetre_type === type).map((o) => o.perimetre_id);
  const contingents = idsOf('contingent');
  const absent = {
    commune: await missing('communes', 'code_insee', idsOf('commune')),
    qpv: await missing('qpv', 'code_qpv', idsOf('qpv')),
    bailleur: await missing('bailleurs', 'id', [
      ...idsOf('bailleur'),
      ...contingents.filter((id) => id.startsWith(`${NON_RESERVE}:`)).map((id) => id.slice(NON_RESERVE.length + 1)),
    ]),
    contingent: await missing('reservataires', 'id', contingents.filter((id) => !id.startsWith(`${NON_RESERVE}:`))),
    territoire: await missing('communes', 'code_epci', idsOf('territoire')),
  };
  const where: Record<string, string> = {
    commune: 'commune absente de communes.csv (colonne code_insee)',
    qpv: 'QPV absent de qpv.csv (colonne code_qpv)',
    bailleur: 'bailleur absent de bailleurs.csv (colonne id)',
    contingent: 'réservataire absent de reservataires.csv (colonne id), ni non_reserve:<bailleur> d’un bailleur connu',
    territoire: 'EPCI absent de communes.csv (colonne code_epci)',
  };
  overrides.forEach((o, i) => {
    const path = ['cibles_par_perimetre', i];
    if (!isLegalIndicatorId(o.indicateur)) report([...path, 'indicateur'], o.indicateur, 'indicateur inconnu : cette cible ne s’appliquerait à rien');
    let unknown = false;
    if (o.perimetre_type === 'type_contingent') unknown = !isTypeContingent(o.perimetre_id);
    else if (o.perimetre_type === 'contingent' && o.perimetre_id.startsWith(`${NON_RESERVE}:`)) unknown = absent.bailleur.has(o.perimetre_id.slice(NON_RESERVE.length + 1));
    else unknown = absent[o.perimetre_type as keyof typeof absent]?.has(o.perimetre_id) ?? false;
    if (unknown) {
      const message = o.perimetre_type === 'type_contingent' ? 'type de contingent inconnu' : (where[o.perimetre_type] ?? 'périmètre inconnu');
      report([...path, 'perimetre_id'], o.perimetre_id, `${message} : cette cible ne s’appliquerait à rien`);
    }
  });
  return problems;
}
