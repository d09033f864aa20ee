/** @jsxRuntime automatic @jsxImportSource react */
import { formatTaux } from '@mixite/core/francais';
import type { ElementLegende, ProprietesCommunes } from './commun.tsx';
import { Cadre, Legende, graduation, hauteurLegende, r1 } from './commun.tsx';
import { couleur, couleurSerie } from './palette.ts';

export interface Courbe {
  readonly libelle: string;
  readonly points: readonly { annee: number; valeur: number | null }[];
  readonly cible: number | null;
}

export interface ProprietesCourbesTendance extends ProprietesCommunes {
  readonly series: readonly Courbe[];
  readonly annees: readonly number[];
}

const LARGEUR = 720;
const MARGE = { gauche: 50, droite: 20, haut: 10 };
const UTILE_Y = 220;
const AXE = 30;

/** The dotted-target key only when a series has a target: a refusal rate has none, and a key for nothing misleads. */
const legende = (series: readonly Courbe[], support: ProprietesCommunes['support'] = 'ecran'): ElementLegende[] => [
  ...series.map((s, i) => ({ couleur: couleurSerie(i, support), texte: s.libelle })),
  ...(series.some((s) => s.cible !== null) ? [{ couleur: couleur('axe', support), texte: 'objectif (pointillés)', trait: true, pointille: true }] : []),
];

export function tailleCourbesTendance(series: readonly Courbe[]): { largeur: number; hauteur: number } {
  return { largeur: LARGEUR, hauteur: MARGE.haut + UTILE_Y + AXE + hauteurLegende(legende(series), LARGEUR) + 6 };
}

/**
 * Annual rates of each indicator over the available years (lines), each target dotted in its series' colour.
 * Masked or unknown years are left out of the line. Nothing is drawn without years.
 */
export function CourbesTendance({ titre, series, annees, support = 'ecran' }: ProprietesCourbesTendance) {
  if (annees.length === 0) return null;
  const { largeur, hauteur } = tailleCourbesTendance(series);
  const premiere = annees[0] as number;
  const derniere = annees.at(-1) as number;
  const utileX = largeur - MARGE.gauche - MARGE.droite;
  const axe = MARGE.haut + UTILE_Y;
  const x = (annee: number) => r1(MARGE.gauche + (annees.length === 1 ? utileX / 2 : ((annee - premiere) / (derniere - premiere)) * utileX));
  const y = (v: number) => r1(MARGE.haut + (1 - Math.max(0, Math.min(1, v))) * UTILE_Y);
  const resume = `${series.length} indicateur${series.length > 1 ? 's' : ''} de ${premiere} à ${derniere}. Les valeurs sont dans le tableau d’évolution qui suit.`;
  return (
    <Cadre titre={titre} resume={resume} largeur={largeur} hauteur={hauteur} support={support}>
      {[0, 0.25, 0.5, 0.75, 1].map((g) => (
        <g key={g}>
          <line x1={MARGE.gauche} x2={largeur - MARGE.droite} y1={y(g)} y2={y(g)} stroke={couleur('grille', support)} />
          <text x={MARGE.gauche - 6} y={y(g) + 4} textAnchor="end" fontSize={11}>
            {graduation(formatTaux(g))}
          </text>
        </g>
      ))}
      {annees.map((a) => (
        <text key={a} x={x(a)} y={axe + 18} textAnchor="middle">
          {a}
        </text>
      ))}
      {series.map((s, i) => {
        const teinte = couleurSerie(i, support);
        const points = s.points.filter((p): p is { annee: number; valeur: number } => p.valeur !== null);
        return (
          <g key={s.libelle}>
            {s.cible !== null ? <line x1={MARGE.gauche} x2={largeur - MARGE.droite} y1={y(s.cible)} y2={y(s.cible)} stroke={teinte} strokeDasharray="4 4" strokeWidth={1.5} /> : null}
            <polyline fill="none" stroke={teinte} strokeWidth={2.5} points={points.map((p) => `${x(p.annee)},${y(p.valeur)}`).join(' ')} />
            {points.map((p) => (
              <circle key={p.annee} cx={x(p.annee)} cy={y(p.valeur)} r={4} fill={teinte} />
            ))}
          </g>
        );
      })}
      <Legende y={axe + AXE + 12} items={legende(series, support)} largeur={largeur} />
    </Cadre>
  );
}
