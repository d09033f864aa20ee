import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DemandePubliee, IndicatorResults, PublishedIndicatorRow, indicateursCsv as IndicateursCsv } from '@mixite/core';
// The help's list of indicators alone: the rest of the domain is loaded with the engine, past the help (issue 18).
import { aideDesIndicateurs } from '@mixite/core/indicateurs/aide';
import { DEFAULT_STORE_PATH } from '@mixite/data/chemin-par-defaut';
import type { Store } from '@mixite/data/store';
import { UsageError, formatParmi, parse, requiredYear, singleSource, wantsHelp } from '../args.ts';
import { ouvrirBase } from '../store-source.ts';
import { INDICATEURS_PARQUET_HELP, indicateursParquetCommand } from './indicateurs-parquet.ts';

export const INDICATEURS_HELP = `Usage : mixite indicateurs (--data DOSSIER | --base FICHIER | --parquet DOSSIER) --annee AAAA [--out FICHIER] [--format csv|json] [--secret]

Calcule les objectifs d’attribution de l’année pour le territoire, chaque commune, QPV, bailleur, contingent et
type de contingent, sur l’année, les deux semestres et les douze mois glissants au 30 juin et au 31 décembre.

Indicateurs (définitions : docs/indicators.md ; cibles : clé « cibles » de cia.yaml) :
${aideDesIndicateurs()}

Options :
  --data DOSSIER     jeu de données au format canonique (cia.yaml compris), validé et chargé en mémoire
                     par le même import que « mixite import » ; la base n’est pas touchée
  --base FICHIER     base DuckDB déjà importée (défaut : $MIXITE_BASE ou ${DEFAULT_STORE_PATH})
  --annee AAAA       année civile des objectifs (obligatoire)
  --out FICHIER      fichier à écrire (défaut : la sortie standard)
  --format csv|json  csv : indicateurs.csv, format long, séparateur virgule (défaut) ;
                     json : indicateurs, demande, limites des quartiles, contrôles et configuration
${INDICATEURS_PARQUET_HELP}
  --secret           édition publique : applique le secret statistique (secret_statistique de cia.yaml)
                     aux indicateurs et, en json, à la demande ; masquage commun à toutes les années de la
                     base (comme l’API et le bilan) ; cases masquées laissées vides, colonne « secret » ajoutée
  -h, --aide         afficher cette aide`;

const FORMATS: readonly ['csv', 'json'] = ['csv', 'json'];
type Format = (typeof FORMATS)[number];

