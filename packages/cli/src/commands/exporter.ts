import { DEFAULT_STORE_PATH } from '@mixite/data/chemin-par-defaut';
import { UsageError, parse } from '../args.ts';
import { ouvrirFichierBase } from '../store-source.ts';

/**
 * `mixite exporter --format parquet` (issue 18, item 5): the store as Parquet partitioned by EPCI and year, for a
 * regional or national observatory (docs/observatoire-parquet.md). Reached from `mixite exporter` (export.ts) when
 * --format is parquet; runs in the server when one holds the base (decision 0007), like the canonical export.
 */

export const EXPORT_PARQUET_HELP = `  --format parquet  les tables de la base en Parquet, partitionnées par EPCI et par année (observatoire :
                     docs/observatoire-parquet.md) ; le dossier peut déjà contenir l’export d’autres EPCI :
                     seul celui de cet EPCI est remplacé
  --epci SIREN       avec --format parquet : l’EPCI sous lequel classer le territoire (défaut : code_epci de
                     cia.yaml, sinon l’unique EPCI des communes)
  --par-epci         avec --format parquet : une base de plusieurs EPCI (département, région, France) classée
                     par EPCI de ses communes, comme chaque EPCI exporterait la sienne, en disposition
                     regroupée (un fichier par table et par année, colonne epci, lignes rangées par EPCI)
  --depuis-parquet DOSSIER
                     avec --format parquet, au lieu de --base : réécrit un dossier d’observatoire (les exports
                     rassemblés des EPCI, un dossier par EPCI et par année) en disposition regroupée dans --out,
                     lu bien plus vite en une passe (mêmes lignes, mêmes chiffres)`;

/** The options of `mixite exporter`, canonical or Parquet: one list, read by export.ts and by the Parquet branch. */
export const EXPORTER_OPTIONS = {
  out: { type: 'string', short: 'o' },
  base: { type: 'string' },
  format: { type: 'string' },
  epci: { type: 'string' },
  'par-epci': { type: 'boolean' },
  'depuis-parquet': { type: 'string' },
} as const;

export async function exporterParquetCommand(args: string[]): Promise<number> {
  const { values } = parse(args, EXPORTER_OPTIONS);
  if (!values.out) throw new UsageError('indiquez le dossier de sortie avec --out');
  const depuis = values['depuis-parquet'];
  if (depuis !== undefined) {
    if (values.base !== undefined || values.epci !== undefined || values['par-epci']) throw new UsageError('--depuis-parquet lit un dossier Parquet : --base, --epci et --par-epci ne s’y ajoutent pas');
    const { regrouperObservatoire } = await import('@mixite/data/parquet');
    const { epcis, lignes, faits } = await regrouperObservatoire(depuis, values.out);
    for (const [table, n] of Object.entries(lignes)) console.error(`  ${table.padEnd(20)} ${String(n).padStart(10)} lignes`);
    if (faits) console.error(`  ${'faits'.padEnd(20)} ${String(faits.lignes).padStart(10)} lignes (années ${faits.annees.join(', ')})`);
    console.error(`Observatoire Parquet : ${epcis.length} EPCI réécrits en disposition regroupée dans ${values.out}`);
    return 0;
  }
  if (values['par-epci'] && values.epci !== undefined) throw new UsageError('--par-epci et --epci s’excluent : --par-epci classe chaque commune sous son propre EPCI');
  const store = await ouvrirFichierBase(values.base ?? process.env.MIXITE_BASE ?? DEFAULT_STORE_PATH);
  try {
    const { exporterParquet, exporterParquetParEpci } = await import('@mixite/data/parquet');
    if (values['par-epci']) {
      const { epcis, lignes, communesSansEpci, faits } = await exporterParquetParEpci(store, values.out);
      for (const [table, n] of Object.entries(lignes)) console.error(`  ${table.padEnd(20)} ${String(n).padStart(10)} lignes`);
      if (faits) console.error(`  ${'faits'.padEnd(20)} ${String(faits.lignes).padStart(10)} lignes (années ${faits.annees.join(', ')})`);
      if (communesSansEpci > 0) console.error(`  ${communesSansEpci} commune(s) sans EPCI (code_epci vide) : leurs lignes ne sont dans aucune partition`);
      console.error(`Observatoire Parquet : ${epcis.length} EPCI écrits dans ${values.out}`);
      return 0;
    }
    const { epci, lignes } = await exporterParquet(store, values.out, values.epci === undefined ? {} : { epci: values.epci });
    for (const [table, n] of Object.entries(lignes)) console.error(`  ${table.padEnd(20)} ${String(n).padStart(10)} lignes`);
    console.error(`Observatoire Parquet : EPCI ${epci} écrit dans ${values.out}`);
    return 0;
  } finally {
    store.close();
  }
}
