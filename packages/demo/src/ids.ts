/**
 * Identifiers, numbered across the whole dataset so that every EPCI of a large scale gets unique,
 * stable ids. Fixed widths keep them sortable and show that identifiers are strings.
 */
import { ANNEES_ATTRIBUTION, DEMANDE, LIVRAISONS_PAR_AN } from './calibration.js';
import type { EpciPlan } from './model.js';
import { departement3 } from './territory.js';

export class Compteurs {
  residence = 0;
  logement = 0;
  attribution = 0;
  demande = 0;

  static depuis(c: Readonly<Compteurs>): Compteurs {
    return Object.assign(new Compteurs(), c);
  }
}

export function idResidence(n: number): string {
  return `R${String(n).padStart(7, '0')}`;
}

export function idLogement(n: number): string {
  return `L${String(n).padStart(8, '0')}`;
}

export function idAttribution(n: number): string {
  return `A${String(n).padStart(8, '0')}`;
}

/**
 * Numéro unique: département of registration on three characters (`091`, `02A`, `971`), year and
 * month of deposit, then a sequence number.
 */
export function nur(departement: string, isoDepot: string, sequence: number): string {
  return `${departement3(departement)}${isoDepot.slice(2, 4)}${isoDepot.slice(5, 7)}${String(sequence).padStart(8, '0')}`;
}

/**
 * Upper bounds of the identifiers one EPCI consumes. Each EPCI numbers from the sum of the bounds of
 * the EPCIs before it, so that EPCIs can be generated in parallel and still give the same files.
 */
export function bornes(plan: EpciPlan): Compteurs {
  const logements = plan.secteurs.reduce((s, x) => s + x.logements, 0);
  const livraisons = ANNEES_ATTRIBUTION.length * Math.round(plan.logements * LIVRAISONS_PAR_AN);
  // Commissions: the leases of each year (the first one a little more, see allocations.ts) and the new buildings.
  const evenements = Math.ceil(ANNEES_ATTRIBUTION.reduce((s, a) => s + (plan.bauxParAn[a] ?? 0), 0) * 1.1) + livraisons;
  const reserve = plan.demandesActives + Math.round(plan.demandesActives * DEMANDE.radiationsParAn * ANNEES_ATTRIBUTION.length);
  return Compteurs.depuis({
    residence: logements,
    logement: logements,
    // At most three candidates per commission, each possibly a new request (the lease, or a pool fallback).
    attribution: 3 * evenements,
    demande: reserve + 3 * evenements,
  });
}
