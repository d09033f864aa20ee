/**
 * What a household pays for its home once the APL is counted (DOMAIN.md, arrêté of 10 March 2011 for the effort rate;
 * the reste à vivre has no legal formula):
 * - effort rate = (rent + charges − APL) ÷ monthly resources (null when the resources are 0: the rate is undefined);
 * - reste à vivre per UC per day = (monthly resources − (rent + charges − APL)) ÷ UC ÷ 30 (a month counted 30 days,
 *   the usual convention of bailleurs' instruction sheets).
 * With the RLS, the rent is the rent less the RLS (the bailleur lowers it), while the APL is already lowered by 98 % of it.
 */

export const JOURS_PAR_MOIS = 30;

export interface DepenseLogement {
  readonly loyer: number;
  readonly charges: number;
  readonly apl: number;
  /** RLS granted by the bailleur (0 when none). */
  readonly rls?: number;
}

/** Rent + charges − RLS − APL, € a month (may be negative when the APL exceeds the rent actually paid: it is not capped here). */
export const depenseNette = (d: DepenseLogement): number => d.loyer - (d.rls ?? 0) + d.charges - d.apl;

export function tauxEffort(d: DepenseLogement, ressourcesMensuelles: number): number | null {
  if (!(ressourcesMensuelles > 0)) return null;
  return depenseNette(d) / ressourcesMensuelles;
}

export function resteAVivreParUcParJour(d: DepenseLogement, ressourcesMensuelles: number, uc: number): number | null {
  if (!(uc > 0)) return null;
  return (ressourcesMensuelles - depenseNette(d)) / uc / JOURS_PAR_MOIS;
}
