import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { serve } from '@hono/node-server';
import type { ServerType } from '@hono/node-server';
import type { Store } from '@mixite/data';
import { ecrireDecouverte, nouveauJeton, retirerDecouverte } from '@mixite/data';
import type { Deps } from './http/deps.ts';
import type { ReadWriteLock } from './http/lock.ts';
import type { Viewer } from './http/viewer.ts';
import type { ActionJournal } from './repositories/journal-repository.ts';
import type { DemandeCommande, TrameCommande } from './routes/interne-routes.ts';
import { interneRoutes } from './routes/interne-routes.ts';

/**
 * What a command run for the channel gets from the server (decision 0007): connections of its own to the store the
 * server holds, and where to write its output. The command code is the command line's own (it registers it when
 * `mixite demarrer` starts the server): the server knows no command.
 */
export interface ContexteCommande {
  /** The store's path (absolute). */
  readonly base: string;
  /** A connection of its own to the server's store, its writes ordered with the server's (`connexionCommande`). Closed by the command. */
  ouvrirConnexion(): Promise<Store>;
  ecrire(trame: TrameCommande): void;
}

export type ExecuteurCommandes = (demande: DemandeCommande, contexte: ContexteCommande) => Promise<number>;

export interface CanalLocal {
  readonly port: number;
  /** Stops taking commands, removes the discovery file, interrupts the commands still running and waits for them (bounded). */
  close(delaiMs: number): Promise<void>;
}

/**
 * The internal channel: a listener on 127.0.0.1 (a free port), the token in `<base>.serveur` (0600), each command
 * audited as the operator of the command line. Only for a store file (`:memory:` has no other process to serve).
 */
export async function ouvrirCanalLocal(options: { deps: Deps; base: string; executeur: ExecuteurCommandes; log: (message: string) => void }): Promise<CanalLocal> {
  const { deps, executeur, log } = options;
  const base = resolve(options.base);
  const jeton = nouveauJeton();
  const enCours = new Set<Promise<unknown>>();
  // One crash-safe load at a time on this store (decision 0004 keeps one copy of the file): the imports of the
  // command line and those confirmed on the Données page take turns. The page's import waits for this turn before
  // it takes the write lock, so readers are not held meanwhile.
  const chargements = new TourDeRole();
  const confirmer = deps.uploads.confirm.bind(deps.uploads);
  deps.uploads.confirm = (viewer, jeton) => chargements.exclusif(() => confirmer(viewer, jeton));
  const connexions = new Set<Store>();
  const executer = async (demande: DemandeCommande, ecrire: (trame: TrameCommande) => void, abandon: AbortSignal): Promise<number> => {
    const travail = (async () => {
      const ouvertes: Store[] = [];
      // Interrupted, the running query fails and the command ends (an import rolls back: all or nothing).
      abandon.addEventListener('abort', () => {
        for (const connexion of ouvertes) interrompre(connexion);
      });
      const contexte: ContexteCommande = {
        base,
        ouvrirConnexion: async () => {
          if (abandon.aborted) throw new Error('commande abandonnée par la ligne de commande');
          const connexion = await connexionCommande(deps.store, deps.lock, { abandon, chargements });
          ouvertes.push(connexion);
          connexions.add(connexion);
          return connexion;
        },
        ecrire,
      };
      let code = 1;
      try {
        code = await executeur(demande, contexte);
        return code;
      } finally {
        for (const connexion of ouvertes) {
          connexions.delete(connexion);
          // A command closes what it opened; one that did not (an error path) must not leak a connection.
          try {
            connexion.close();
          } catch {
            // Already closed by the command.
          }
        }
        await auditer(deps, demande, code).catch((error: unknown) => log(`Journal d’audit : commande ${demande.commande} non journalisée (${(error as Error).name}).`));
      }
    })();
    enCours.add(travail);
    try {
      return await travail;
    } finally {
      enCours.delete(travail);
    }
  };
  const server = await ecouter(interneRoutes(jeton, executer));
  const port = (server.address() as AddressInfo).port;
  ecrireDecouverte({ version: 1, pid: process.pid, port, jeton, base });
  // A server that exits without its graceful shutdown (an uncaught error) leaves no file pointing at nothing; after
  // a kill -9 the file stays, and the commands see that its process is gone.
  const retirer = () => retirerDecouverte(base);
  process.once('exit', retirer);
  return {
    port,
    close: async (delaiMs) => {
      process.off('exit', retirer);
      retirerDecouverte(base);
      const ferme = new Promise<void>((done) => server.close(() => done()));
      for (const connexion of connexions) interrompre(connexion);
      await Promise.race([Promise.allSettled([...enCours, ferme]), new Promise((done) => setTimeout(done, delaiMs).unref())]);
      (server as ServerType & { closeAllConnections?: () => void }).closeAllConnections?.();
    },
  };
}