export async function indicateursCommand(args: string[]): Promise<number> {
  // A Parquet observatory of many EPCIs (issue 18, item 5): no store, a command of its own.
  if (args.some((a) => a === '--parquet' || a.startsWith('--parquet=')) && !args.some((a) => a === '-h' || a === '--aide' || a === '--help')) {
    if (args.some((a) => ['--data', '--base', '--secret'].includes(a.split('=')[0] ?? ''))) throw new UsageError('--parquet ne se combine ni avec --data, ni avec --base, ni avec --secret');
    return indicateursParquetCommand(args);
  }
  const { values, positionals } = parse(args, {
    data: { type: 'string' },
    base: { type: 'string' },
    annee: { type: 'string' },
    out: { type: 'string', short: 'o' },
    format: { type: 'string' },
    secret: { type: 'boolean' },
  });
  if (wantsHelp(values)) {
    console.log(INDICATEURS_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`argument inattendu : ${positionals[0]}`);
  singleSource(values);
  const annee = requiredYear(values.annee);
  const format: Format = formatParmi(values.format, FORMATS);

  const store = await ouvrirBase(values.data, values.base);
  if (!store) return 1;

  try {
    // The engine alone, loaded past the help (not the data package's barrel: issue 18, start-up).
    const [{ calculerIndicateurs }, { indicateursCsv }] = await Promise.all([import('@mixite/data/indicateurs'), import('@mixite/core')]);
    const results = await calculerIndicateurs(store, { annee });
    const publie = values.secret ? await editionPublique(store, results) : null;
    const text = format === 'csv' ? renderCsv(indicateursCsv, results, publie) : renderJson(results, publie);
    if (values.out) {
      mkdirSync(dirname(values.out), { recursive: true });
      writeFileSync(values.out, text);
      console.error(`Indicateurs ${annee} écrits dans ${values.out} (${results.indicateurs.length} lignes${values.secret ? ', secret statistique appliqué' : ''}).`);
    } else process.stdout.write(text);
    printControls(results);
    return 0;
  } finally {
    store.close();
  }
}

/** The public edition of the year (issue 12): the indicators and the demand, masked over all the years of the store. */
interface EditionPublique {
  readonly indicateurs: readonly PublishedIndicatorRow[];
  readonly demande: DemandePubliee;
}

async function editionPublique(store: Store, results: IndicatorResults): Promise<EditionPublique> {
  const [{ anneesDuSecret, calculerIndicateurs, publierLesAnnees }, { secretDeLaDemande }] = await Promise.all([import('@mixite/data/indicateurs'), import('@mixite/core')]);
  // The same years as the API's demand and the bilan (anneesDuSecret): a count two outputs print is masked alike.
  const tous: IndicatorResults[] = [];
  for (const a of await anneesDuSecret(store, results.annee)) tous.push(a === results.annee ? results : await calculerIndicateurs(store, { annee: a, config: results.configuration }));
  const seuil = results.configuration.secret_statistique;
  return {
    indicateurs: publierLesAnnees(tous, 'public', seuil).get(results.annee) ?? [],
    demande: secretDeLaDemande(tous.map((r) => ({ annee: r.annee, demande: r.demande, limites: r.limites })), seuil).annee(results.annee),
  };
}

function renderCsv(indicateursCsv: typeof IndicateursCsv, results: IndicatorResults, publie: EditionPublique | null): string {
  // The added columns (taux_pourcent, faible_effectif) come after every existing one: readers of the old ones are unaffected.
  const effectifMinimum = results.configuration.effectif_minimum;
  return publie ? indicateursCsv(publie.indicateurs, { secret: true, effectifMinimum }) : indicateursCsv(results.indicateurs, { effectifMinimum });
}

function renderJson(results: IndicatorResults, publie: EditionPublique | null): string {
  const { contexte: _contexte, ...rest } = results;
  // The public edition masks the demand side too (its counts of requests, leases and refusals, and the quartile limits
  // computed from too few requests): the gap of issue 12.
  const json = publie ? { ...rest, indicateurs: publie.indicateurs, demande: publie.demande.demande, limites: publie.demande.limites } : { ...rest, indicateurs: results.indicateurs };
  return `${JSON.stringify(json, null, 2)}\n`;
}

function printControls(results: IndicatorResults): void {
  const { controles, limites, annee } = results;
  const limite = limites.find((l) => l.annee === annee);
  if (limite?.origine_seuil === 'calcule') {
    console.error(`Attention : pas de seuil publié pour ${annee} dans seuils.csv ; seuil du 1er quartile calculé sur la demande au ${limite.date_reference} : ${limite.seuil_applique} €/UC/an.`);
  } else if (limite?.origine_seuil === 'absent') {
    console.error(`Attention : aucun seuil du 1er quartile pour ${annee} (ni publié, ni calculable) : aucun ménage n’est compté au 1er quartile.`);
  }
  if (controles.q1_desaccords > 0) {
    console.error(
      `Attention : ${controles.q1_desaccords} attribution(s) dont l’indicateur q1 du fichier contredit le calcul (le calcul est retenu), par exemple : ${controles.q1_desaccords_exemples.slice(0, 5).join(', ')}.`,
    );
  }
  if (controles.q1_inconnus > 0) console.error(`Attention : ${controles.q1_inconnus} attribution(s) dont l’appartenance au 1er quartile est inconnue (comptées hors 1er quartile).`);
  if (controles.cibles_inconnues.length > 0) console.error(`Attention : cibles_par_perimetre nomme des indicateurs inconnus : ${controles.cibles_inconnues.join(', ')}.`);
}
