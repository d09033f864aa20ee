import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DEFAULT_STORE_PATH } from '@mixite/data/chemin-par-defaut';
import type { Store } from '@mixite/data/store';
import { UsageError, formatParmi, parse, requiredYear, singleSource, wantsHelp } from '../args.ts';
import { ouvrirBase } from '../store-source.ts';

export const FLUX_HELP = `Usage : mixite flux (--data DOSSIER | --base FICHIER) --annee AAAA [--bailleur ID] [--format csv|json] [--out FICHIER]
        mixite flux bilan (--data DOSSIER | --base FICHIER) --annee AAAA [--bailleur ID] [--format csv|docx|xlsx] [--out DOSSIER] [--secret]

Gestion en flux des réservations (CCH R441-5 ; docs/flux.md).

« mixite flux » : pour chaque bailleur, le flux de l’année (prévisionnel : moyenne des années précédentes ajustée du
parc et des mises en service ; réalisé : baux signés moins les exclusions de cia.yaml), les droits de chaque
réservataire (part × flux), ses orientations (baux du flux sur son contingent), le solde reporté d’année en année,
et les mêmes par typologie, QPV et financement. La part propre du bailleur est « non_reserve:<bailleur> ».

« mixite flux bilan » : le bilan annuel R441-5-1 (logements proposés et attribués par réservataire, typologie,
financement, QPV / hors QPV, commune et période de construction), colonnes
bailleur_id;reservataire_id;dimension;modalite;logements_proposes;logements_attribues.

Options :
  --data DOSSIER     jeu de données au format canonique (conventions.csv et cia.yaml compris), chargé en mémoire
  --base FICHIER     base DuckDB déjà importée (défaut : $MIXITE_BASE ou ${DEFAULT_STORE_PATH})
  --annee AAAA       année du flux ou du bilan (obligatoire)
  --bailleur ID      un seul bailleur
  --format           flux : csv (défaut) ou json ; bilan : csv (défaut), docx ou xlsx
  --out              flux : fichier (défaut : sortie standard) ; bilan : dossier (défaut : sortie standard en csv)
  --secret           bilan docx/xlsx : édition publique, secret statistique de cia.yaml appliqué (défaut : édition
                     complète, celle que le bailleur transmet à ses réservataires) ; en xlsx sans --bailleur, un
                     classeur de plus pour l’EPCI avec les lignes de tous les bailleurs
  -h, --aide         afficher cette aide`;

export async function fluxCommand(args: string[]): Promise<number> {
  if (args[0] === 'bilan') return bilanCommand(args.slice(1));
  const { values, positionals } = parse(args, {
    data: { type: 'string' },
    base: { type: 'string' },
    annee: { type: 'string' },
    bailleur: { type: 'string' },
    out: { type: 'string', short: 'o' },
    format: { type: 'string' },
  });
  if (wantsHelp(values)) {
    console.log(FLUX_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`argument inattendu : ${positionals[0]} (sous-commande possible : bilan)`);
  singleSource(values);
  const annee = requiredYear(values.annee);
  const format = formatParmi(values.format, ['csv', 'json']);
  const store = await ouvrirBase(values.data, values.base);
  if (!store) return 1;
  try {
    const bailleur = await bailleurConnu(store, values.bailleur);
    const [{ calculerFlux }, { fluxCsv }] = await Promise.all([import('@mixite/data/flux'), import('@mixite/core')]);
    const flux = await calculerFlux(store, { annee, bailleur });
    const text =
      format === 'json'
        ? `${JSON.stringify(flux, null, 2)}\n`
        : fluxCsv(flux.bailleurs.map((b) => ({ ...b, prevision: b.prevision.valeur })));
    ecrire(values.out, text);
    if (values.out) console.error(`Flux ${annee} écrit dans ${values.out} (${flux.bailleurs.length} bailleur${flux.bailleurs.length > 1 ? 's' : ''}).`);
    return 0;
  } finally {
    store.close();
  }
}

async function bilanCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    data: { type: 'string' },
    base: { type: 'string' },
    annee: { type: 'string' },
    bailleur: { type: 'string' },
    out: { type: 'string', short: 'o' },
    format: { type: 'string' },
    secret: { type: 'boolean' },
  });
  if (wantsHelp(values)) {
    console.log(FLUX_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`argument inattendu : ${positionals[0]}`);
  if (values.secret && (values.format ?? 'csv') === 'csv') throw new UsageError('--secret s’applique aux fichiers docx et xlsx (le csv est l’édition complète)');
  singleSource(values);
  const annee = requiredYear(values.annee);
  const format = formatParmi(values.format, ['csv', 'docx', 'xlsx']);
  if (format !== 'csv' && !values.out) throw new UsageError(`--out DOSSIER est obligatoire pour le format ${format}`);
  const store = await ouvrirBase(values.data, values.base);
  if (!store) return 1;
  try {
    const bailleur = await bailleurConnu(store, values.bailleur);
    if (format === 'csv') {
      const [{ bilanFlux }, { bilanFluxCsv }] = await Promise.all([import('@mixite/data/flux'), import('@mixite/core')]);
      const lignes = await bilanFlux(store, { annee, bailleur });
      const out = values.out ? join(values.out, `bilan-flux-${annee}${bailleur ? `-${bailleur}` : ''}.csv`) : undefined;
      ecrire(out, bilanFluxCsv(lignes));
      if (out) console.error(`Bilan R441-5-1 ${annee} écrit dans ${out} (${lignes.length} lignes).`);
      return 0;
    }
    const { ecrireBilansFlux } = await import('@mixite/reports');
    const fichiers = await ecrireBilansFlux(store, {
      annee,
      bailleur,
      format: format as 'docx' | 'xlsx',
      dossier: values.out as string,
      edition: values.secret ? 'publique' : 'complete',
    });
    console.error(`Bilan R441-5-1 ${annee} : ${fichiers.length} fichier${fichiers.length > 1 ? 's' : ''} écrit${fichiers.length > 1 ? 's' : ''} dans ${values.out}.`);
    return 0;
  } finally {
    store.close();
  }
}

async function bailleurConnu(store: Store, id: string | undefined): Promise<string | null> {
  if (id === undefined) return null;
  const [row] = await store.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM bailleurs WHERE id = $1`, [id]);
  if (!row || row.n === 0) throw new UsageError(`bailleur inconnu « ${id} » : absent de bailleurs.csv`);
  return id;
}

function ecrire(out: string | undefined, text: string): void {
  if (!out) {
    process.stdout.write(text);
    return;
  }
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, text);
}
