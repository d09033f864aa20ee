/**
 * The bilan's charts, drawn as standalone SVG (inline in the HTML of the PDF, rasterised to PNG by Chromium for
 * Word). Two shapes are enough for a CIL document: horizontal bars of rates with each row's target as a tick
 * (perimeters), and vertical grouped bars (years, quartiles, typologies) with an optional target line. A masked
 * value draws no bar and prints « s ». Every chart is printed with its caption and the table it is drawn from.
 */

import { SECRET_SYMBOLE, VIDE_SYMBOLE } from '../contenu/modele.ts';

/** Colours by meaning, one place for every chart (contrast checked against white, WCAG AA for the text). */
export const COULEURS = {
  barre: '#364fc7',
  nonAtteint: '#c92a2a',
  cible: '#d9480f',
  grille: '#dee2e6',
  axe: '#868e96',
  texte: '#212529',
  series: ['#364fc7', '#087f5b', '#e8590c', '#862e9c', '#0b7285'],
} as const;

const POLICE = "'Liberation Sans', Arial, Helvetica, sans-serif";

export interface SvgGraphique {
  readonly svg: string;
  readonly largeur: number;
  readonly hauteur: number;
}

export const echapperXml = (s: string): string =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');

function document(largeur: number, hauteur: number, titre: string, corps: string): SvgGraphique {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${largeur}" height="${hauteur}" viewBox="0 0 ${largeur} ${hauteur}" ` +
    `font-family="${POLICE}" font-size="12" fill="${COULEURS.texte}" role="img"><title>${echapperXml(titre)}</title>` +
    `<rect width="${largeur}" height="${hauteur}" fill="#ffffff"/>${corps}</svg>`;
  return { svg, largeur, hauteur };
}

/** Axis labels drop a zero decimal (« 25 % », « 7,5 % »): a round tick never reads like a figure of the tables. */
const graduation = (s: string) => s.replace(/,0(?=\D*$)/, '');
const tronquer = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const r1 = (x: number) => Math.round(x * 10) / 10;

/** A value of a chart: null when masked (« s »), undefined when there is nothing to draw (« – », no denominator). */
export type ValeurGraphique = number | null | undefined;

export interface Barre {
  readonly libelle: string;
  readonly valeur: ValeurGraphique;
  readonly cible: number | null;
  readonly atteint: boolean | null;
}

/** Rates per perimeter as horizontal bars (0–100 %), each row's target as an orange tick. */
export function barresHorizontales(titre: string, barres: readonly Barre[], format: (v: number) => string): SvgGraphique {
  const largeur = 680;
  const ligne = 22;
  const gauche = 290;
  const droite = 70;
  const haut = 8;
  const bas = 46;
  const hauteur = haut + barres.length * ligne + bas;
  const utile = largeur - gauche - droite;
  const x = (v: number) => r1(gauche + Math.max(0, Math.min(1, v)) * utile);
  const parts: string[] = [];
  for (const g of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(`<line x1="${x(g)}" x2="${x(g)}" y1="${haut}" y2="${haut + barres.length * ligne}" stroke="${COULEURS.grille}"/>`);
    parts.push(`<text x="${x(g)}" y="${haut + barres.length * ligne + 16}" text-anchor="middle" font-size="11">${echapperXml(graduation(format(g)))}</text>`);
  }
  barres.forEach((b, i) => {
    const y = haut + i * ligne;
    parts.push(`<text x="${gauche - 8}" y="${y + ligne / 2 + 4}" text-anchor="end">${echapperXml(tronquer(b.libelle, 44))}</text>`);
    if (typeof b.valeur === 'number') {
      const couleur = b.atteint === false ? COULEURS.nonAtteint : COULEURS.barre;
      parts.push(`<rect x="${gauche}" y="${y + 4}" width="${r1(x(b.valeur) - gauche)}" height="${ligne - 8}" fill="${couleur}"/>`);
    }
    if (b.cible !== null) parts.push(`<line x1="${x(b.cible)}" x2="${x(b.cible)}" y1="${y + 1}" y2="${y + ligne - 1}" stroke="${COULEURS.cible}" stroke-width="3"/>`);
    const fin = Math.max(typeof b.valeur === 'number' ? x(b.valeur) : gauche, b.cible !== null ? x(b.cible) : gauche);
    parts.push(`<text x="${r1(fin + 6)}" y="${y + ligne / 2 + 4}">${echapperXml(etiquette(b.valeur, format))}</text>`);
  });
  parts.push(legende(haut + barres.length * ligne + 32, [
    { couleur: COULEURS.barre, texte: 'objectif atteint ou sans objectif' },
    { couleur: COULEURS.nonAtteint, texte: 'objectif non atteint' },
    { couleur: COULEURS.cible, texte: 'cible', trait: true },
  ]));
  return document(largeur, hauteur, titre, parts.join(''));
}

