import { randomUUID } from 'node:crypto';
import type { ErreurMixite, GenreErreur } from '@mixite/core';
// Narrow modules, not the packages' barrels: every command loads this file at start (issue 18, start-up).
import { MixiteError } from '@mixite/core/erreurs';
import { traduireErreurBase } from '@mixite/data/erreurs-base';
import { UsageError } from './args.ts';

/**
 * The command line's one mapping of errors (issue 11): a command throws, this says it in French and gives the exit
 * code. 0 = done, 1 = refused or failed (the message says why and what to do), 2 = a command line not understood
 * (main.ts prints the help). Commands only catch what they present in their own way (an import's full report, a
 * grid's count of problems), never to map an error to a message.
 */
export const SORTIE_DU_GENRE: { readonly [G in GenreErreur]: number } = {
  requete_invalide: 1,
  donnees_invalides: 1,
  introuvable: 1,
  interdit: 1,
  conflit: 1,
  base_endommagee: 1,
  configuration_invalide: 1,
  outil_absent: 1,
};

/** Exit code of a command line the CLI cannot understand. */
export const SORTIE_USAGE = 2;

/**
 * Runs a command and returns its exit code; an error of the family becomes its message and code, a failure of the
 * database or its disk (lock held by another process, disk full, memory…) its French explanation. A UsageError is
 * left to the caller, which prints it with the command's help.
 */
export async function executer(run: (args: string[]) => Promise<number>, args: string[]): Promise<number> {
  try {
    return await run(args);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    return erreurFinale(error, baseDe(args));
  }
}

/**
 * The last word on an error: never a stack trace nor the database's English text. Anything that is neither of the
 * family nor of the database is a fault of the program, named by its kind and a reference — MIXITE_DEBOGAGE=1
 * prints the detail, on a machine without real data (the message may quote a value of a row).
 */
export function erreurFinale(error: unknown, chemin?: string): number {
  if (process.env['MIXITE_DEBOGAGE'] === '1') console.error(error);
  if (error instanceof MixiteError) {
    const e = error as ErreurMixite;
    console.error(`Erreur : ${e.message}`);
    return SORTIE_DU_GENRE[e.kind];
  }
  const base = traduireErreurBase(error, chemin);
  if (base) {
    console.error(`Erreur : ${base.message}`);
    return 1;
  }
  const genre = error instanceof Error ? error.name : typeof error;
  console.error(`Erreur interne de Mixité (${genre}, référence ${randomUUID().slice(0, 8)}). Relancez la commande avec MIXITE_DEBOGAGE=1 pour le détail, à ne faire que sur des données fictives.`);
  return 1;
}

/** The store a command was given (--base F or --base=F), else MIXITE_BASE, for the messages. */
function baseDe(args: readonly string[]): string | undefined {
  const index = args.indexOf('--base');
  if (index >= 0) return args[index + 1];
  return args.find((a) => a.startsWith('--base='))?.slice('--base='.length) ?? process.env['MIXITE_BASE'];
}
