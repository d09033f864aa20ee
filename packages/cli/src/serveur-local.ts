import { AsyncLocalStorage } from 'node:async_hooks';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { DEFAULT_STORE_PATH } from '@mixite/data/chemin-par-defaut';
import type { DecouverteServeur } from '@mixite/data/decouverte-serveur';
import { serveurDeLaBase } from '@mixite/data/decouverte-serveur';
import type { ContexteCommande, DemandeCommande, ExecuteurCommandes, TrameCommande } from '@mixite/server';
import { UsageError } from './args.ts';
import { SORTIE_USAGE, erreurFinale, executer } from './erreurs.ts';

/**
 * One base, many processes (decision 0007). DuckDB lets one process hold a store file; when `mixite demarrer` holds
 * it, a command of the same user finds `<base>.serveur` beside the store and runs in the server process, on a
 * connection of its own (`ouvrirBase` and `ouvrirFichierBase` in store-source.ts give it that connection), its
 * output streamed back here. Without a live server the command opens the store itself, as it always did.
 */

// --- In the server: running a command sent by the command line ----------------------------------------------

interface CommandeChargee {
  readonly run: (args: string[]) => Promise<number>;
  readonly help: string;
}

interface Distant {
  readonly contexte: ContexteCommande;
  readonly entree: string | null;
  readonly operateur: string;
  readonly decodeurs: { readonly sortie: StringDecoder; readonly erreur: StringDecoder };
}

const courant = new AsyncLocalStorage<Distant>();

/** The command runs in the server for a command line (then the store is the server's): its context, else null. */
export const commandeDistante = (): Distant | null => courant.getStore() ?? null;

/** Commands that never open a store: run where they are typed. */
const LOCALES = new Set(['demo', 'demarrer']);

/** What `mixite demarrer` gives the server: the command line's own commands, run with their output sent back. */
export function executeurCommandes(charger: (nom: string) => Promise<CommandeChargee> | undefined): ExecuteurCommandes {
  redirigerSorties();
  return async (demande: DemandeCommande, contexte: ContexteCommande): Promise<number> => {
    const distant: Distant = {
      contexte,
      entree: demande.entree,
      operateur: demande.operateur,
      decodeurs: { sortie: new StringDecoder('utf8'), erreur: new StringDecoder('utf8') },
    };
    return courant.run(distant, async () => {
      const command = LOCALES.has(demande.commande) ? undefined : await charger(demande.commande);
      if (!command) {
        console.error(`Commande inconnue du serveur : ${demande.commande}`);
        return 1;
      }
      try {
        return await executer(command.run, demande.arguments);
      } catch (error) {
        if (!(error instanceof UsageError)) return erreurFinale(error);
        console.error(`Erreur : ${error.message}\n\n${command.help}`);
        return SORTIE_USAGE;
      }
    });
  };
}

let redirige = false;

/**
 * The commands write with console.log/error and process.stdout/stderr.write, as in their own process. In the
 * server, what a command writes goes to the command line that sent it (the async context says which one); the
 * server's own log goes where it always did.
 */
function redirigerSorties(): void {
  if (redirige) return;
  redirige = true;
  for (const [flux, nom] of [
    [process.stdout, 'sortie'],
    [process.stderr, 'erreur'],
  ] as const) {
    const original = flux.write.bind(flux) as (...args: unknown[]) => boolean;
    flux.write = ((chunk: unknown, encodage?: unknown, rappel?: unknown) => {
      const distant = courant.getStore();
      if (!distant) return original(chunk, encodage, rappel);
      const texte = typeof chunk === 'string' ? chunk : distant.decodeurs[nom].write(Buffer.from(chunk as Uint8Array));
      if (texte) distant.contexte.ecrire(nom === 'sortie' ? { sortie: texte } : { erreur: texte });
      const fin = typeof encodage === 'function' ? encodage : rappel;
      if (typeof fin === 'function') queueMicrotask(() => (fin as () => void)());
      return true;
    }) as typeof flux.write;
  }
}

// --- In the command line: sending a command to the server ---------------------------------------------------

/**
 * Runs the command through the server holding its store, if one runs: its exit code, or null when the command is
 * to run here (no live server on that store, a command that opens no store, a dataset read in memory, help).
 */
export async function viaServeur(nom: string, args: readonly string[]): Promise<number | null> {
  if (LOCALES.has(nom) || args.some((a) => a === '--data' || a.startsWith('--data=') || a === '-h' || a === '--aide' || a === '--help')) return null;
  const base = resolve(valeurOption(args, '--base') ?? process.env['MIXITE_BASE'] ?? DEFAULT_STORE_PATH);
  const etat = serveurDeLaBase(base);
  if (etat.etat === 'aucun') return null;
  if (etat.etat === 'illisible') {
    console.error(
      `Erreur : la base ${base} est servie par Mixité sous un autre compte du système (${etat.chemin} illisible) : ` +
        'lancez la commande sous le compte qui fait tourner Mixité (sudo -u …), ou arrêtez Mixité.',
    );
    return 1;
  }
  const envoi = await preparerEntree(nom, [...args]);
  if (envoi === null) return 1;
  const demande: DemandeCommande = { commande: nom, arguments: cheminsAbsolus(envoi.args), entree: envoi.entree, operateur: operateurLocal() };
  return envoyer(etat.decouverte, demande);
}

