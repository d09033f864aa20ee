import { UsageError } from './args.ts';

const HELP = `Mixité — pilotage de la Convention Intercommunale d’Attribution

Usage : mixite COMMANDE [options]   (mixite COMMANDE --aide pour le détail)

Commandes :
  demo          écrire un territoire de démonstration au format canonique
  import        valider et charger un jeu de données dans la base
  correspondance  proposer une correspondance d’en-têtes (YAML) pour une extraction SNE ou autre
  exporter      réécrire le contenu de la base au format canonique, ou en Parquet pour un observatoire
  indicateurs   calculer les objectifs légaux et locaux d’une année (d’une base, ou de chaque EPCI d’un dossier Parquet)
  bilan         produire le bilan annuel de la CIA pour la CIL (Word, PDF, Excel)
  cotation      coter les demandes avec une grille, comparer deux grilles
  flux          gestion en flux : flux, droits et soldes des réservataires ; « flux bilan » : bilan R441-5-1
  utilisateur   gérer les comptes (ajouter, lister, changer un mot de passe, désactiver)
  journal       créer la clé du journal d’audit, vérifier le journal
  menage        situer un ménage (UC, quartile) et estimer son APL et son taux d’effort dans un logement
  parc          le parc abordable au premier quartile après APL, logement par logement ; « parc residences » : la fragilité
  caleol        la liste des candidats d’un logement vacant pour la CALEOL ; « caleol ordre-du-jour » : le document d’une commission
  programme     le programme d’actions de la CIA : importer, exporter (classeur Excel)
  calendrier    le calendrier des obligations d’une année (csv ou iCalendar .ics)
  simuler       simuler une politique d’attribution sur une année (Monte-Carlo), comparer deux politiques
  demarrer      lancer l’application web (crée le territoire de démonstration si la base est vide)`;

const DEMARRER_HELP = 'Usage : mixite demarrer   (PORT, HOST, MIXITE_BASE et MIXITE_MODE=production dans l’environnement)';

interface Command {
  readonly run: (args: string[]) => Promise<number>;
  readonly help: string;
}

/** Commands are loaded on demand: `mixite import` does not pay for the report or web libraries. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  demo: async () => {
    const m = await import('./commands/demo.ts');
    return { run: m.demoCommand, help: m.DEMO_HELP };
  },
  import: async () => {
    const m = await import('./commands/import.ts');
    return { run: m.importCommand, help: m.IMPORT_HELP };
  },
  demarrer: async () => ({
    run: async (args) => {
      if (args.some((a) => a === '-h' || a === '--aide' || a === '--help')) {
        console.log(DEMARRER_HELP);
        return 0;
      }
      // The server runs these same commands for a command line that finds it on its store (decision 0007).
      const [m, { executeurCommandes }] = await Promise.all([import('@mixite/server'), import('./serveur-local.ts')]);
      await m.demarrer(process.env, { commandes: executeurCommandes((nom) => COMMANDS[nom]?.()) });
      // The server keeps the process alive; its exit code is set when it stops.
      return await new Promise<number>(() => {});
    },
    help: DEMARRER_HELP,
  }),
  indicateurs: async () => {
    const m = await import('./commands/indicateurs.ts');
    return { run: m.indicateursCommand, help: m.INDICATEURS_HELP };
  },
  bilan: async () => {
    const m = await import('./commands/bilan.ts');
    return { run: m.bilanCommand, help: m.BILAN_HELP };
  },
  cotation: async () => {
    const m = await import('./commands/cotation.ts');
    return { run: m.cotationCommand, help: m.COTATION_HELP };
  },
  exporter: async () => {
    const m = await import('./commands/export.ts');
    return { run: m.exportCommand, help: m.EXPORT_HELP };
  },
  journal: async () => {
    const m = await import('./commands/journal.ts');
    return { run: m.journalCommand, help: m.JOURNAL_HELP };
  },
  flux: async () => {
    const m = await import('./commands/flux.ts');
    return { run: m.fluxCommand, help: m.FLUX_HELP };
  },
  menage: async () => {
    const m = await import('./commands/menage.ts');
    return { run: m.menageCommand, help: m.MENAGE_HELP };
  },
  correspondance: async () => {
    const m = await import('./commands/correspondance.ts');
    return { run: m.correspondanceCommand, help: m.CORRESPONDANCE_HELP };
  },
  parc: async () => {
    const m = await import('./commands/parc.ts');
    return { run: m.parcCommand, help: m.PARC_HELP };
  },
  caleol: async () => {
    const m = await import('./commands/caleol.ts');
    return { run: m.caleolCommand, help: m.CALEOL_HELP };
  },
  programme: async () => {
    const m = await import('./commands/programme.ts');
    return { run: m.programmeCommand, help: m.PROGRAMME_HELP };
  },
  calendrier: async () => {
    const m = await import('./commands/calendrier.ts');
    return { run: m.calendrierCommand, help: m.CALENDRIER_HELP };
  },
  simuler: async () => {
    const m = await import('./commands/simuler.ts');
    return { run: m.simulerCommand, help: m.SIMULER_HELP };
  },
  utilisateur: async () => {
    const m = await import('./commands/utilisateur.ts');
    return { run: m.utilisateurCommand, help: m.UTILISATEUR_HELP };
  },
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--aide' || name === '-h' || name === '--help' || name === 'aide') {
    console.log(HELP);
    return name ? 0 : 1;
  }
  const load = COMMANDS[name];
  if (!load) {
    console.error(`Commande inconnue : ${name}\n\n${HELP}`);
    return 1;
  }
  // Loaded past the help: `mixite --help` does not pay for DuckDB and the data package (decision 0007, start-up).
  const { SORTIE_USAGE, executer } = await import('./erreurs.ts');
  const { viaServeur } = await import('./serveur-local.ts');
  // A server holding the store runs the command for us (decision 0007); else it runs here.
  const distant = await viaServeur(name, args);
  if (distant !== null) return distant;
  const command = await load();
  try {
    // The errors of the command, mapped once (erreurs.ts); a command line not understood comes back here.
    return await executer(command.run, args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`Erreur : ${error.message}\n\n${command.help}`);
    return SORTIE_USAGE;
  }
}

process.exitCode = await main(process.argv.slice(2)).catch(async (error: unknown) => (await import('./erreurs.ts')).erreurFinale(error));
