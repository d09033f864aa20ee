import { DEFAULT_STORE_PATH } from '@mixite/data/chemin-par-defaut';
import { UsageError, formatParmi, parse, wantsHelp } from '../args.ts';
import { ouvrirFichierBase } from '../store-source.ts';
import { EXPORTER_OPTIONS, EXPORT_PARQUET_HELP, exporterParquetCommand } from './exporter.ts';

export const EXPORT_HELP = `Usage : mixite exporter --out DOSSIER [--base FICHIER] [--format parquet [--epci SIREN | --par-epci | --depuis-parquet DOSSIER]]

Réécrit le contenu de la base au format canonique (un CSV par fichier, et cia.yaml).
  --base FICHIER   base DuckDB (défaut : $MIXITE_BASE ou ${DEFAULT_STORE_PATH})
${EXPORT_PARQUET_HELP}`;

export async function exportCommand(args: string[]): Promise<number> {
  const { values } = parse(args, EXPORTER_OPTIONS);
  if (wantsHelp(values)) {
    console.log(EXPORT_HELP);
    return 0;
  }
  // The Parquet observatory (issue 18, item 5); without --format, the canonical files as always.
  if (values.format !== undefined) {
    formatParmi(values.format, ['parquet']);
    return exporterParquetCommand(args);
  }
  if (values.epci !== undefined) throw new UsageError('--epci ne vaut qu’avec --format parquet');
  if (values['par-epci']) throw new UsageError('--par-epci ne vaut qu’avec --format parquet');
  if (values['depuis-parquet'] !== undefined) throw new UsageError('--depuis-parquet ne vaut qu’avec --format parquet');
  if (!values.out) throw new UsageError('indiquez le dossier de sortie avec --out');
  const store = await ouvrirFichierBase(values.base ?? process.env.MIXITE_BASE ?? DEFAULT_STORE_PATH);
  try {
    const { exportDataset } = await import('@mixite/data/export');
    const written = await exportDataset(store, values.out);
    for (const [file, rows] of Object.entries(written)) console.error(`  ${`${file}.csv`.padEnd(20)} ${String(rows).padStart(10)} lignes`);
    console.error(`Jeu de données écrit dans ${values.out}`);
    return 0;
  } finally {
    store.close();
  }
}
