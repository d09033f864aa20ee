import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DEFAULT_STORE_PATH } from '@mixite/data/chemin-par-defaut';
import type { Sql } from '@mixite/data/sql';
import { sql } from '@mixite/data/sql';
import { ident, literal } from '@mixite/data/sql-types';
import type { Store } from '@mixite/data/store';
import { UsageError, formatParmi, parse, requiredYear, singleSource, wantsHelp } from '../args.ts';
import { ouvrirBase } from '../store-source.ts';

export const PARC_HELP = `Usage : mixite parc (--data DOSSIER | --base FICHIER) --annee AAAA [--format csv|json] [--out FICHIER]
       mixite parc residences (--data DOSSIER | --base FICHIER) --annee AAAA [--format csv|json] [--out FICHIER]

mixite parc : une ligne par logement — le ménage du premier quartile de référence pour sa taille (au seuil Q1 de
l’année), son APL, son taux d’effort, et si le logement lui est abordable sous chaque hypothèse de taux d’effort
(parc.taux_effort de cia.yaml, par défaut 25, 30 et 35 %), ainsi que la classe de fragilité de sa résidence.
Colonnes : logement_id;residence_id;code_insee;code_qpv;nb_pieces;loyer;charges;apl;taux_effort;
           abordable_25;abordable_30;abordable_35;classe_residence (une colonne abordable_* par hypothèse).

mixite parc residences : une ligne par résidence et par année d’enquête d’occupation (jusqu’à l’année demandée).
Colonnes : residence_id;annee;menages;part_sous_40pct;classe
(classe : tres_fragile au-dessus de 50 % de ménages sous 40 % des plafonds, fragile de 25 à 50 % inclus,
non_fragile en dessous, inconnue sans enquête ; seuils et indicateur : parc.fragilite de cia.yaml).

Méthode, paramètres et sources : docs/parc.md.

Options :
  --data DOSSIER     jeu de données au format canonique, chargé en mémoire (la base n’est pas touchée)
  --base FICHIER     base déjà importée (défaut : $MIXITE_BASE ou ${DEFAULT_STORE_PATH})
  --annee AAAA       année : seuil Q1 de l’année, barème d’APL en vigueur au 31 décembre, dernière enquête
  --format csv|json  csv (défaut, séparateur point-virgule) ou json (un tableau d’objets)
  --out FICHIER      fichier à écrire (défaut : la sortie standard)
  -h, --aide         afficher cette aide`;

export async function parcCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    data: { type: 'string' },
    base: { type: 'string' },
    annee: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string', short: 'o' },
  });
  if (wantsHelp(values)) {
    console.log(PARC_HELP);
    return 0;
  }
  const [sous, ...reste] = positionals;
  if (sous !== undefined && sous !== 'residences') throw new UsageError(`sous-commande inconnue « ${sous} » : residences, ou rien pour les logements`);
  if (reste.length > 0) throw new UsageError(`argument inattendu : ${reste[0]}`);
  singleSource(values);
  const annee = requiredYear(values.annee);
  const format = formatParmi(values.format, ['csv', 'json']);

  const store = await ouvrirBase(values.data, values.base);
  if (!store) return 1;
  try {
    const options = format === 'csv' ? `(FORMAT csv, HEADER, DELIMITER ';', QUOTE '"')` : '(FORMAT json, ARRAY true)';
    // DuckDB writes the file (1.3 million dwellings in seconds); to the standard output through a temporary file.
    const temporaire = values.out ? null : mkdtempSync(join(tmpdir(), 'mixite-parc-'));
    const chemin = values.out ?? join(temporaire as string, `parc.${format}`);
    try {
      mkdirSync(dirname(chemin), { recursive: true });
      const lignes = sous === 'residences' ? await residences(store, annee, chemin, options) : await logements(store, annee, chemin, options);
      if (temporaire) process.stdout.write(readFileSync(chemin));
      else console.error(`${lignes} écrits dans ${values.out}.`);
    } finally {
      if (temporaire) rmSync(temporaire, { recursive: true, force: true });
    }
    return 0;
  } finally {
    store.close();
  }
}

/** `COPY (…) TO` of a statement without bound parameter (COPY takes none): one pass from the tables to the file. */
async function copier(store: Store, requete: Sql, chemin: string, options: string): Promise<void> {
  const { text, params } = requete.toQuery();
  if (params.length > 0) throw new Error(`mixite parc : la requête à écrire porte ${params.length} paramètre(s), que COPY ne prend pas`);
  await store.run(`COPY (${text}) TO ${literal(chemin)} ${options}`);
}

/**
 * Money as DECIMAL(12,2) and rates as DECIMAL(8,4): the file shows 300.00 and 0.2476, whatever DuckDB's DOUBLE
 * printing. The thresholds go into a small temporary table so that the statement has no bound parameter and DuckDB
 * computes, sorts and writes the dwellings in one pass (before: a temporary table of every dwelling, then a COPY of
 * it — twice the work at Île-de-France scale, bench/parc.ts).
 */
async function logements(store: Store, annee: number, chemin: string, options: string): Promise<string> {
  // Loaded past the help, from its own module (not the data package's barrel): start-up, issue 18.
  const { avecSeuilsEnTable, colonnesParc, contexteParc, logementsParcSql } = await import('@mixite/data/parc');
  const ctx = await contexteParc(store, annee);
  const colonnes = colonnesParc(ctx).map((c) => {
    if (c === 'loyer' || c === 'charges' || c === 'apl') return `${c}::DECIMAL(12,2) AS ${c}`;
    if (c === 'taux_effort') return `${c}::DECIMAL(8,4) AS ${c}`;
    return c;
  });
  await avecSeuilsEnTable(store, ctx, (seuils) =>
    copier(store, sql`SELECT ${sql.raw(colonnes.join(', '))} FROM (${logementsParcSql(ctx, { kind: 'territoire' }, { seuils })}) ORDER BY logement_id`, chemin, options),
  );
  return 'Logements';
}

async function residences(store: Store, annee: number, chemin: string, options: string): Promise<string> {
  // Few rows (one per residence and survey): read, then written back through DuckDB for one writer of both files.
  // COPY takes no bound parameter: the rows go first into a temporary table.
  const { enquetesResidences } = await import('@mixite/data/parc');
  const rows = await enquetesResidences(store, annee, { kind: 'territoire' });
  const valeurs = rows.map((r) => sql`(${r.residence_id}::VARCHAR, ${r.annee}::INTEGER, ${r.menages}::INTEGER, ${r.part_sous_40pct}::DECIMAL(8,4), ${r.classe}::VARCHAR)`);
  const requete =
    valeurs.length === 0
      ? sql`SELECT NULL::VARCHAR AS residence_id, NULL::INTEGER AS annee, NULL::INTEGER AS menages, NULL::DECIMAL(8,4) AS part_sous_40pct, NULL::VARCHAR AS classe WHERE FALSE`
      : sql`SELECT * FROM (VALUES ${sql.join(valeurs)}) v(residence_id, annee, menages, part_sous_40pct, classe) ORDER BY residence_id, annee`;
  const table = `parc_sortie_${process.pid}`;
  try {
    await store.run(sql`CREATE OR REPLACE TEMP TABLE ${sql.ident(table)} AS ${requete}`);
    await store.run(`COPY ${ident(table)} TO ${literal(chemin)} ${options}`);
  } finally {
    await store.run(sql`DROP TABLE IF EXISTS ${sql.ident(table)}`);
  }
  return 'Résidences par année d’enquête';
}
