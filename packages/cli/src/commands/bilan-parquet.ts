import type { Store } from '@mixite/data/store';
import { UsageError } from '../args.ts';

/**
 * `mixite bilan --parquet DOSSIER --epci SIREN` (issue 18, item 5): one EPCI's bilan from an observatory folder of
 * many EPCIs (written by `mixite exporter --format parquet`), the reports unchanged: the EPCI's rows are loaded into
 * a store in memory (storeDeLEpci), which the bilan reads as it reads a base. No base is opened or written.
 */

export const BILAN_PARQUET_HELP = `  --parquet DOSSIER  dossier Parquet d’un observatoire (plusieurs EPCI, écrit par « mixite exporter --format
                     parquet ») : le bilan de l’EPCI --epci, lu dans ses fichiers
  --epci SIREN       avec --parquet : l’EPCI du bilan`;

/** The Parquet source excludes the others and needs its EPCI. */
export function sourceParquet(values: { parquet?: string | undefined; epci?: string | undefined; base?: string | undefined; data?: string | undefined }): void {
  if (values.parquet === undefined) {
    if (values.epci !== undefined) throw new UsageError('--epci ne vaut qu’avec --parquet');
    return;
  }
  if (values.base !== undefined || values.data !== undefined) throw new UsageError('indiquez une seule source : --parquet, --base ou --data');
  if (values.epci === undefined) throw new UsageError('avec --parquet, indiquez l’EPCI du bilan avec --epci SIREN');
}

export async function storeParquet(dossier: string, epci: string | undefined): Promise<Store> {
  if (epci === undefined) throw new UsageError('avec --parquet, indiquez l’EPCI du bilan avec --epci SIREN');
  const { storeDeLEpci } = await import('@mixite/data/parquet');
  return storeDeLEpci(dossier, epci);
}
