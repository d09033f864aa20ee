/**
 * The colours of the maps: a sequential scale for a value by commune (Mantine's blue shades 1 to 9, light = low),
 * and the meanings of points and outlines. Hex values are Mantine's default palette, as in palette.ts (checked
 * against `DEFAULT_THEME` by carte.test.tsx); the screen draws the theme's CSS variable, a document the hex value.
 */
import type { Support } from '../palette.ts';

const NUANCES_CARTE = {
  'blue-1': '#d0ebff',
  'blue-3': '#74c0fc',
  'blue-5': '#339af0',
  'blue-7': '#1c7ed6',
  'blue-9': '#1864ab',
  'gray-0': '#f8f9fa',
  'gray-3': '#dee2e6',
  'gray-6': '#868e96',
  'gray-7': '#495057',
  'red-9': '#c92a2a',
  'orange-7': '#f76707',
  'teal-9': '#087f5b',
  'grape-9': '#862e9c',
  'indigo-9': '#364fc7',
} as const;

export type NuanceCarte = keyof typeof NUANCES_CARTE;

/** Every shade of the maps with its hex value (for the test against Mantine's palette). */
export const NUANCES_CARTE_UTILISEES: Readonly<Record<NuanceCarte, string>> = NUANCES_CARTE;

export const couleurCarte = (nuance: NuanceCarte, support: Support): string => (support === 'document' ? NUANCES_CARTE[nuance] : `var(--mantine-color-${nuance})`);

/** The sequential scale, light to dark. */
const ECHELLE: readonly NuanceCarte[] = ['blue-1', 'blue-3', 'blue-5', 'blue-7', 'blue-9'];
export const CLASSES_MAX = ECHELLE.length;

/** The shades of `n` classes (1 to 5), spread over the scale so that neighbours stay apart. */
export function nuancesDesClasses(n: number): NuanceCarte[] {
  if (n <= 1) return ['blue-5'];
  const k = Math.min(n, CLASSES_MAX);
  return Array.from({ length: k }, (_, i) => ECHELLE[Math.round((i * (CLASSES_MAX - 1)) / (k - 1))] as NuanceCarte);
}

/** A commune without a value (nothing counted) and a masked one (statistical secrecy). */
export const NUANCE_SANS_VALEUR: NuanceCarte = 'gray-0';
export const NUANCE_MASQUEE: NuanceCarte = 'gray-3';
/** The lines between communes, the QPV outlines. */
export const NUANCE_LIMITE: NuanceCarte = 'gray-6';
export const NUANCE_QPV: NuanceCarte = 'grape-9';
