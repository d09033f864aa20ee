import { texteCsv } from '../format/tableur.ts';
import type { LigneDroits } from './droits.ts';

/**
 * The flux as a long CSV (`mixite flux --format csv`): one `ensemble` row per bailleur and réservataire (its share,
 * the forecast and actual flows, rights, orientations, the balance carried in and the balance), then one row per
 * typology, QPV location and financing (the flow of that modality, the réservataire's rights in it and its
 * orientations). Numbers with a decimal point, at most three decimals. Ids and modalities come from imported files:
 * text cells go through the formula-injection rule (format/tableur.ts); numbers are written from numbers.
 */
export const COLONNES_FLUX = [
  'bailleur_id',
  'reservataire_id',
  'annee',
  'dimension',
  'modalite',
  'part',
  'flux_previsionnel',
  'flux_realise',
  'droits_previsionnels',
  'droits',
  'orientations',
  'report',
  'solde',
] as const;

export interface BailleurFluxExport {
  readonly bailleurId: string;
  readonly annee: number;
  readonly prevision: number;
  readonly realise: number;
  readonly droits: readonly LigneDroits[];
  readonly parDimension: readonly {
    readonly reservataireId: string;
    readonly dimension: string;
    readonly modalite: string;
    readonly part: number;
    readonly flux: number;
    readonly droits: number;
    readonly orientations: number;
  }[];
}

const n3 = (x: number | null) => (x === null ? '' : String(Math.round(x * 1000) / 1000));
/** A text cell: neutralised, quoted when it holds the separator, a quote or a line break (RFC 4180). */
const t = (v: string) => {
  const n = texteCsv(v);
  return /[;"\r\n]/.test(n) ? `"${n.replaceAll('"', '""')}"` : n;
};

export function fluxCsv(bailleurs: readonly BailleurFluxExport[]): string {
  const out: string[] = [COLONNES_FLUX.join(';')];
  for (const b of bailleurs) {
    for (const l of b.droits) {
      out.push([t(b.bailleurId), t(l.reservataireId), b.annee, 'ensemble', 'ensemble', n3(l.part), n3(b.prevision), n3(b.realise), n3(l.droitsPrevisionnels), n3(l.droits), l.orientations, n3(l.report), n3(l.solde)].join(';'));
    }
    for (const d of b.parDimension) {
      out.push([t(b.bailleurId), t(d.reservataireId), b.annee, t(d.dimension), t(d.modalite), n3(d.part), '', n3(d.flux), '', n3(d.droits), d.orientations, '', ''].join(';'));
    }
  }
  return `${out.join('\n')}\n`;
}
