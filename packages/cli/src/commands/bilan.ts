import { EDITIONS, EDITION_PAR_DEFAUT, isEdition } from '@mixite/core/editions';
import { formatRatio } from '@mixite/core/francais';
import { DEFAULT_STORE_PATH } from '@mixite/data/chemin-par-defaut';
import { PROFONDEUR_PAR_DEFAUT } from '@mixite/reports/profondeur';
import { UsageError, parse, requiredYear, singleSource, wantsHelp } from '../args.ts';
import { ouvrirBase } from '../store-source.ts';
import { BILAN_PARQUET_HELP, sourceParquet, storeParquet } from './bilan-parquet.ts';

export const BILAN_HELP = `Usage : mixite bilan --annee AAAA [--base FICHIER | --data DOSSIER | --parquet DOSSIER --epci SIREN] --out DOSSIER [--annees N]
                    [--edition partenaires|public] [--simulation FICHIER.json]

Produit le bilan annuel de la CIA pour la Conférence Intercommunale du Logement : bilan-AAAA-EDITION.docx (Word
modifiable), bilan-AAAA-EDITION.pdf et bilan-AAAA-EDITION.xlsx (tous les tableaux, et les indicateurs publiés au
format long).
Synthèse et points d’attention, territoire et sources, demande, attributions, chaque objectif (année,
semestres, douze mois glissants, évolution), ventilations par réservataire, bailleur, commune et QPV, annexe
méthodologique.

Deux éditions : « public » (par défaut) applique le secret statistique (secret_statistique de la configuration)
à tout ce que les trois fichiers publient ensemble, années précédentes et douze mois glissants compris ;
« partenaires » ne masque rien et porte sur chaque tableau et chaque page la mention « Diffusion restreinte aux
membres de la CIL ».

Options :
  --annee AAAA       année civile du bilan (obligatoire)
  --out DOSSIER      dossier où écrire les trois fichiers (créé au besoin ; obligatoire)
  --base FICHIER     base DuckDB déjà importée (défaut : $MIXITE_BASE ou ${DEFAULT_STORE_PATH})
  --data DOSSIER     jeu de données au format canonique (cia.yaml compris), validé et chargé en mémoire ;
                     la base n’est pas touchée
  --annees N         années de la tendance, l’année du bilan comprise (défaut : ${PROFONDEUR_PAR_DEFAUT})
  --edition E        ${EDITIONS.join(' ou ')} (défaut : ${EDITION_PAR_DEFAUT})
  --simulation F     ajoute l’annexe « Simulation des politiques d’attribution » (résultat de mixite simuler --format json)
${BILAN_PARQUET_HELP}
  -h, --aide         afficher cette aide

Aucun navigateur n’est nécessaire : Typst met en page le PDF, resvg dessine les graphiques du Word (paquets npm).`;

export async function bilanCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    annee: { type: 'string' },
    base: { type: 'string' },
    data: { type: 'string' },
    out: { type: 'string', short: 'o' },
    annees: { type: 'string' },
    edition: { type: 'string' },
    simulation: { type: 'string' },
    parquet: { type: 'string' },
    epci: { type: 'string' },
  });
  if (wantsHelp(values)) {
    console.log(BILAN_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`argument inattendu : ${positionals[0]}`);
  singleSource(values);
  sourceParquet(values);
  const annee = requiredYear(values.annee);
  if (!values.out) throw new UsageError('indiquez le dossier de sortie avec --out DOSSIER');
  const profondeur = values.annees === undefined ? PROFONDEUR_PAR_DEFAUT : Number(values.annees);
  if (!Number.isInteger(profondeur) || profondeur < 1 || profondeur > 10) throw new UsageError(`--annees invalide « ${values.annees} » : un entier de 1 à 10`);

  const edition = values.edition ?? EDITION_PAR_DEFAUT;
  if (!isEdition(edition)) throw new UsageError(`--edition invalide « ${edition} » : ${EDITIONS.join(' ou ')}`);

  // Loaded past the help: the document writers (Word, Typst, Excel) and the progress bar (start-up, issue 18).
  const [{ produireBilan, lireSimulationBilan }, { Progress }] = await Promise.all([import('@mixite/reports'), import('../progress.ts')]);
  // The annex's file is read before the store is opened: a bad file is told at once.
  const simulation = values.simulation ? lireSimulationBilan(values.simulation) : null;
  const progress = new Progress();
  const store = values.parquet ? await storeParquet(values.parquet, values.epci) : await ouvrirBase(values.data, values.base);
  if (!store) return 1;

  try {
    const debut = Date.now();
    const fichiers = await produireBilan(store, { annee, out: values.out, profondeur, edition, simulation, onProgress: (p) => progress.update(p.etape, p.fait, p.total) });
    progress.stop();
    console.error(`Bilan ${annee} (édition ${edition}) produit en ${formatRatio((Date.now() - debut) / 1000)} s :`);
    for (const chemin of [fichiers.docx, fichiers.pdf, fichiers.xlsx]) console.error(`  ${chemin}`);
    return 0;
  } catch (error) {
    // A renderer missing for this machine is said by the CLI's one mapping of errors (erreurs.ts), on a clean line.
    progress.stop();
    throw error;
  } finally {
    store.close();
  }
}
