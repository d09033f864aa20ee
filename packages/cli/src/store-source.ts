import { existsSync } from 'node:fs';
import { DEFAULT_STORE_PATH } from '@mixite/data/chemin-par-defaut';
import type { Store } from '@mixite/data/store';
import { commandeDistante } from './serveur-local.ts';

// The store, the importer and the integrity checks are loaded when a store is opened, not when a command's module
// is: `mixite COMMANDE --aide` and the refusals made before the store is opened do not load DuckDB (issue 18).

/**
 * The store a command reads: a dataset folder imported into a `:memory:` store (`--data`), or an existing base
 * (`--base`, `$MIXITE_BASE`, the default), checked for integrity. Returns null once the reason it cannot be opened
 * (missing, damaged) has been printed. Run by the server for a command line (decision 0007), the base is a
 * connection of its own to the server's store.
 */
export async function ouvrirBase(data: string | undefined, base: string | undefined): Promise<Store | null> {
  if (data) {
    if (!existsSync(data)) {
      console.error(`Dossier introuvable : ${data}`);
      return null;
    }
    const [{ Store }, { importDataset }, { ImportFailedError }, { Progress }, { printReport }] = await Promise.all([
      import('@mixite/data/store'),
      import('@mixite/data/import'),
      import('@mixite/data/problemes'),
      import('./progress.ts'),
      import('./commands/import.ts'),
    ]);
    const store = await Store.open(':memory:');
    const progress = new Progress();
    try {
      await importDataset(store, [data], { onProgress: (p) => progress.update(`Import — ${p.etape}${p.fichier ? ` — ${p.fichier}` : ''}`, p.fait, p.total) });
      progress.stop();
      return store;
    } catch (error) {
      progress.stop();
      store.close();
      if (error instanceof ImportFailedError) {
        printReport(error.report, false);
        return null;
      }
      throw error;
    }
  }
  const path = base ?? process.env.MIXITE_BASE ?? DEFAULT_STORE_PATH;
  if (!commandeDistante() && !existsSync(path)) {
    console.error(`Base introuvable : ${path} (importez d’abord un jeu de données avec « mixite import », ou utilisez --data)`);
    return null;
  }
  const store = await ouvrirFichierBase(path);
  const { StoreIntegrityError, assertIntegrity } = await import('@mixite/data/integrite');
  try {
    // A store left damaged by a crash is never read: its figures would be wrong without anyone knowing.
    await assertIntegrity(store);
    return store;
  } catch (error) {
    store.close();
    if (error instanceof StoreIntegrityError) {
      console.error(error.message);
      return null;
    }
    throw error;
  }
}

/**
 * The store file as it is (no integrity refusal: the import repairs, the export and the accounts work on a damaged
 * store): opened here, or, when the server runs the command for a command line, a connection to the server's store.
 * Every command opens its store through here or `ouvrirBase`, never with `Store.open` directly.
 */
export async function ouvrirFichierBase(path: string): Promise<Store> {
  const distante = commandeDistante();
  if (distante) return distante.contexte.ouvrirConnexion();
  const { Store } = await import('@mixite/data/store');
  return Store.open(path);
}

/** Who runs the command: the operator of the command line that sent it to the server, else this process's user. */
export function auteurCommande(): string {
  return commandeDistante()?.operateur ?? process.env.USER ?? 'ligne de commande';
}

/** The standard input of the command: what the command line sent with it when the server runs it, else this process's. */
export async function entreeStandard(): Promise<string> {
  const distante = commandeDistante();
  if (distante) return distante.entree ?? '';
  const morceaux: Buffer[] = [];
  for await (const morceau of process.stdin) morceaux.push(morceau as Buffer);
  return Buffer.concat(morceaux).toString('utf8');
}
