import { z } from 'zod';
import type { PoidsUc } from '../quartile/quartile.ts';
import { unitesDeConsommation } from '../quartile/quartile.ts';

/**
 * The reference Q1 household of a dwelling (issue 14, seed 000 fiche action 5): a household whose size fits the
 * dwelling's number of rooms, with the resources of the Q1 threshold of the year (€ per UC per year × its UC ÷ 12 a
 * month) — the richest household that still counts as Q1. Its children are under 14 and dependants for the APL.
 * The mapping rooms → composition is a CIA parameter (`parc.menages_de_reference`); the default is the usual
 * occupancy norm (one room per couple, one more per child): 1 room a single person, 2 a couple, 3 a couple with one
 * child, 4 with two, 5 or more with three. A dwelling with more rooms than the last entry takes the last entry.
 */

export const menageDeReferenceSchema = z.strictObject({
  nb_pieces: z.number().int().min(1).max(12),
  adultes: z.union([z.literal(1), z.literal(2)]),
  enfants: z.number().int().min(0).max(18),
});
export type MenageDeReference = z.infer<typeof menageDeReferenceSchema>;

export const MENAGES_DE_REFERENCE_PAR_DEFAUT: readonly MenageDeReference[] = [
  { nb_pieces: 1, adultes: 1, enfants: 0 },
  { nb_pieces: 2, adultes: 2, enfants: 0 },
  { nb_pieces: 3, adultes: 2, enfants: 1 },
  { nb_pieces: 4, adultes: 2, enfants: 2 },
  { nb_pieces: 5, adultes: 2, enfants: 3 },
];

/** The entry for a number of rooms: the one with the most rooms at or below it (the first entry for fewer rooms). */
export function menageDeReference(nbPieces: number, table: readonly MenageDeReference[] = MENAGES_DE_REFERENCE_PAR_DEFAUT): MenageDeReference {
  const tries = [...table].sort((a, b) => a.nb_pieces - b.nb_pieces);
  let retenu = tries[0];
  if (retenu === undefined) throw new Error('table des ménages de référence vide');
  for (const m of tries) if (m.nb_pieces <= nbPieces) retenu = m;
  return retenu;
}

/** The household's size and UC (the CIA's weights: its children are under 14). */
export function ucDuMenageDeReference(m: MenageDeReference, poids: PoidsUc): number {
  return unitesDeConsommation({ nb_personnes: m.adultes + m.enfants, nb_moins_14_ans: m.enfants }, poids) as number;
}

/** Monthly resources of the reference household at a threshold (€ per UC per year). */
export const ressourcesMensuellesAuSeuil = (seuilParUc: number, uc: number): number => (seuilParUc * uc) / 12;
