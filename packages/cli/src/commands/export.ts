import { DEFAULT_STORE_PATH } from '@mixite/data/chemin-par-defaut';
import { UsageError, parse, wantsHelp } from '../args.ts';
import { ouvrirFichierBase } from '../store-source.ts';

export const EXPORT_HELP = `Usage : mixite exporter --out DOSSIER [--base FICHIER]

Réécrit le contenu de la base au format canonique (un CSV par fichier, et cia.yaml).
  --base FICHIER   base DuckDB (défaut : $MIXITE_BASE ou ${DEFAULT_STORE_PATH})`;

export async function exportCommand(args: string[]): Promise<number> {
  const { values } = parse(args, { out: { type: 'string', short: 'o' }, base: { type: 'string' } });
  if (wantsHelp(values)) {
    console.log(EXPORT_HELP);
    return 0;
  }
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
