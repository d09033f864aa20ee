/**
 * The perimeter types of the indicators (DATA-FORMAT.md "Indicator export"), in their own module so that the
 * declarations of the indicators and the CIA configuration (whose target keys are derived from the declarations)
 * can both read them without importing each other.
 */
export const PERIMETER_TYPES = ['territoire', 'commune', 'qpv', 'bailleur', 'contingent', 'type_contingent'] as const;
export type PerimeterType = (typeof PERIMETER_TYPES)[number];