/** The value of `--opt V` or `--opt=V`. */
function valeurOption(args: readonly string[], option: string): string | undefined {
  const i = args.indexOf(option);
  if (i >= 0) return args[i + 1];
  return args.find((a) => a.startsWith(`${option}=`))?.slice(option.length + 1);
}

/** Options whose value is a file or folder to write, which may not exist yet. */
const SORTIES = new Set(['--out', '-o', '--base']);

/** A value that names a file: it exists here, or has a folder in it, or a file's extension (outputs to come). */
const semblableChemin = (valeur: string) => existsSync(valeur) || valeur.includes('/') || /\.(csv|xlsx|ya?ml|json|duckdb|parquet|pdf|docx|txt|zip)$/i.test(valeur);

/**
 * The server does not run in this folder: every argument naming a file is made absolute — the value of an output
 * option, and any argument that looks like a path (an existing file or folder, a value with a folder or a file's
 * extension), so that the options of commands to come need no list here.
 */
export function cheminsAbsolus(args: readonly string[]): string[] {
  return args.map((arg, i) => {
    const precedent = args[i - 1];
    const egal = /^(--[a-z-]+)=(.+)$/.exec(arg);
    if (egal) {
      const [, option, valeur] = egal as unknown as [string, string, string];
      return SORTIES.has(option) || semblableChemin(valeur) ? `${option}=${resolve(valeur)}` : arg;
    }
    if (arg.startsWith('-')) return arg;
    if ((precedent !== undefined && SORTIES.has(precedent)) || semblableChemin(arg)) return resolve(arg);
    return arg;
  });
}

/**
 * What the command would read on its standard input, read here: the server has no terminal. A password asked at
 * the terminal is asked here, then sent as if given with --mot-de-passe-stdin.
 */
async function preparerEntree(nom: string, args: string[]): Promise<{ args: string[]; entree: string | null } | null> {
  if (args.includes('--mot-de-passe-stdin')) {
    const morceaux: Buffer[] = [];
    for await (const morceau of process.stdin) morceaux.push(morceau as Buffer);
    return { args, entree: Buffer.concat(morceaux).toString('utf8') };
  }
  const action = args.find((a) => !a.startsWith('-'));
  if (nom === 'utilisateur' && (action === 'ajouter' || action === 'mot-de-passe') && valeurOption(args, '--email') !== undefined) {
    const { lireMotDePasse } = await import('./commands/utilisateur.ts');
    const motDePasse = await lireMotDePasse(false);
    if (motDePasse === null) return null;
    return { args: [...args, '--mot-de-passe-stdin'], entree: `${motDePasse}\n` };
  }
  return { args, entree: null };
}

function operateurLocal(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env['USER'] ?? 'ligne de commande';
  }
}

/** Sends the command and relays its output; the exit code it ends with. */
function envoyer(decouverte: DecouverteServeur, demande: DemandeCommande): Promise<number | null> {
  const corps = JSON.stringify(demande);
  return new Promise((resolveCode) => {
    let recu = false;
    const req = request(
      {
        host: '127.0.0.1',
        port: decouverte.port,
        method: 'POST',
        path: '/interne/commandes',
        headers: { authorization: `Bearer ${decouverte.jeton}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(corps) },
      },
      (res) => {
        recu = true;
        if (res.statusCode !== 200) {
          res.resume();
          console.error(`Erreur : le serveur Mixité de la base ${decouverte.base} (processus n° ${decouverte.pid}) a refusé la commande (HTTP ${res.statusCode}) : redémarrez-le, puis relancez la commande.`);
          resolveCode(1);
          return;
        }
        let code: number | null = null;
        let reste = '';
        const decodeur = new StringDecoder('utf8');
        const traiter = (ligne: string) => {
          let trame: TrameCommande;
          try {
            trame = JSON.parse(ligne) as TrameCommande;
          } catch {
            return; // an empty line, or the half line of a connection cut
          }
          if ('sortie' in trame) process.stdout.write(trame.sortie);
          else if ('erreur' in trame) process.stderr.write(trame.erreur);
          else if ('fin' in trame) code = trame.fin;
        };
        res.on('data', (morceau: Buffer) => {
          const lignes = (reste + decodeur.write(morceau)).split('\n');
          reste = lignes.pop() ?? '';
          for (const ligne of lignes) traiter(ligne);
        });
        // 'close' also comes when the connection is cut before the end (the server stopped).
        res.on('close', () => {
          traiter(reste + decodeur.end());
          if (code === null) {
            console.error(`Erreur : le serveur Mixité s’est arrêté pendant la commande : elle n’a pas abouti (un import interrompu laisse la base dans son état d’avant). Relancez-la.`);
            resolveCode(1);
          } else resolveCode(code);
        });
        res.on('error', () => undefined);
      },
    );
    req.on('error', () => {
      if (recu) return;
      // Its process lives but nothing answers (stopping, or a reused process number): the command opens the store
      // itself, and DuckDB's lock says the rest in French (erreurs-base.ts).
      resolveCode(null);
    });
    req.end(corps);
  });
}
