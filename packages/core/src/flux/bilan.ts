/**
 * The R441-5-1 bilan: for each bailleur and réservataire, the dwellings proposed and allocated in the year, in total
 * and by typology, financing, QPV / hors QPV, commune and construction period. Its CSV has exactly these columns
 * (DATA-FORMAT.md, "Command line, added").
 */

import { texteCsv } from '../format/tableur.ts';

export const COLONNES_BILAN_FLUX = ['bailleur_id', 'reservataire_id', 'dimension', 'modalite', 'logements_proposes', 'logements_attribues'] as const;

export const DIMENSIONS_BILAN = ['ensemble', 'typologie', 'financement', 'qpv', 'commune', 'periode_construction'] as const;
export type DimensionBilan = (typeof DIMENSIONS_BILAN)[number];

export const LIBELLES_DIMENSION: Readonly<Record<DimensionBilan, string>> = {
  ensemble: 'Ensemble',
  typologie: 'Typologie',
  financement: 'Financement',
  qpv: 'Localisation (QPV)',
  commune: 'Commune',
  periode_construction: 'Période de construction',
};

export interface LigneBilanFlux {
  readonly bailleur_id: string;
  readonly reservataire_id: string;
  readonly dimension: DimensionBilan;
  readonly modalite: string;
  readonly logements_proposes: number;
  readonly logements_attribues: number;
}

/** `T1`…`T5`, `T6+` from a number of rooms; `inconnue` when unknown. */
export function typologie(nbPieces: number | null): string {
  if (nbPieces === null) return 'inconnue';
  return nbPieces >= 6 ? 'T6+' : `T${nbPieces}`;
}

/** The modality used when a dimension's value is unknown (financing: the contract's `inconnu`). */
export const MODALITE_INCONNUE: Readonly<Record<Exclude<DimensionBilan, 'ensemble' | 'qpv'>, string>> = {
  typologie: 'inconnue',
  financement: 'inconnu',
  commune: 'inconnue',
  periode_construction: 'inconnue',
};

/**
 * One CSV line per bilan row, `;`-separated like every file Mixité writes. Ids and modalities are read from
 * imported files: a text cell that starts like a formula is neutralised (format/tableur.ts); counts are numbers.
 */
export function bilanFluxCsv(lignes: readonly LigneBilanFlux[]): string {
  const out = [COLONNES_BILAN_FLUX.join(';')];
  for (const l of lignes) out.push(COLONNES_BILAN_FLUX.map((c) => csvCell(String(l[c]))).join(';'));
  return `${out.join('\n')}\n`;
}

const csvCell = (v: string) => {
  const t = texteCsv(v);
  return /[;"\r\n]/.test(t) ? `"${t.replaceAll('"', '""')}"` : t;
};