/** Work that runs one at a time, in the order asked. */
export class TourDeRole {
  private dernier: Promise<unknown> = Promise.resolve();

  exclusif<T>(travail: () => Promise<T>): Promise<T> {
    const tour = this.dernier.then(() => travail());
    this.dernier = tour.catch(() => undefined);
    return tour;
  }
}

function interrompre(connexion: Store): void {
  try {
    connexion.connection.interrupt();
  } catch {
    // Nothing running on it, or already closed.
  }
}

function ecouter(app: ReturnType<typeof interneRoutes>): Promise<ServerType> {
  return new Promise((resolveServer, reject) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolveServer(server));
    server.once('error', reject);
  });
}

/**
 * A connection of a command to the server's store, its transactions ordered with the server's readers and writers
 * (http/lock.ts) so that the web pages never see half an import and no two writers interleave:
 * - the crash-safe load of an import (`crashSafeTransaction`, decision 0004) is written unlocked on this connection:
 *   the server's readers, on the main connection, keep reading the last committed state (DuckDB's MVCC); only its
 *   COMMIT takes the write lock — it waits for the requests in flight, the cached figures are dropped, the readers
 *   that follow see the new state — and its checkpoints run alone (nothing else on the store meanwhile);
 * - any other transaction (an account created with its audit entry…) is short and runs whole under the write lock:
 *   the audit log's chain must not be extended by two connections at once.
 */
export async function connexionCommande(store: Store, lock: ReadWriteLock, options: { abandon?: AbortSignal; chargements?: TourDeRole } = {}): Promise<Store> {
  const { abandon, chargements = new TourDeRole() } = options;
  const connexion = await store.connectAgain();
  // An interruption stops the running query only; once abandoned, every later statement fails too, so that a
  // command between two queries does not go on to commit.
  const verifier = () => {
    if (abandon?.aborted) throw new Error('commande abandonnée par la ligne de commande');
  };
  // The statements arrive as text or as `sql` fragments (store/sql.ts): only text is ever a transaction's keyword.
  type Statement = (sql: unknown, params?: unknown) => Promise<unknown>;
  const mot = (sql: unknown) => (typeof sql === 'string' ? sql.trim().toUpperCase() : '');
  const run0 = connexion.run.bind(connexion) as Statement;
  // ROLLBACK always goes through: it is how an abandoned command leaves no trace.
  const run: Statement = async (sql, params) => {
    if (!mot(sql).startsWith('ROLLBACK')) verifier();
    return run0(sql, params);
  };
  const all = connexion.all.bind(connexion) as Statement;
  connexion.all = (async (sql: unknown, params?: unknown) => {
    verifier();
    return all(sql, params);
  }) as Store['all'];
  const transaction = connexion.transaction.bind(connexion);
  const crashSafeTransaction = connexion.crashSafeTransaction.bind(connexion);
  let chargement = false;
  connexion.run = ((sql: unknown, params?: unknown) => (/^(FORCE\s+)?CHECKPOINT\s*;?$/.test(mot(sql)) ? lock.alone(() => run(sql, params)) : run(sql, params))) as Store['run'];
  connexion.transaction = async <T>(work: () => Promise<T>): Promise<T> => {
    if (!chargement) return lock.write(() => transaction(work));
    await run('BEGIN TRANSACTION');
    try {
      const result = await work();
      await lock.write(() => run('COMMIT'));
      return result;
    } catch (error) {
      await run('ROLLBACK').catch(() => undefined);
      throw error;
    }
  };
  connexion.crashSafeTransaction = async <T>(work: () => Promise<T>): Promise<T> => {
    return chargements.exclusif(async () => {
      chargement = true;
      try {
        return await crashSafeTransaction(work);
      } finally {
        chargement = false;
      }
    });
  };
  return connexion;
}

/** The operator of the command line as the audit log names them (no account: the server's user on this machine). */
function operateur(nom: string): Viewer {
  return { nom: `${nom} (ligne de commande)`, role: 'admin', utilisateurId: null, email: null, perimetre: null, portee: { kind: 'territoire' } };
}

/**
 * One entry per command, after it ran. `utilisateur` writes its own entries (account created, changed, disabled);
 * the others read or replace household-level data: an import is an import, the journal check a consultation of the
 * journal, every other command writes files out of the base (exports, cotation lists, bilan, indicators).
 */
async function auditer(deps: Deps, demande: DemandeCommande, code: number): Promise<void> {
  if (demande.commande === 'utilisateur') return;
  const action: ActionJournal = demande.commande === 'import' ? 'import' : demande.commande === 'journal' ? 'consultation_journal' : 'export_menages';
  const objet = `mixite ${demande.commande}`;
  await deps.audit.ecrire(operateur(demande.operateur), action, objet, { arguments: demande.arguments.filter((a) => a.startsWith('-')).slice(0, 20), code_sortie: code });
}