export interface Serie {
  readonly nom: string;
  readonly valeurs: readonly ValeurGraphique[];
}

const etiquette = (v: ValeurGraphique, format: (v: number) => string): string => (v === null ? SECRET_SYMBOLE : v === undefined ? VIDE_SYMBOLE : format(v));

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
  const largeur = 680;
  const hauteur = 300;
  const gauche = 56;
  const droite = 16;
  const haut = 16;
  const bas = 70;
  const utileY = hauteur - haut - bas;
  const valeurs = series.flatMap((s) => s.valeurs).filter((v): v is number => typeof v === 'number');
  // Room above the tallest bar for its label; four round steps (counts: 0, 20, 40, 60, 80).
  const plafond = options.max ?? 4 * pasRond((Math.max(...valeurs, options.cible ?? 0, 1e-9) * 1.12) / 4);
  const y = (v: number) => r1(haut + utileY - Math.max(0, Math.min(1, v / plafond)) * utileY);
  const groupe = (largeur - gauche - droite) / Math.max(categories.length, 1);
  const barre = Math.min(48, (groupe * 0.8) / Math.max(series.length, 1));
  const parts: string[] = [];
  for (let k = 0; k <= 4; k++) {
    const v = (plafond * k) / 4;
    parts.push(`<line x1="${gauche}" x2="${largeur - droite}" y1="${y(v)}" y2="${y(v)}" stroke="${COULEURS.grille}"/>`);
    parts.push(`<text x="${gauche - 6}" y="${y(v) + 4}" text-anchor="end" font-size="11">${echapperXml(graduation(options.format(v)))}</text>`);
  }
  categories.forEach((c, i) => {
    const x0 = gauche + i * groupe + (groupe - barre * series.length) / 2;
    series.forEach((s, j) => {
      const v = s.valeurs[i];
      const x = r1(x0 + j * barre);
      if (typeof v === 'number') {
        parts.push(`<rect x="${x + 1}" y="${y(v)}" width="${r1(barre - 2)}" height="${r1(haut + utileY - y(v))}" fill="${COULEURS.series[j % COULEURS.series.length]}"/>`);
      }
      const ty = typeof v === 'number' ? Math.max(y(v) - 4, haut + 10) : haut + utileY - 4;
      parts.push(`<text x="${r1(x + barre / 2)}" y="${r1(ty)}" text-anchor="middle" font-size="${series.length > 2 ? 9 : 10}">${echapperXml(etiquette(v, options.format))}</text>`);
    });
    parts.push(`<text x="${r1(gauche + i * groupe + groupe / 2)}" y="${haut + utileY + 16}" text-anchor="middle">${echapperXml(tronquer(c, 18))}</text>`);
  });
  parts.push(`<line x1="${gauche}" x2="${largeur - droite}" y1="${haut + utileY}" y2="${haut + utileY}" stroke="${COULEURS.axe}"/>`);
  const legendes: ElementLegende[] = series.map((s, j) => ({ couleur: COULEURS.series[j % COULEURS.series.length] as string, texte: s.nom }));
  if (options.cible !== undefined && options.cible !== null) {
    parts.push(`<line x1="${gauche}" x2="${largeur - droite}" y1="${y(options.cible)}" y2="${y(options.cible)}" stroke="${COULEURS.cible}" stroke-width="2" stroke-dasharray="6 4"/>`);
    legendes.push({ couleur: COULEURS.cible, texte: `cible (${options.format(options.cible)})`, trait: true });
  }
  parts.push(legende(hauteur - 22, legendes));
  return document(largeur, hauteur, titre, parts.join(''));
}

interface ElementLegende {
  readonly couleur: string;
  readonly texte: string;
  /** A line (a target) rather than a filled box. */
  readonly trait?: boolean;
}

function legende(y: number, items: readonly ElementLegende[]): string {
  let x = 16;
  const out: string[] = [];
  for (const item of items) {
    out.push(
      item.trait
        ? `<line x1="${x}" x2="${x + 14}" y1="${y - 4}" y2="${y - 4}" stroke="${item.couleur}" stroke-width="3"/>`
        : `<rect x="${x}" y="${y - 10}" width="14" height="10" fill="${item.couleur}"/>`,
    );
    out.push(`<text x="${x + 20}" y="${y}" font-size="11">${echapperXml(item.texte)}</text>`);
    x += 20 + item.texte.length * 6 + 18;
  }
  return out.join('');
}

/** The top of a share axis: the next multiple of 10 % above the largest share with room for its label (at least 10 %, at most 100 %). */
export function plafondDesParts(valeurs: readonly ValeurGraphique[]): number {
  const max = Math.max(0.1, ...valeurs.filter((x): x is number => typeof x === 'number'));
  return Math.min(1, Math.ceil((max + 0.04) * 10) / 10);
}

/** A round step for the axis: 1, 2 or 5 × 10^k, at least v. */
function pasRond(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}
