import type { ProgrammeApi } from '@mixite/contract';

/** The statuses of a fiche as the screens say them (the same words as core's LIBELLES_STATUT_FICHE). */
export const LIBELLES_STATUT: Record<NonNullable<ProgrammeApi['fiches'][number]['statut']>, string> = {
  non_commencee: 'Non commencée',
  en_cours: 'En cours',
  realisee: 'Réalisée',
  abandonnee: 'Abandonnée',
};

export const libelleStatut = (s: ProgrammeApi['fiches'][number]['statut']) => (s ? LIBELLES_STATUT[s] : 'Non renseigné');

/** The fiches by orientation, in the order of their first fiche. */
export function parOrientation(fiches: ProgrammeApi['fiches']): { orientation: string; fiches: ProgrammeApi['fiches'] }[] {
  const groupes = new Map<string, ProgrammeApi['fiches'][number][]>();
  for (const f of fiches) groupes.set(f.orientation, [...(groupes.get(f.orientation) ?? []), f]);
  return [...groupes].map(([orientation, liste]) => ({ orientation, fiches: liste }));
}

// The words of the governance (instances, commitments): one home, core's programme/gouvernance.ts.
export { LIBELLES_GENRE_INSTANCE, LIBELLES_STATUT_ENGAGEMENT } from '@mixite/core';
