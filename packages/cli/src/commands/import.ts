import { DEFAULT_STORE_PATH } from '@mixite/data/chemin-par-defaut';
import type { NomPreset } from '@mixite/data/presets/noms';
import { NOMS_PRESETS } from '@mixite/data/presets/noms';
import type { ImportReport } from '@mixite/data/problemes';
import { formatProblem } from '@mixite/data/problemes';
import { UsageError, parse, requiredYear, wantsHelp } from '../args.ts';
import { refusParBornes } from '../bornes-import.ts';
import { commandeDistante } from '../serveur-local.ts';
import { auteurCommande, ouvrirFichierBase } from '../store-source.ts';

export const IMPORT_HELP = `Usage : mixite import DOSSIER_OU_FICHIERS… [--base FICHIER] [--correspondance FICHIER.yaml] [--preset NOM [--bailleur ID] [--annee AAAA]] [--verifier]

Valide puis charge un jeu de données du territoire (dossier ou fichiers CSV/XLSX au format canonique,
cia.yaml compris) dans la base. Tout ou rien : en cas d’erreur, la base n’est pas modifiée et chaque
erreur est signalée avec son fichier, sa ligne et sa colonne.

Options :
  --base FICHIER            base DuckDB (défaut : $MIXITE_BASE ou ${DEFAULT_STORE_PATH})
  --correspondance FICHIER  fichier de correspondance des en-têtes et des codes (voir docs/correspondances.md)
  --preset NOM              lire un fichier réel avec un preset : ${NOMS_PRESETS.join(', ')}, ou auto (reconnu d’après
                            l’en-tête) ; voir docs/presets.md
  --bailleur ID             (preset rpls) le bailleur de tous les logements du fichier (le fichier ouvert n’en a pas)
  --annee AAAA              (preset arrete-q1) l’année des seuils de l’annexe
  --verifier                valider seulement, sans rien charger
  -h, --aide                afficher cette aide`;

const ETAPES = { lecture: 'Lecture', validation: 'Validation', references: 'Références croisées', chargement: 'Chargement' } as const;

