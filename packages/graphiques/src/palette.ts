/**
 * The colours of every chart, named by meaning, one place for the screen and the bilan. Each is a shade of
 * Mantine's default palette (the web's theme, packages/web/src/theme.ts): the screen draws it as the theme's CSS
 * variable, a document (the bilan's SVG, rasterised for Word or inlined in the PDF, where no Mantine CSS exists)
 * as its hex value. The hex values are Mantine's (checked against `DEFAULT_THEME` by packages/web/test/graphiques.test.ts).
 * Shades 9 for bars and text (shade 6 for the axis, 3 for the grid, 7 for secondary text): above the WCAG AA contrast
 * on white. The bilan's Word and PDF styles take their greys from here too.
 */

/** The Mantine shades the charts use, with their hex values. */
const NUANCES = {
  'indigo-9': '#364fc7',
  'red-9': '#c92a2a',
  'orange-9': '#d9480f',
  'orange-8': '#e8590c',
  'teal-9': '#087f5b',
  'grape-9': '#862e9c',
  'cyan-9': '#0b7285',
  'pink-9': '#a61e4d',
  'gray-1': '#f1f3f5',
  'gray-2': '#e9ecef',
  'gray-3': '#dee2e6',
  'gray-5': '#adb5bd',
  'gray-6': '#868e96',
  'gray-7': '#495057',
  'gray-9': '#212529',
} as const;

export type Nuance = keyof typeof NUANCES;

/** Colours by meaning. */
export const PALETTE = {
  /** A bar: a rate that meets its target, or has none. */
  barre: 'indigo-9',
  /** A rate below its target. */
  nonAtteint: 'red-9',
  /** A target (a tick, a dashed line). */
  cible: 'orange-9',
  /** A masked value (statistical secrecy). */
  masque: 'gray-6',
  grille: 'gray-3',
  axe: 'gray-6',
  texte: 'gray-9',
  /** The documents around the charts (the bilan's Word and PDF): boxed paragraphs, table headers and borders, notes. */
  encadre: 'gray-1',
  entete: 'gray-2',
  bordure: 'gray-5',
  /** Notes, masked cells, footers and the rule above a total. */
  secondaire: 'gray-7',
} as const satisfies Record<string, Nuance>;

/** The series of grouped bars and curves, in order. */
export const SERIES: readonly Nuance[] = ['indigo-9', 'teal-9', 'orange-8', 'grape-9', 'cyan-9', 'pink-9'];

export type Sens = keyof typeof PALETTE;

/** Where a chart is drawn: on the screen (theme CSS variables) or in a document (hex). */
export type Support = 'ecran' | 'document';

export const valeurNuance = (nuance: Nuance): string => NUANCES[nuance];

/** A shade as the support draws it. */
export const couleurNuance = (nuance: Nuance, support: Support): string => (support === 'document' ? NUANCES[nuance] : `var(--mantine-color-${nuance})`);

/** A colour by meaning as the support draws it. */
export const couleur = (sens: Sens, support: Support): string => couleurNuance(PALETTE[sens], support);

/** The colour of the i-th series. */
export const couleurSerie = (i: number, support: Support): string => couleurNuance(SERIES[i % SERIES.length] as Nuance, support);

/** Every meaning in hex, for the bilan's HTML and CSS (headings, markers). */
export const COULEURS_DOCUMENT: Readonly<Record<Sens, string>> = Object.fromEntries(Object.entries(PALETTE).map(([k, n]) => [k, NUANCES[n]])) as Record<Sens, string>;

/** The background of a document's chart (the screen's is the page's). */
export const FOND_DOCUMENT = '#ffffff';

/** Every shade used, for the test against Mantine's palette. */
export const NUANCES_UTILISEES: Readonly<Record<Nuance, string>> = NUANCES;
