/** @jsxRuntime automatic @jsxImportSource react */
import { formatTaux } from '@mixite/core/francais';
import type { ElementLegende, ProprietesCommunes, ValeurGraphique } from './commun.tsx';
import { Cadre, Legende, SYMBOLES_ECRAN, etiquette, graduation, hauteurLegende, pasRond, r1, tronquer } from './commun.tsx';
import { couleur, couleurSerie } from './palette.ts';

export interface Serie {
  readonly nom: string;
  readonly valeurs: readonly ValeurGraphique[];
}

export interface ProprietesBarresVerticales extends ProprietesCommunes {
  /** One group of bars per category (years, quartiles, typologies, notes). */
  readonly categories: readonly string[];
  /** One bar per series in each group. */
  readonly series: readonly Serie[];
  readonly format?: (v: number) => string;
  /** The top of the axis (1 for shares); by default a round value above the tallest bar. */
  readonly max?: number;
  /** A horizontal target line. */
  readonly cible?: number | null;
  /** The summary (`<desc>`); by default the number of categories and series. */
  readonly resume?: string;
}

const LARGEUR = 720;
const HAUT = 16;
const GAUCHE = 56;
const DROITE = 16;
/** Height of the plotting area. */
const UTILE_Y = 214;
/** Room under the axis for the category labels. */
const AXE = 30;
/** Above this many categories, the values are not printed over the bars and every k-th category is named (a histogram). */
const CATEGORIES_ETIQUETEES = 24;

function legende(p: ProprietesBarresVerticales): ElementLegende[] {
  const support = p.support ?? 'ecran';
  const format = p.format ?? formatTaux;
  const items: ElementLegende[] = p.series.length > 1 || p.series[0]?.nom ? p.series.map((s, j) => ({ couleur: couleurSerie(j, support), texte: s.nom })) : [];
  if (p.cible !== undefined && p.cible !== null) items.push({ couleur: couleur('cible', support), texte: `cible (${format(p.cible)})`, trait: true, pointille: true });
  return items;
}

/** The size of the chart (the bilan sizes its images with it). */
export function tailleBarresVerticales(p: ProprietesBarresVerticales): { largeur: number; hauteur: number } {
  const items = legende(p);
  return { largeur: LARGEUR, hauteur: HAUT + UTILE_Y + AXE + (items.length > 0 ? hauteurLegende(items, LARGEUR) + 6 : 0) };
}

/**
 * Grouped vertical bars: one group per category, one bar per series, an optional target line. A masked value
 * draws a grey tick on the axis and prints its symbol; an empty one prints its symbol only.
 */
export function BarresVerticales(p: ProprietesBarresVerticales) {
  const { titre, categories, series, format = formatTaux, support = 'ecran', symboles = SYMBOLES_ECRAN } = p;
  const { largeur, hauteur } = tailleBarresVerticales(p);
  const axe = HAUT + UTILE_Y;
  const valeurs = series.flatMap((s) => s.valeurs).filter((v): v is number => typeof v === 'number');
  // Room above the tallest bar for its label; four round steps (counts: 0, 20, 40, 60, 80).
  const plafond = p.max ?? 4 * pasRond((Math.max(...valeurs, p.cible ?? 0, 1e-9) * 1.12) / 4);
  const y = (v: number) => r1(axe - Math.max(0, Math.min(1, v / plafond)) * UTILE_Y);
  const groupe = (largeur - GAUCHE - DROITE) / Math.max(categories.length, 1);
  const barre = Math.min(48, (groupe * 0.8) / Math.max(series.length, 1));
  const nombreuses = categories.length > CATEGORIES_ETIQUETEES;
  const pasNoms = nombreuses ? Math.ceil(categories.length / CATEGORIES_ETIQUETEES) : 1;
  const items = legende(p);
  const resume = p.resume ?? `${categories.length} catégorie${categories.length > 1 ? 's' : ''}${series.length > 1 ? `, ${series.length} séries` : ''}. Les valeurs sont dans le tableau qui suit.`;
  return (
    <Cadre titre={titre} resume={resume} largeur={largeur} hauteur={hauteur} support={support}>
      {[0, 1, 2, 3, 4].map((k) => {
        const v = (plafond * k) / 4;
        return (
          <g key={k}>
            <line x1={GAUCHE} x2={largeur - DROITE} y1={y(v)} y2={y(v)} stroke={couleur('grille', support)} />
            <text x={GAUCHE - 6} y={y(v) + 4} textAnchor="end" fontSize={11}>
              {graduation(format(v))}
            </text>
          </g>
        );
      })}
      {categories.map((c, i) => {
        const x0 = GAUCHE + i * groupe + (groupe - barre * series.length) / 2;
        return (
          <g key={`${c}-${i}`}>
            {series.map((s, j) => {
              const v = s.valeurs[i];
              const x = r1(x0 + j * barre);
              const largeurBarre = r1(Math.max(1, barre - 2));
              const ty = typeof v === 'number' ? Math.max(y(v) - 4, HAUT + 10) : axe - 4;
              return (
                <g key={s.nom || j}>
                  {typeof v === 'number' ? <rect x={x + 1} y={y(v)} width={largeurBarre} height={r1(axe - y(v))} fill={couleurSerie(j, support)} /> : null}
                  {v === null ? <rect x={x + 1} y={axe - 3} width={largeurBarre} height={3} fill={couleur('masque', support)} /> : null}
                  {nombreuses ? null : (
                    <text x={r1(x + barre / 2)} y={r1(ty)} textAnchor="middle" fontSize={series.length > 2 ? 9 : 10}>
                      {etiquette(v, format, symboles)}
                    </text>
                  )}
                </g>
              );
            })}
            {i % pasNoms === 0 ? (
              <text x={r1(GAUCHE + i * groupe + groupe / 2)} y={axe + 16} textAnchor="middle" fontSize={nombreuses ? 10 : undefined}>
                {tronquer(c, 18)}
              </text>
            ) : null}
          </g>
        );
      })}
      <line x1={GAUCHE} x2={largeur - DROITE} y1={axe} y2={axe} stroke={couleur('axe', support)} />
      {p.cible !== undefined && p.cible !== null ? (
        <line x1={GAUCHE} x2={largeur - DROITE} y1={y(p.cible)} y2={y(p.cible)} stroke={couleur('cible', support)} strokeWidth={2} strokeDasharray="6 4" />
      ) : null}
      {items.length > 0 ? <Legende y={axe + AXE + 12} items={items} largeur={largeur} /> : null}
    </Cadre>
  );
}
