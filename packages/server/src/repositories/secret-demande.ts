import type { Controles, DemandRow, LimitesDeLAnnee } from '@mixite/core';
import { DEMAND_INDICATORS } from '@mixite/core';
import type { LigneDemandeVisible, LimitesVisibles } from '../contract.ts';

export interface DemandeVisible {
  readonly demande: readonly LigneDemandeVisible[];
  readonly limites: readonly LimitesVisibles[];
  readonly controles: Controles;
}

/**
 * Statistical secrecy of the demand side, for the roles that read published tables only. The demand is counted
 * territory-wide, by quartile, typology or refusal motive; a row is masked when one of the household counts it
 * publishes is between 1 and s − 1 (s = secret_statistique): the count itself, its denominator, and for a share
 * the complement. When a breakdown has exactly one masked modality, the smallest other one is masked too, so that
 * it cannot be recomputed from the whole. Quartile limits computed from fewer than s requests are masked.
 */
export function masquerDemande(rows: readonly DemandRow[], limites: readonly LimitesDeLAnnee[], seuil: number): Omit<DemandeVisible, 'controles'> {
  const small = (n: number | null) => n !== null && n > 0 && n < seuil;
  const masked: ('primaire' | 'secondaire' | null)[] = rows.map((r) => {
    const unite = DEMAND_INDICATORS[r.indicateur].unite;
    // A mean in days has a sum of days as numerator: only its denominator counts households.
    const counts = unite === 'jours' ? [r.denominateur] : unite === 'nombre' ? [r.numerateur] : [r.numerateur, r.denominateur, r.denominateur === null ? null : r.denominateur - r.numerateur];
    return seuil > 1 && counts.some(small) ? 'primaire' : null;
  });
  // Secondary masking within each breakdown (indicator × period, modalities other than the whole '').
  const groups = new Map<string, number[]>();
  rows.forEach((r, i) => {
    if (r.modalite === '') return;
    const key = `${r.indicateur}\u0000${r.periode}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  for (const members of groups.values()) {
    if (members.filter((i) => masked[i] !== null).length !== 1) continue;
    const candidates = members.filter((i) => masked[i] === null).sort((a, b) => (rows[a] as DemandRow).numerateur - (rows[b] as DemandRow).numerateur);
    const pick = candidates.find((i) => (rows[i] as DemandRow).numerateur > 0) ?? candidates[0];
    if (pick !== undefined) masked[pick] = 'secondaire';
  }
  return {
    demande: rows.map((r, i) => (masked[i] ? { ...r, numerateur: null, denominateur: null, valeur: null, secret: masked[i] } : { ...r, secret: null })),
    limites: limites.map((l) =>
      seuil > 1 && l.demandes > 0 && l.demandes < seuil
        ? { ...l, q1: null, mediane: null, q3: null, seuil_applique: l.origine_seuil === 'calcule' ? null : l.seuil_applique }
        : l,
    ),
  };
}
