import { randomUUID } from 'node:crypto';
import { traduireErreurBase } from '@mixite/data';
import { UsageError } from './args.ts';

const HELP = `Mixité — pilotage de la Convention Intercommunale d’Attribution

Usage : mixite COMMANDE [options]   (mixite COMMANDE --aide pour le détail)

Commandes :
  demo          écrire un territoire de démonstration au format canonique
  import        valider et charger un jeu de données dans la base
  exporter      réécrire le contenu de la base au format canonique
  indicateurs   calculer les objectifs légaux et locaux d’une année
  bilan         produire le bilan annuel de la CIA pour la CIL (Word, PDF, Excel)
  cotation      coter les demandes avec une grille, comparer deux grilles
  utilisateur   gérer les comptes (ajouter, lister, changer un mot de passe, désactiver)
  journal       créer la clé du journal d’audit, vérifier le journal
  demarrer      lancer l’application web (crée le territoire de démonstration si la base est vide)`;

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
  demarrer: async () => {
    const m = await import('@mixite/server');
    return {
      run: async () => {
        await m.demarrer();
        // The server keeps the process alive; its exit code is set when it stops.
        return await new Promise<number>(() => {});
      },
      help: 'Usage : mixite demarrer   (PORT, HOST, MIXITE_BASE et MIXITE_MODE=production dans l’environnement)',
    };
  },
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
  const command = await load();
  try {
    return await command.run(args);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`Erreur : ${error.message}\n\n${command.help}`);
      return 2;
    }
    return erreurFinale(error, baseDe(args));
  }
}

/** The store a command was given (--base F or --base=F), else MIXITE_BASE, for the messages. */
function baseDe(args: readonly string[]): string | undefined {
  const index = args.indexOf('--base');
  if (index >= 0) return args[index + 1];
  return args.find((a) => a.startsWith('--base='))?.slice('--base='.length) ?? process.env['MIXITE_BASE'];
}

/**
 * The last word on an error no command handled: never a stack trace nor the database's English text. A failure of
 * the database or its disk (lock held by another process, disk full, memory…) is said in French with what to do;
 * anything else is a fault of the program, named by its kind and a reference — MIXITE_DEBOGAGE=1 prints the
 * detail, on a machine without real data (the message may quote a value of a row).
 */
function erreurFinale(error: unknown, chemin?: string): number {
  if (process.env['MIXITE_DEBOGAGE'] === '1') console.error(error);
  const base = traduireErreurBase(error, chemin);
  if (base) {
    console.error(`Erreur : ${base.message}`);
    return 1;
  }
  const genre = error instanceof Error ? error.name : typeof error;
  console.error(`Erreur interne de Mixité (${genre}, référence ${randomUUID().slice(0, 8)}). Relancez la commande avec MIXITE_DEBOGAGE=1 pour le détail, à ne faire que sur des données fictives.`);
  return 1;
}

process.exitCode = await main(process.argv.slice(2)).catch((error: unknown) => erreurFinale(error));
