import type { Echelle } from '@mixite/demo';
import { UsageError, parse, wantsHelp } from '../args.ts';

export const DEMO_HELP = `Usage : mixite demo --out DOSSIER [--echelle epci|idf|national] [--graine N]

Écrit un territoire de démonstration au format canonique (CSV et cia.yaml).
  epci      CA Grand Paris Sud Seine-Essonne-Sénart, calibrée sur sa CIA (défaut)
  idf       ≈ 800 000 demandes et 70 000 attributions par an
  national  ≈ 2,7 millions de demandes et 450 000 attributions par an
Le même --graine donne toujours les mêmes fichiers.`;

const ECHELLES: readonly Echelle[] = ['epci', 'idf', 'national'];

export async function demoCommand(args: string[]): Promise<number> {
  const { values } = parse(args, { out: { type: 'string', short: 'o' }, echelle: { type: 'string' }, graine: { type: 'string' } });
  if (wantsHelp(values)) {
    console.log(DEMO_HELP);
    return 0;
  }
  if (!values.out) throw new UsageError('indiquez le dossier de sortie avec --out');
  const echelle = (values.echelle ?? 'epci') as Echelle;
  if (!ECHELLES.includes(echelle)) throw new UsageError(`échelle inconnue « ${values.echelle} » : epci, idf ou national`);
  const graine = values.graine === undefined ? 1 : Number(values.graine);
  if (!Number.isInteger(graine)) throw new UsageError(`graine invalide « ${values.graine} » : un nombre entier`);
  // Loaded past the help: the generator and the progress bar (start-up, issue 18).
  const [{ generateDemo }, { Progress }] = await Promise.all([import('@mixite/demo'), import('../progress.ts')]);
  const progress = new Progress();
  const summary = await generateDemo({ out: values.out, echelle, graine, onProgress: (p) => progress.update(p.etape, p.fait, p.total) });
  progress.stop();
  for (const [file, rows] of Object.entries(summary.fichiers)) console.error(`  ${file.padEnd(20)} ${String(rows).padStart(10)} lignes`);
  console.error(`Territoire de démonstration (${echelle}, graine ${graine}) écrit dans ${values.out}`);
  return 0;
}
