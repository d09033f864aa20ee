import type { LigneBilanFlux } from '@mixite/core';

/**
 * Statistical secrecy of the R441-5-1 bilan for a public edition. Within a réservataire, each dimension's modalities
 * add up to the `ensemble` row: masking one small cell alone would let it be recovered by subtraction. So when any
 * modality of a dimension is below the threshold (and not 0), the whole dimension of that réservataire is masked;
 * an `ensemble` row below the threshold masks the réservataire's every row. Proposed and allocated counts are masked
 * together (allocated dwellings are among the proposed ones). The complete edition (for the bailleur and its
 * réservataires, who know these dwellings) masks nothing.
 */
export interface LigneBilanPubliee extends Omit<LigneBilanFlux, 'logements_proposes' | 'logements_attribues'> {
  readonly logements_proposes: number | null;
  readonly logements_attribues: number | null;
  readonly secret: boolean;
}

const petit = (n: number, seuil: number) => n > 0 && n < seuil;

export function publierBilanFlux(lignes: readonly LigneBilanFlux[], seuil: number | null): LigneBilanPubliee[] {
  if (seuil === null) return lignes.map((l) => ({ ...l, secret: false }));
  const masques = new Set<string>();
  const cle = (l: LigneBilanFlux, dimension = l.dimension) => `${l.bailleur_id}|${l.reservataire_id}|${dimension}`;
  for (const l of lignes) {
    if (!petit(l.logements_proposes, seuil) && !petit(l.logements_attribues, seuil)) continue;
    if (l.dimension === 'ensemble') masques.add(`${l.bailleur_id}|${l.reservataire_id}|*`);
    else masques.add(cle(l));
  }
  return lignes.map((l) => {
    const secret = masques.has(cle(l)) || masques.has(`${l.bailleur_id}|${l.reservataire_id}|*`);
    return secret ? { ...l, logements_proposes: null, logements_attribues: null, secret } : { ...l, secret };
  });
}
