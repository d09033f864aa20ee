import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DEFAULT_STORE_PATH } from '@mixite/data/chemin-par-defaut';
import { TIRAGES_MAX, csvSimulation, lirePolitiqueFichier, simuler } from '@mixite/data/simulation';
import { UsageError, formatParmi, parse, requiredYear, singleSource, wantsHelp } from '../args.ts';
import { Progress } from '../progress.ts';
import { ouvrirBase } from '../store-source.ts';

export const SIMULER_HELP = `Usage : mixite simuler (--data DOSSIER | --base FICHIER) --annee AAAA --politique FICHIER [--comparer FICHIER2]
                      [--runs R] [--graine S] [--par-perimetre] [--format csv|json] [--out FICHIER]

Simule l’année AAAA d’attributions sous une politique (fichier YAML, voir politiques/ et docs/simulation.md), à partir
de l’état des demandes au 1er janvier, R fois (Monte-Carlo) : logements qui se libèrent, nouvelles demandes,
radiations, listes de candidats, refus. Le modèle est calibré sur les années précédentes de la base (au plus trois).
Pour chaque objectif : la moyenne et l’intervalle de 5 à 95 % des tirages, et la valeur observée quand l’année est
dans les données (rétro-test). Avec --comparer, la seconde politique et la différence (lignes « difference », B − A).
Colonnes : politique;indicateur;perimetre_type;perimetre_id;moyenne;p05;p95;observe
(politique = nom du fichier sans extension ; taux entre 0 et 1, effectifs, attentes en jours ; observe vide sans données).

Options :
  --data DOSSIER       jeu de données au format canonique, chargé en mémoire (la base n’est pas touchée)
  --base FICHIER       base déjà importée (défaut : $MIXITE_BASE ou ${DEFAULT_STORE_PATH})
  --annee AAAA         année simulée (les années d’avant servent à la calibration)
  --politique FICHIER  la politique simulée (A)
  --comparer FICHIER2  une seconde politique (B), simulée avec les mêmes graines
  --runs R             nombre de tirages (défaut : 100 ; 1 à ${TIRAGES_MAX})
  --graine S           graine (défaut : 1) : mêmes données, politique et graine → fichier identique
  --par-perimetre      aussi les taux par bailleur, contingent et type de contingent
  --format csv|json    csv (défaut, séparateur point-virgule) ou json
  --out FICHIER        fichier à écrire (défaut : la sortie standard)
  -h, --aide           afficher cette aide`;

function entier(option: string, valeur: string | undefined, defaut: number, min: number, max: number, attendu: string): number {
  if (valeur === undefined) return defaut;
  const n = Number(valeur);
  if (!/^\d+$/.test(valeur.trim()) || !Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`${option} invalide « ${valeur} » : ${attendu}`);
  return n;
}

export async function simulerCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    data: { type: 'string' },
    base: { type: 'string' },
    annee: { type: 'string' },
    politique: { type: 'string' },
    comparer: { type: 'string' },
    runs: { type: 'string' },
    graine: { type: 'string' },
    'par-perimetre': { type: 'boolean' },
    format: { type: 'string' },
    out: { type: 'string', short: 'o' },
  });
  if (wantsHelp(values)) {
    console.log(SIMULER_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`argument inattendu : ${positionals[0]}`);
  singleSource(values);
  const annee = requiredYear(values.annee);
  if (!values.politique) throw new UsageError('indiquez la politique simulée avec --politique FICHIER (exemples dans politiques/)');
  const tirages = entier('--runs', values.runs, 100, 1, TIRAGES_MAX, `un nombre de tirages entier de 1 à ${TIRAGES_MAX} (au moins un tirage pour avoir un résultat)`);
  const graine = entier('--graine', values.graine, 1, 0, 0xffffffff, 'un entier de 0 à 4294967295');
  const format = formatParmi(values.format, ['csv', 'json']);
  // The policies are read before the store is opened: a bad file is told at once.
  const a = lirePolitiqueFichier(values.politique);
  const b = values.comparer ? lirePolitiqueFichier(values.comparer) : null;

  const store = await ouvrirBase(values.data, values.base);
  if (!store) return 1;
  const progress = new Progress();
  const annulation = new AbortController();
  const surSignal = () => annulation.abort();
  process.once('SIGINT', surSignal);
  try {
    const resultat = await simuler(store, {
      annee, politiques: b ? [a, b] : [a], tirages, graine, parPerimetre: values['par-perimetre'] === true, signal: annulation.signal,
      progres: (faits, total, etape) => progress.update(`Simulation ${annee} — ${etape}`, faits, total),
    });
    progress.stop();
    const texte = format === 'csv' ? csvSimulation(resultat.lignes) : `${JSON.stringify(resultat, null, 2)}\n`;
    if (values.out) {
      mkdirSync(dirname(values.out), { recursive: true });
      writeFileSync(values.out, texte);
      console.error(`${resultat.lignes.length} lignes écrites dans ${values.out} (${tirages} tirages, graine ${graine}, calibration sur ${resultat.anneesCalibration.join(', ')}).`);
    } else process.stdout.write(texte);
    return 0;
  } finally {
    progress.stop();
    process.off('SIGINT', surSignal);
    store.close();
  }
}
