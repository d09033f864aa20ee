/**
 * Demo territory generator: writes a complete dataset in the canonical format (DATA-FORMAT.md)
 * for Grand Paris Sud (`epci`), Île-de-France (`idf`) or France (`national`), calibrated on the
 * seed CIA of Grand Paris Sud and deterministic for a given seed.
 */
import { mkdir } from 'node:fs/promises';
import { COLONNES, COLONNES_LIBRES, FICHIERS, type Fichier } from './columns.js';
import { CsvWriter } from './csv-writer.js';
import type { Echelle, Territoire } from './model.js';
import { genererEpcis, poidsEpci } from './shards.js';
import { ecrireCia, ecrireTerritoire } from './territory-files.js';
import { construireTerritoire } from './territory.js';

export type { Echelle } from './model.js';

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
  progress({ etape: 'ecriture', fait: 1, total: 1 });
  return {
    echelle: territoire.echelle,
    graine,
    fichiers: Object.fromEntries(FICHIERS.map((f) => [`${f}.csv`, writers[f].rows])),
  };
}
