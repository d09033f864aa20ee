/**
 * Demo territory generator: writes a complete dataset in the canonical format (DATA-FORMAT.md)
 * for Grand Paris Sud (`epci`), Île-de-France (`idf`) or France (`national`), calibrated on the
 * seed CIA of Grand Paris Sud and deterministic for a given seed.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { COLONNES, COLONNES_LIBRES, FICHIERS, type Fichier } from './columns.js';
import { CsvWriter } from './csv-writer.js';
import { ecrireConventions } from './conventions.js';
import type { Echelle, Territoire } from './model.js';
import { genererEpcis, poidsEpci } from './shards.js';
import { ecrireCia, ecrireTerritoire } from './territory-files.js';
import { construireTerritoire } from './territory.js';

export type { Echelle } from './model.js';
/** The demo's action programme, instances, meetings and commitments (issue 19), loaded on the demo's first start. */
export { FICHES_DEMO, programmeDemo } from './programme.js';
/**
 * The generator's published allocation constants and the contingent profile of each réservataire type: the
 * simulation's back-test (issue 16) computes from them the rates the generator expects, independently of the model.
 */
export { ATTRIBUTIONS, PROFILS_CONTINGENT, type ProfilContingent } from './calibration.js';
export { PROFIL_PAR_TYPE } from './territory.js';

export interface DemoOptions {
  /** Folder to write into (created if missing; files of the same names are replaced). */
  out: string;
  echelle?: Echelle;
  graine?: number;
  onProgress?: (p: { etape: string; fait: number; total: number }) => void;
}

export interface DemoSummary {
  echelle: Echelle;
  graine: number;
  /** File name → data rows (header excluded). */
  fichiers: Record<string, number>;
}

export const GRAINE_PAR_DEFAUT = 1;

/** The outlines of Grand Paris Sud's 23 communes, written as the demo's contours.geojson. */
const CONTOURS_GRAND_PARIS_SUD = new URL('./geo/grand-paris-sud-communes.geojson', import.meta.url);
/** Their citation, which every map drawn from them prints (the file's root member `source`, docs/carte.md). */
export const SOURCE_CONTOURS_DEMO = 'IGN, Admin Express COG 2018, Licence Ouverte 2.0 ; simplifié par gregoiredavid/france-geojson';

/** The demo's contours.geojson: the shipped features unchanged, their source as the root member `source`. */
async function ecrireContours(out: string): Promise<void> {
  const { features } = JSON.parse(await readFile(CONTOURS_GRAND_PARIS_SUD, 'utf8')) as { features: unknown[] };
  const texte = `{"type":"FeatureCollection","source":${JSON.stringify(SOURCE_CONTOURS_DEMO)},"features":[\n${features.map((f) => JSON.stringify(f)).join(',\n')}\n]}\n`;
  await writeFile(join(out, 'contours.geojson'), texte, 'utf8');
}

export async function generateDemo(options: DemoOptions): Promise<DemoSummary> {
  const echelle = options.echelle ?? 'epci';
  const graine = options.graine ?? GRAINE_PAR_DEFAUT;
  if (!Number.isSafeInteger(graine)) throw new Error(`graine invalide : ${graine} (un entier est attendu)`);
  const progress = options.onProgress ?? ((): void => undefined);
  progress({ etape: 'territoire', fait: 0, total: 1 });
  const territoire = construireTerritoire(echelle, graine);
  return ecrireJeu(territoire, options.out, graine, { onProgress: progress });
}

/**
 * Writes the dataset of an already built territory. `threads` forces the number of threads (tests
 * check that the files do not depend on it).
 */
export async function ecrireJeu(
  territoire: Territoire, out: string, graine: number,
  options: { threads?: number; onProgress?: DemoOptions['onProgress'] } = {},
): Promise<DemoSummary> {
  const progress = options.onProgress ?? ((): void => undefined);
  await mkdir(out, { recursive: true });
  const writers = Object.fromEntries(
    FICHIERS.map((f) => [f, CsvWriter.open(out, `${f}.csv`, [...COLONNES[f], ...(COLONNES_LIBRES[f] ?? [])])]),
  ) as Record<Fichier, CsvWriter>;
  try {
    await ecrireTerritoire(territoire, writers);
    await ecrireCia(out, territoire);
    // The real communes' outlines (IGN Admin Express, Licence Ouverte: see geo/README.md), for the maps (issue 14).
    // Grand Paris Sud only: the larger scales have no contours to ship.
    if (territoire.echelle === 'epci') await ecrireContours(out);
    progress({ etape: 'territoire', fait: 1, total: 1 });
    const total = territoire.epcis.reduce((s, plan) => s + poidsEpci(plan), 0);
    let fait = 0;
    await genererEpcis(territoire.epcis, graine, out, writers, {
      threads: options.threads,
      progres: (poids) => {
        fait += poids;
        progress({ etape: 'generation', fait: Math.round(fait), total: Math.round(total) });
      },
    });
    progress({ etape: 'ecriture', fait: 0, total: 1 });
  } finally {
    await Promise.all(FICHIERS.map((f) => writers[f].close()));
  }
  // The conventions in flux follow the contingents of the dwellings just written (conventions.ts).
  const conventions = await ecrireConventions(out, territoire);
  progress({ etape: 'ecriture', fait: 1, total: 1 });
  return {
    echelle: territoire.echelle,
    graine,
    fichiers: { ...Object.fromEntries(FICHIERS.map((f) => [`${f}.csv`, writers[f].rows])), 'conventions.csv': conventions },
  };
}
