/**
 * The bilan's charts: the components of @mixite/graphiques — the very ones the web's dashboard draws — rendered to
 * standalone SVG (inline in the HTML of the PDF, rasterised to PNG by Chromium for Word). Horizontal bars of rates
 * with each row's target as a tick (perimeters), and vertical grouped bars (years, quartiles, typologies) with an
 * optional target line. A masked value draws no bar and prints « s », nothing counted prints « – ». Every chart is
 * printed with its caption and the table it is drawn from.
 */
import type { Barre, ProprietesBarresVerticales, Serie, Symboles } from '@mixite/graphiques';
import { BarresHorizontales, BarresVerticales, COULEURS_DOCUMENT, tailleBarresHorizontales, tailleBarresVerticales } from '@mixite/graphiques';
import { svgStatique } from '@mixite/graphiques/statique';
import { SECRET_SYMBOLE, VIDE_SYMBOLE } from '../contenu/modele.ts';

export type { Barre, Serie, ValeurGraphique } from '@mixite/graphiques';
export { plafondDesParts } from '@mixite/graphiques';

/** The components this module renders: the web's very ones (checked by identity in packages/web/test/graphiques.test.ts). */
export const COMPOSANTS = { BarresHorizontales, BarresVerticales } as const;

/** Colours by meaning, in hex (the palette of @mixite/graphiques), for the bilan's HTML. */
export const COULEURS = COULEURS_DOCUMENT;

/** The bilan's symbols for a value the chart does not draw. */
const SYMBOLES: Symboles = { masque: SECRET_SYMBOLE, vide: VIDE_SYMBOLE };

export interface SvgGraphique {
  readonly svg: string;
  readonly largeur: number;
  readonly hauteur: number;
}

export const echapperXml = (s: string): string =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');

/** Rates per perimeter as horizontal bars (0–100 %), each row's target as an orange tick; every row is drawn. */
export function barresHorizontales(titre: string, barres: readonly Barre[], format: (v: number) => string): SvgGraphique {
  const max = barres.length;
  return { svg: svgStatique(BarresHorizontales, { titre, barres, format, max, symboles: SYMBOLES }), ...tailleBarresHorizontales(barres, max) };
}

/**
 * Grouped vertical bars: one group per category, one bar per series; `max` is the top of the axis (1 for
 * shares). An optional horizontal target line.
 */
export function barresVerticales(
  titre: string,
  categories: readonly string[],
  series: readonly Serie[],
  options: { readonly format: (v: number) => string; readonly max?: number; readonly cible?: number | null },
): SvgGraphique {
  const proprietes: ProprietesBarresVerticales = { titre, categories, series, symboles: SYMBOLES, ...options };
  return { svg: svgStatique(BarresVerticales, proprietes), ...tailleBarresVerticales(proprietes) };
}
