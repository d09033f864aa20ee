import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { DonneesInvalidesError } from '@mixite/core/erreurs';
import { DEFAULT_STORE_PATH } from '@mixite/data/chemin-par-defaut';
import { UsageError, parse, wantsHelp } from '../args.ts';
import { auteurCommande, ouvrirBase, ouvrirFichierBase } from '../store-source.ts';

export const PROGRAMME_HELP = `Usage : mixite programme importer FICHIER.xlsx [--base FICHIER] [--verifier]
       mixite programme exporter --out FICHIER.xlsx [--base FICHIER]

Le programme d’actions de la CIA dans un classeur : une feuille « Convention » (colonnes cle, valeur : intitule,
date_debut, date_fin, zone_tendue, bilan_cil, arrete_q1) et une feuille « Fiches » (une ligne par fiche action :
numero, titre, orientation, enjeux, etapes, pilote, partenaires, indicateurs, indicateurs_qualitatifs).
Colonnes, syntaxe des étapes et des liens vers les indicateurs : docs/programme.md.

importer : tout ou rien. Au moindre problème (indicateur inconnu, année hors de la convention, numéro de fiche en
double, partenaire absent de la base…), chaque erreur est donnée avec sa feuille, sa ligne et sa colonne, et rien
n’est chargé. Un import remplace la convention et les fiches ; les statuts et commentaires déjà saisis restent.
exporter : le classeur du programme de la base, que l’import relit à l’identique.

Options :
  --base FICHIER   base (défaut : $MIXITE_BASE ou ${DEFAULT_STORE_PATH})
  --verifier       valider sans rien charger
  --out FICHIER    classeur à écrire (exporter)
  -h, --aide       afficher cette aide`;

/** Prints the located problems of a refused programme; false when the error is not that. */
export async function afficherRefusProgramme(error: unknown): Promise<boolean> {
  if (!(error instanceof DonneesInvalidesError) || error.code !== 'programme_invalide') return false;
  const { formaterProblemeProgramme } = await import('@mixite/data/programme');
  for (const p of error.problemes) console.error(formaterProblemeProgramme(p));
  console.error(error.message);
  return true;
}

export async function programmeCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    base: { type: 'string' },
    out: { type: 'string', short: 'o' },
    verifier: { type: 'boolean' },
  });
  if (wantsHelp(values)) {
    console.log(PROGRAMME_HELP);
    return 0;
  }
  const [sous, ...reste] = positionals;
  if (sous === 'importer') {
    const [fichier, ...trop] = reste;
    if (!fichier) throw new UsageError('indiquez le classeur à importer : mixite programme importer FICHIER.xlsx');
    if (trop.length > 0) throw new UsageError(`argument inattendu : ${trop[0]}`);
    if (!existsSync(fichier)) {
      console.error(`Fichier introuvable : ${fichier}`);
      return 1;
    }
    const store = await ouvrirBase(undefined, values.base);
    if (!store) return 1;
    try {
      // Loaded past the help, from its own module (not the data package's barrel): start-up, issue 18.
      const { importerProgramme } = await import('@mixite/data/programme');
      const { programme } = await importerProgramme(store, readFileSync(fichier), basename(fichier), { auteur: auteurCommande(), verifier: values.verifier === true });
      const orientations = new Set(programme.fiches.map((f) => f.orientation)).size;
      console.error(
        `${values.verifier ? 'Programme valide (rien n’a été chargé)' : 'Programme d’actions chargé'} : « ${programme.convention.intitule} » (${programme.convention.date_debut} – ${programme.convention.date_fin}), ${programme.fiches.length} fiches, ${orientations} orientations.`,
      );
      return 0;
    } catch (error) {
      if (await afficherRefusProgramme(error)) return 1;
      throw error;
    } finally {
      store.close();
    }
  }
  if (sous === 'exporter') {
    if (reste.length > 0) throw new UsageError(`argument inattendu : ${reste[0]}`);
    if (!values.out) throw new UsageError('indiquez le classeur à écrire : --out FICHIER.xlsx');
    const store = await ouvrirFichierBase(values.base ?? process.env.MIXITE_BASE ?? DEFAULT_STORE_PATH);
    try {
      const [{ classeurProgramme, lireProgramme }, { LIBELLES_STATUT_FICHE }] = await Promise.all([import('@mixite/data/programme'), import('@mixite/core')]);
      const programme = await lireProgramme(store);
      if (!programme) {
        console.error('Aucun programme d’actions dans la base : importez-en un avec « mixite programme importer FICHIER.xlsx ».');
        return 1;
      }
      mkdirSync(dirname(values.out), { recursive: true });
      writeFileSync(values.out, await classeurProgramme(programme));
      console.error(`Programme d’actions écrit dans ${values.out} : ${programme.fiches.length} fiches (statuts possibles : ${Object.values(LIBELLES_STATUT_FICHE).join(', ')}, saisis dans l’application).`);
      return 0;
    } finally {
      store.close();
    }
  }
  throw new UsageError(sous === undefined ? 'indiquez une sous-commande : importer ou exporter' : `sous-commande inconnue « ${sous} » : importer ou exporter`);
}
