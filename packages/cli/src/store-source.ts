import { existsSync } from 'node:fs';
import { DEFAULT_STORE_PATH, ImportFailedError, Store, StoreIntegrityError, assertIntegrity, importDataset } from '@mixite/data';
import { printReport } from './commands/import.ts';
import { Progress } from './progress.ts';

/**
 * The store a command reads: a dataset folder imported into a `:memory:` store (`--data`), or an existing base
 * (`--base`, `$MIXITE_BASE`, the default), checked for integrity. Returns null once the reason it cannot be opened
 * (missing, damaged) has been printed.
 */
export async function ouvrirBase(data: string | undefined, base: string | undefined): Promise<Store | null> {
  if (data) {
    if (!existsSync(data)) {
      console.error(`Dossier introuvable : ${data}`);
      return null;
    }
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
  if (!existsSync(path)) {
    console.error(`Base introuvable : ${path} (importez d’abord un jeu de données avec « mixite import », ou utilisez --data)`);
    return null;
  }
  const store = await Store.open(path);
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
