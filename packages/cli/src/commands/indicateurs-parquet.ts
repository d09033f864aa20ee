import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError, parse, requiredYear } from '../args.ts';

/**
 * `mixite indicateurs --parquet DOSSIER` (issue 18, item 5): every EPCI's targets of a year from an observatory folder
 * (written by `mixite exporter --format parquet`, gathered from many EPCIs), in one run. No store is touched. The CSV
 * is indicateurs.csv's (docs/format-donnees.md) with one column added after every other: `epci`.
 */

export const INDICATEURS_PARQUET_HELP = `  --parquet DOSSIER  dossier Parquet d’un observatoire (plusieurs EPCI, écrit par « mixite exporter --format
                     parquet ») : les objectifs de chaque EPCI, au format csv avec une colonne « epci » ajoutée`;

export async function indicateursParquetCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { parquet: { type: 'string' }, annee: { type: 'string' }, out: { type: 'string', short: 'o' }, format: { type: 'string' } });
  if (positionals.length > 0) throw new UsageError(`argument inattendu : ${positionals[0]}`);
  if (!values.parquet) throw new UsageError('indiquez le dossier Parquet avec --parquet');
  if (values.format !== undefined && values.format !== 'csv') throw new UsageError('avec --parquet, seul le format csv est proposé');
  const annee = requiredYear(values.annee);
  const [{ indicateursDesEpci }, { indicateursCsv }] = await Promise.all([import('@mixite/data/parquet'), import('@mixite/core')]);
  const parties: string[] = [];
  let lignes = 0;
  const epcis = await indicateursDesEpci(values.parquet, annee, ({ epci, resultats }) => {
    const [entete = '', ...corps] = enregistrements(indicateursCsv(resultats.indicateurs, { effectifMinimum: resultats.configuration.effectif_minimum }));
    if (parties.length === 0) parties.push(`${entete},epci\n`);
    // The SIREN is nine digits (checked at export): written as is, no quoting needed.
    for (const ligne of corps) parties.push(`${ligne},${epci}\n`);
    lignes += resultats.indicateurs.length;
  });
  const text = parties.join('');
  if (values.out) {
    mkdirSync(dirname(values.out), { recursive: true });
    writeFileSync(values.out, text);
    console.error(`Indicateurs ${annee} de ${epcis.length} EPCI écrits dans ${values.out} (${lignes} lignes).`);
  } else process.stdout.write(text);
  return 0;
}

/** The records of a CSV text ending lines with `\n`: a quoted cell may hold a line break (RFC 4180), a record ends on an even count of quotes. */
function enregistrements(csv: string): string[] {
  const records: string[] = [];
  let courant: string | null = null;
  for (const ligne of csv.split('\n')) {
    courant = courant === null ? ligne : `${courant}\n${ligne}`;
    if ((courant.match(/"/g)?.length ?? 0) % 2 === 0) {
      if (courant !== '') records.push(courant);
      courant = null;
    }
  }
  return records;
}
