/** @jsxRuntime automatic @jsxImportSource react */
/**
 * What every chart shares: the frame (the `<svg>` with its title and summary, drawn for a screen or a document),
 * the legend, the axis labels and the rounding of coordinates.
 */
import { useId } from 'react';
import type { ReactNode } from 'react';
import type { Support } from './palette.ts';
import { FOND_DOCUMENT, couleur } from './palette.ts';

/** A value of a chart: null when masked by the statistical secrecy, undefined when nothing was counted. */
export type ValeurGraphique = number | null | undefined;

/** What a chart prints instead of a value it does not draw. */
export interface Symboles {
  /** A masked value (the bilan prints « s »). */
  readonly masque: string;
  /** Nothing counted, no denominator (the bilan prints « – »). */
  readonly vide: string;
}

/** The screen's symbols: « — » for both. */
export const SYMBOLES_ECRAN: Symboles = { masque: '—', vide: '—' };

/** What every chart takes besides its data. */
export interface ProprietesCommunes {
  /** The chart's title: its accessible name, and its `<title>`. */
  readonly titre: string;
  /** `ecran` (default): sized by its container, theme colours. `document`: a standalone SVG of fixed size, hex colours, white background. */
  readonly support?: Support;
  readonly symboles?: Symboles;
}

const POLICE = 'Liberation Sans, Arial, Helvetica, sans-serif';

/**
 * The `<svg>` of a chart. On a screen it is named and described by its `<title>` and `<desc>` (aria-labelledby:
 * the figures themselves are in the table the page shows beside it). In a document it is a standalone SVG
 * (namespace, size, font, white background) whose first child is its `<title>`, as SVG readers expect.
 */
export function Cadre({ titre, resume, largeur, hauteur, support, children }: { titre: string; resume: string; largeur: number; hauteur: number; support: Support; children: ReactNode }) {
  const id = useId();
  if (support === 'document') {
    return (
      <svg xmlns="http://www.w3.org/2000/svg" width={largeur} height={hauteur} viewBox={`0 0 ${largeur} ${hauteur}`} fontFamily={POLICE} fontSize={12} fill={couleur('texte', support)} role="img">
        <title>{titre}</title>
        <desc>{resume}</desc>
        <rect width={largeur} height={hauteur} fill={FOND_DOCUMENT} />
        {children}
      </svg>
    );
  }
  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      className="graphique"
      role="img"
      aria-labelledby={`${id}-t ${id}-d`}
      viewBox={`0 0 ${largeur} ${hauteur}`}
      width="100%"
      style={{ maxWidth: largeur }}
    >
      <title id={`${id}-t`}>{titre}</title>
      <desc id={`${id}-d`}>{resume}</desc>
      {children}
    </svg>
  );
}

export interface ElementLegende {
  readonly couleur: string;
  readonly texte: string;
  /** A line (a target) rather than a filled box. */
  readonly trait?: boolean;
  /** A dashed line. */
  readonly pointille?: boolean;
}

const HAUTEUR_LIGNE_LEGENDE = 18;
const largeurElement = (item: ElementLegende) => 20 + item.texte.length * 6 + 18;

/** The legend's rows: items placed left to right, on a new row when the width is used up. */
export function rangsDeLegende(items: readonly ElementLegende[], largeur: number): ElementLegende[][] {
  const rangs: ElementLegende[][] = [];
  let x = 16;
  for (const item of items) {
    const rang = rangs.at(-1);
    if (!rang || x + largeurElement(item) > largeur) {
      rangs.push([item]);
      x = 16 + largeurElement(item);
    } else {
      rang.push(item);
      x += largeurElement(item);
    }
  }
  return rangs;
}

/** The height a legend takes. */
export const hauteurLegende = (items: readonly ElementLegende[], largeur: number): number => rangsDeLegende(items, largeur).length * HAUTEUR_LIGNE_LEGENDE;

/** The legend, its first row's baseline at `y`. */
export function Legende({ y, items, largeur }: { y: number; items: readonly ElementLegende[]; largeur: number }) {
  return (
    <g aria-hidden="true">
      {rangsDeLegende(items, largeur).map((rang, r) => {
        let x = 16;
        const yr = y + r * HAUTEUR_LIGNE_LEGENDE;
        return rang.map((item) => {
          const x0 = x;
          x += largeurElement(item);
          return (
            <g key={`${r}-${item.texte}`}>
              {item.trait ? (
                <line x1={x0} x2={x0 + 14} y1={yr - 4} y2={yr - 4} stroke={item.couleur} strokeWidth={3} strokeDasharray={item.pointille ? '4 3' : undefined} />
              ) : (
                <rect x={x0} y={yr - 10} width={14} height={10} fill={item.couleur} />
              )}
              <text x={x0 + 20} y={yr} fontSize={11}>
                {item.texte}
              </text>
            </g>
          );
        });
      })}
    </g>
  );
}

/** Axis labels drop a zero decimal (« 25 % », « 7,5 % »): a round tick never reads like a figure of the tables. */
export const graduation = (s: string): string => s.replace(/,0(?=\D*$)/, '');
export const tronquer = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
/** Coordinates to a tenth of a pixel: shorter markup, no visible difference. */
export const r1 = (x: number): number => Math.round(x * 10) / 10;

/** The text printed for a value: its format, or the symbol of a masked or empty value. */
export const etiquette = (v: ValeurGraphique, format: (v: number) => string, symboles: Symboles): string =>
  v === null ? symboles.masque : v === undefined ? symboles.vide : format(v);

/** The top of a share axis: the next multiple of 10 % above the largest share with room for its label (at least 10 %, at most 100 %). */
export function plafondDesParts(valeurs: readonly ValeurGraphique[]): number {
  const max = Math.max(0.1, ...valeurs.filter((x): x is number => typeof x === 'number'));
  return Math.min(1, Math.ceil((max + 0.04) * 10) / 10);
}

/** A round step for an axis: 1, 2 or 5 × 10^k, at least v. */
export function pasRond(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}