export async function importCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    base: { type: 'string' },
    correspondance: { type: 'string' },
    verifier: { type: 'boolean' },
    preset: { type: 'string' },
    bailleur: { type: 'string' },
    annee: { type: 'string' },
  });
  if (wantsHelp(values)) {
    console.log(IMPORT_HELP);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('indiquez le dossier ou les fichiers à importer');
  const preset = lirePreset(values.preset, values.bailleur);
  // Files announcing too many columns or cells are refused before the store is opened and the importer loaded (the
  // importer checks them again); a preset reads its own source formats, its path is left as it is.
  if (!preset) {
    const refus = await refusParBornes(positionals);
    if (refus) {
      printReport(refus, false);
      return 1;
    }
  }
  // Loaded here, past the help and that refusal: the store (DuckDB), the importer and the spreadsheet reader (issue 18).
  const [{ ImportFailedError }, { StoreIntegrityError, checkIntegrity }, { importDataset }, { precalculerLesAnnees }, { Progress }] = await Promise.all([
    import('@mixite/data/problemes'),
    import('@mixite/data/integrite'),
    import('@mixite/data/import'),
    import('@mixite/data/indicateurs'),
    import('../progress.ts'),
  ]);
  const store = await ouvrirFichierBase(values.base ?? process.env.MIXITE_BASE ?? DEFAULT_STORE_PATH);
  const progress = new Progress();
  try {
    // Re-importing is the way to repair a store damaged by a crash: the import goes on, and the store is checked again after.
    const damaged = await checkIntegrity(store);
    if (damaged.length > 0) {
      console.error(new StoreIntegrityError(store.path, damaged).message);
      console.error(values.verifier ? '' : 'L’import va remplacer les tables des fichiers importés ; la base sera vérifiée à nouveau ensuite.\n');
    }
    const options = {
      correspondance: values.correspondance ?? null,
      simulation: values.verifier ?? false,
      auteur: auteurCommande(),
      onProgress: (p: { etape: keyof typeof ETAPES; fichier: string | null; fait: number; total: number }) =>
        progress.update(`${ETAPES[p.etape]}${p.fichier ? ` — ${p.fichier}` : ''}`, p.fait, p.total),
    };
    const report = preset
      ? await (await import('@mixite/data/presets')).importerAvecPreset(store, positionals, { ...options, preset, bailleur: values.bailleur ?? null, annee: values.annee === undefined ? null : requiredYear(values.annee) })
      : // A store file this command owns alone: clean files go straight into their tables, committed early, the store's
        // copy undoing it all on failure (decision 0010, session 12). Run by a server, its lent connection takes the TEMP way.
        await importDataset(store, positionals, { ...options, ecritureDirecte: true });
    progress.stop();
    printReport(report, values.verifier ?? false);
    // The figures of every year, computed now and kept in the store, so that the server started next opens its
    // dashboard at once (issue 18). Run by a server, the command leaves this to it: it recomputes after every write.
    if (!values.verifier && damaged.length === 0 && !commandeDistante()) {
      try {
        await precalculerLesAnnees(
          store,
          (annee, fait, total) => progress.update(`Indicateurs ${annee}`, fait, total),
          // Then the public edition of the years masked together, kept for the bilan and the public dashboard.
          () => progress.update('Secret statistique de l’édition publique', 0, 1),
        );
      } catch (error) {
        // The data are loaded all the same: the figures will be computed when first asked, and the cause is shown there.
        console.error(`Les indicateurs n’ont pas pu être calculés d’avance (${(error as Error).message}) : ils le seront à leur première consultation.`);
      } finally {
        progress.stop();
      }
    }
    if (damaged.length === 0 || values.verifier) return 0;
    const remaining = await checkIntegrity(store);
    if (remaining.length === 0) {
      console.error('La base est de nouveau cohérente.');
      return 0;
    }
    console.error(`\n${new StoreIntegrityError(store.path, remaining).message}`);
    return 1;
  } catch (error) {
    progress.stop();
    if (error instanceof ImportFailedError) {
      printReport(error.report, false);
      return 1;
    }
    throw error;
  } finally {
    store.close();
  }
}

/** `--preset NOM` (docs/presets.md), or null; `--bailleur` only goes with a preset. */
function lirePreset(nom: string | undefined, bailleur: string | undefined): NomPreset | 'auto' | null {
  if (nom === undefined) {
    if (bailleur !== undefined) throw new UsageError('--bailleur accompagne --preset rpls (le bailleur des logements d’un fichier RPLS)');
    return null;
  }
  if (nom === 'auto' || (NOMS_PRESETS as readonly string[]).includes(nom)) return nom as NomPreset | 'auto';
  throw new UsageError(`preset inconnu : « ${nom} » — attendu : ${[...NOMS_PRESETS, 'auto'].join(', ')}`);
}

export function printReport(report: ImportReport, simulation: boolean): void {
  for (const f of report.fichiers) {
    console.error(`  ${f.fichier.padEnd(24)} ${String(f.lignesChargees).padStart(9)} lignes  (${f.encodage}, séparateur ${f.separateur})`);
  }
  for (const w of report.avertissements.slice(0, 30)) console.error(formatProblem(w));
  if (report.avertissements.length > 30) console.error(`… et ${report.avertissements.length - 30} autres avertissements`);
  if (report.statut === 'echoue') {
    for (const e of report.erreurs) console.error(formatProblem(e));
    const total = report.erreurs.length + report.erreursNonListees;
    if (report.erreursNonListees > 0) console.error(`… et ${report.erreursNonListees} autres erreurs`);
    console.error(`\nImport refusé : ${total} erreur${total > 1 ? 's' : ''}. La base n’a pas été modifiée.`);
  } else if (simulation) {
    console.error(`\nVérification réussie : aucune erreur. Rien n’a été chargé (option --verifier).`);
  } else {
    console.error(`\nImport réussi${report.importId !== null ? ` (n° ${report.importId})` : ''}${report.configuration === 'importee' ? ', configuration de la CIA mise à jour' : ''}.`);
  }
}
