import type { PerimeterType } from '../config/cia-config.ts';
import { PERIMETER_TYPES } from '../config/cia-config.ts';
import type { TypeReservataire } from '../format/codes.ts';
import { TYPES_RESERVATAIRE } from '../format/codes.ts';
import { LIBELLES_TYPE_RESERVATAIRE } from '../format/labels.ts';

/**
 * Perimeters of the indicators (DATA-FORMAT.md "Indicator export"). A bailleur's non-reserved stock is not a
 * réservataire but it is a contingent for the priority target (L441-1 CCH: 25 % "des attributions … de
 * chaque réservataire et des logements non réservés"): its id is `non_reserve:<bailleur_id>`, its type `non_reserve`.
 */

export { PERIMETER_TYPES };
export type { PerimeterType };

/** Perimeter types that partition the territory (each allocation in exactly one perimeter of the type). */
export const BREAKDOWN_TYPES = ['commune', 'qpv', 'bailleur', 'contingent', 'type_contingent'] as const satisfies readonly PerimeterType[];
export type BreakdownType = (typeof BREAKDOWN_TYPES)[number];

export const LIBELLES_PERIMETRE_TYPE: Record<PerimeterType, string> = {
  territoire: 'Territoire',
  commune: 'Commune',
  qpv: 'Quartier prioritaire (ou secteur assimilé)',
  bailleur: 'Bailleur',
  contingent: 'Contingent',
  type_contingent: 'Type de contingent',
};

export const NON_RESERVE = 'non_reserve' as const;
export const NON_RESERVE_PREFIX = `${NON_RESERVE}:` as const;

export const TYPES_CONTINGENT = [...TYPES_RESERVATAIRE, NON_RESERVE] as const;
export type TypeContingent = TypeReservataire | typeof NON_RESERVE;

export const LIBELLES_TYPE_CONTINGENT: Record<TypeContingent, string> = {
  ...LIBELLES_TYPE_RESERVATAIRE,
  non_reserve: 'Logements non réservés du bailleur',
};

/** The contingent id of a bailleur's non-reserved stock. */
export const contingentNonReserve = (bailleurId: string): string => `${NON_RESERVE_PREFIX}${bailleurId}`;

/** The bailleur of a non-reserved contingent id, or null for a réservataire. */
export const bailleurDuNonReserve = (contingentId: string): string | null =>
  contingentId.startsWith(NON_RESERVE_PREFIX) ? contingentId.slice(NON_RESERVE_PREFIX.length) : null;

/** The id `territoire` perimeter rows carry. */
export const TERRITOIRE_ID = 'territoire' as const;

/** A perimeter; `typeContingent` is known for contingents (needed by the priority target and the secrecy rules). */
export interface Perimetre {
  readonly type: PerimeterType;
  readonly id: string;
  readonly typeContingent?: TypeContingent | null;
}

export const isPerimeterType = (value: string): value is PerimeterType => (PERIMETER_TYPES as readonly string[]).includes(value);
export const isTypeContingent = (value: string): value is TypeContingent => (TYPES_CONTINGENT as readonly string[]).includes(value);
