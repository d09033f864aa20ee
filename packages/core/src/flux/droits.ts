import { NON_RESERVE_PREFIX } from '../indicators/perimeters.ts';

/**
 * Rights, orientations and balances of the réservataires in a bailleur's flow (R441-5): the rights of a réservataire
 * are its share × the flow, its orientations the leases of the flow on its contingent, its balance orientations −
 * rights, carried from year to year. The bailleur's own share (`non_reserve:<b>`) is what the conventions leave.
 */

export interface ConventionFlux {
  readonly bailleurId: string;
  readonly reservataireId: string;
  readonly annee: number;
  readonly part: number;
}

export interface LigneDroits {
  readonly bailleurId: string;
  /** A réservataire's id, or `non_reserve:<b>`. */
  readonly reservataireId: string;
  readonly annee: number;
  readonly part: number;
  readonly droitsPrevisionnels: number;
  readonly droits: number;
  readonly orientations: number;
  /** Balance carried from the previous years (0 the first year). */
  readonly report: number;
  /** orientations − droits + report: > 0 the réservataire got more than its rights, < 0 the bailleur owes it. */
  readonly solde: number;
}

export interface AnneeDeFlux {
  readonly annee: number;
  readonly prevision: number;
  readonly realise: number;
  /** Orientations (leases in the flow) per contingent, `non_reserve:<b>` included. */
  readonly orientations: ReadonlyMap<string, number>;
}

export const nonReserveDe = (bailleurId: string) => `${NON_RESERVE_PREFIX}${bailleurId}`;

/**
 * The lines of one bailleur for each of its years, in order (balances carried from the first). The réservataires are
 * those with a convention in one of the years or an orientation; a réservataire without convention in a year has
 * a share of 0 that year.
 */
export function droitsDuBailleur(bailleurId: string, annees: readonly AnneeDeFlux[], conventions: readonly ConventionFlux[]): LigneDroits[] {
  const propre = nonReserveDe(bailleurId);
  const siennes = conventions.filter((c) => c.bailleurId === bailleurId);
  const ids = new Set<string>(siennes.map((c) => c.reservataireId));
  for (const a of annees) for (const id of a.orientations.keys()) ids.add(id);
  ids.delete(propre);
  const ordre = [...[...ids].sort(), propre];
  const reports = new Map<string, number>();
  const lignes: LigneDroits[] = [];
  for (const a of [...annees].sort((x, y) => x.annee - y.annee)) {
    const parts = new Map(siennes.filter((c) => c.annee === a.annee).map((c) => [c.reservataireId, c.part]));
    const reserve = [...parts.values()].reduce((s, p) => s + p, 0);
    parts.set(propre, Math.max(0, 1 - reserve));
    for (const id of ordre) {
      const part = parts.get(id) ?? 0;
      const orientations = a.orientations.get(id) ?? 0;
      const report = reports.get(id) ?? 0;
      const droits = part * a.realise;
      const solde = orientations - droits + report;
      reports.set(id, solde);
      lignes.push({ bailleurId, reservataireId: id, annee: a.annee, part, droitsPrevisionnels: part * a.prevision, droits, orientations, report, solde });
    }
  }
  return lignes;
}

/**
 * A réservataire behind its pro-rata: at `fraction` of the year (0–1), its orientations are below its forecast rights
 * × fraction by at least one dwelling and by more than `tolerance` of them.
 */
export function enRetard(l: Pick<LigneDroits, 'droitsPrevisionnels' | 'orientations'>, fraction: number, tolerance = 0.1): boolean {
  const attendu = l.droitsPrevisionnels * fraction;
  return attendu - l.orientations >= 1 && l.orientations < attendu * (1 - tolerance);
}
