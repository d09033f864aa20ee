import type { SessionApi, Territoire } from '@mixite/contract';
import { anneeChoisie } from '../../lib/annee.ts';
import { lecture } from '../../lib/client.ts';

/**
 * What the Parc page reads, in one place for the page and for the reads started before its code has arrived
 * (lib/prechargement.ts): both must ask the same URLs, or the read ahead is lost. No React, no Mantine here.
 */
/** Public geography, for every account: both maps and the calculator's list of communes draw on it. */
export const lectureContours = () => lecture('/api/contours');

export function lecturesParc(session: SessionApi, territoire: Territoire | null, anneeDemandee: string | null) {
  const annee = anneeChoisie(territoire, anneeDemandee);
  // The stock's figures name residences and dwellings: the partners only (the server refuses the public reader).
  const partenaire = session.droits.partenaire;
  return {
    annee,
    partenaire,
    parc: annee && partenaire ? lecture('/api/parc', { query: { annee } }) : null,
    residences: annee && partenaire ? lecture('/api/parc/residences', { query: { annee } }) : null,
    contours: lectureContours(),
  };
}
