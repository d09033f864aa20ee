/**
 * Construction-period bands of the R441-5-1 bilan, from the first years of the bands after the first one:
 * [1949, 1975] → `avant_1949`, `1949_1974`, `1975_et_apres`; a dwelling without `annee_construction` is `inconnue`.
 */

export const PERIODE_INCONNUE = 'inconnue';

export interface TrancheConstruction {
  readonly code: string;
  /** First year of the band (null: open below). */
  readonly debut: number | null;
  /** Last year of the band (null: open above). */
  readonly fin: number | null;
}

export function tranchesConstruction(bornes: readonly number[]): TrancheConstruction[] {
  const tranches: TrancheConstruction[] = [];
  const premiere = bornes[0];
  if (premiere === undefined) return [{ code: 'toutes', debut: null, fin: null }];
  tranches.push({ code: `avant_${premiere}`, debut: null, fin: premiere - 1 });
  bornes.forEach((debut, i) => {
    const suivante = bornes[i + 1];
    tranches.push(suivante === undefined ? { code: `${debut}_et_apres`, debut, fin: null } : { code: `${debut}_${suivante - 1}`, debut, fin: suivante - 1 });
  });
  return tranches;
}

/** The band of a construction year (`inconnue` when unknown). */
export function trancheDeLAnnee(annee: number | null, bornes: readonly number[]): string {
  if (annee === null) return PERIODE_INCONNUE;
  const t = tranchesConstruction(bornes).find((b) => (b.debut === null || annee >= b.debut) && (b.fin === null || annee <= b.fin));
  return t?.code ?? PERIODE_INCONNUE;
}
