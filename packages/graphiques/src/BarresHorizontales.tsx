/** @jsxRuntime automatic @jsxImportSource react */
import { formatTaux } from '@mixite/core/francais';
import type { ElementLegende, ProprietesCommunes, ValeurGraphique } from './commun.tsx';
import { Cadre, Legende, SYMBOLES_ECRAN, etiquette, graduation, hauteurLegende, r1, tronquer } from './commun.tsx';
import { couleur } from './palette.ts';

export interface Barre {
  readonly libelle: string;
  readonly valeur: ValeurGraphique;
  readonly cible: number | null;
  readonly atteint: boolean | null;
}

export interface ProprietesBarresHorizontales extends ProprietesCommunes {
  readonly barres: readonly Barre[];
  /** Rows drawn at most (the first ones); the summary says so. Default 40. */
  readonly max?: number;
  /** The value at the right end of the axis: 1 for rates, the largest value for ratios. */
  readonly echelle?: number;
  /** How a value is printed (default: a rate, « 25,3 % »). */
  readonly format?: (v: number) => string;
}

const LARGEUR = 720;
const LIGNE = 24;
const GAUCHE = 270;
const DROITE = 70;
const HAUT = 8;
/** Room under the bars for the axis labels. */
const AXE = 30;
const LIBELLE_MAX = 42;

function legende(barres: readonly Barre[], support: ProprietesCommunes['support'] = 'ecran'): ElementLegende[] {
  if (!barres.some((b) => b.cible !== null || b.atteint !== null)) return [];
  return [
    { couleur: couleur('barre', support), texte: 'objectif atteint ou sans objectif' },
    { couleur: couleur('nonAtteint', support), texte: 'objectif non atteint' },
    { couleur: couleur('cible', support), texte: 'cible', trait: true },
  ];
}

/** The size of the chart for these bars (the bilan sizes its images with it). */
export function tailleBarresHorizontales(barres: readonly Barre[], max = 40): { largeur: number; hauteur: number } {
  const lignes = Math.min(barres.length, max);
  const items = legende(barres);
  return { largeur: LARGEUR, hauteur: HAUT + lignes * LIGNE + AXE + (items.length > 0 ? hauteurLegende(items, LARGEUR) + 6 : 0) };
}

/** The summary of the chart (its `<desc>`): how many perimeters, how many meet their target. */
export function resumeBarresHorizontales(barres: readonly Barre[], max = 40): string {
  const atteints = barres.filter((b) => b.atteint === true).length;
  const avecCible = barres.filter((b) => b.atteint !== null).length;
  return (
    `${barres.length} périmètre${barres.length > 1 ? 's' : ''}` +
    (avecCible > 0 ? ` ; ${atteints} sur ${avecCible} atteignent leur objectif` : '') +
    (barres.length > max ? ` ; les ${max} premiers sont dessinés` : '') +
    '. Les valeurs sont dans le tableau qui suit.'
  );
}

/**
 * Values per perimeter as horizontal bars (rates from 0 to 100 % by default), each row's target as a tick, a bar
 * below its target in the « not met » colour. A masked value draws no bar and prints its symbol.
 */
export function BarresHorizontales({ titre, barres, max = 40, echelle = 1, format = formatTaux, support = 'ecran', symboles = SYMBOLES_ECRAN }: ProprietesBarresHorizontales) {
  const dessinees = barres.slice(0, max);
  const { largeur, hauteur } = tailleBarresHorizontales(barres, max);
  const utile = largeur - GAUCHE - DROITE;
  const bas = HAUT + dessinees.length * LIGNE;
  const x = (v: number) => r1(GAUCHE + Math.max(0, Math.min(1, v / echelle)) * utile);
  const items = legende(barres, support);
  return (
    <Cadre titre={titre} resume={resumeBarresHorizontales(barres, max)} largeur={largeur} hauteur={hauteur} support={support}>
      {[0, 0.25, 0.5, 0.75, 1].map((g) => (
        <g key={g}>
          <line x1={x(g * echelle)} x2={x(g * echelle)} y1={HAUT} y2={bas} stroke={couleur('grille', support)} />
          <text x={x(g * echelle)} y={bas + 16} textAnchor="middle" fontSize={11}>
            {graduation(format(g * echelle))}
          </text>
        </g>
      ))}
      {dessinees.map((b, i) => {
        const y = HAUT + i * LIGNE;
        const valeur = typeof b.valeur === 'number' ? b.valeur : null;
        const fin = Math.max(valeur !== null ? x(valeur) : GAUCHE, b.cible !== null ? x(b.cible) : GAUCHE);
        return (
          <g key={`${b.libelle}-${i}`}>
            <text x={GAUCHE - 8} y={y + LIGNE / 2 + 4} textAnchor="end">
              {tronquer(b.libelle, LIBELLE_MAX)}
            </text>
            {valeur !== null ? (
              <rect x={GAUCHE} y={y + 4} width={r1(x(valeur) - GAUCHE)} height={LIGNE - 8} fill={couleur(b.atteint === false ? 'nonAtteint' : 'barre', support)} />
            ) : null}
            {b.cible !== null ? <line x1={x(b.cible)} x2={x(b.cible)} y1={y + 1} y2={y + LIGNE - 1} stroke={couleur('cible', support)} strokeWidth={3} /> : null}
            <text x={r1(fin + 6)} y={y + LIGNE / 2 + 4}>
              {etiquette(b.valeur, format, symboles)}
            </text>
          </g>
        );
      })}
      {items.length > 0 ? <Legende y={bas + AXE + 12} items={items} largeur={largeur} /> : null}
    </Cadre>
  );
}
