import { useId } from 'react';
import { formatTaux } from '../../lib/format.ts';
import { COULEURS } from '../../theme.ts';

export interface Barre {
  readonly libelle: string;
  readonly valeur: number | null;
  readonly cible: number | null;
  readonly atteint: boolean | null;
}

const LIGNE = 26;
const MARGE_GAUCHE = 220;
const LARGEUR = 720;
const LARGEUR_BARRES = LARGEUR - MARGE_GAUCHE - 60;

/**
 * Rates per perimeter as horizontal bars, with the target of each row as a tick. The chart is an image with a
 * title and a summary; the figures themselves are in the table the page shows beside it (its text alternative).
 */
export function BarresHorizontales({
  titre,
  barres,
  max = 40,
  echelle = 1,
  format = formatTaux,
}: {
  titre: string;
  barres: readonly Barre[];
  max?: number;
  /** The value at the right end of the axis: 1 for rates, the largest value for ratios. */
  echelle?: number;
  format?: (value: number | null) => string;
}) {
  const id = useId();
  const shown = barres.slice(0, max);
  const hauteur = shown.length * LIGNE + 30;
  const atteints = barres.filter((b) => b.atteint === true).length;
  const avecCible = barres.filter((b) => b.atteint !== null).length;
  const resume =
    `${barres.length} périmètre${barres.length > 1 ? 's' : ''}` +
    (avecCible > 0 ? ` ; ${atteints} sur ${avecCible} atteignent leur objectif` : '') +
    (barres.length > max ? ` ; les ${max} premiers sont dessinés` : '') +
    '. Les valeurs sont dans le tableau qui suit.';
  const x = (v: number) => MARGE_GAUCHE + Math.max(0, Math.min(1, v / echelle)) * LARGEUR_BARRES;
  return (
    <svg className="graphique" role="img" aria-labelledby={`${id}-t ${id}-d`} viewBox={`0 0 ${LARGEUR} ${hauteur}`} width="100%" style={{ maxWidth: LARGEUR }}>
      <title id={`${id}-t`}>{titre}</title>
      <desc id={`${id}-d`}>{resume}</desc>
      {[0, 0.25, 0.5, 0.75, 1].map((g) => (
        <g key={g}>
          <line x1={x(g * echelle)} x2={x(g * echelle)} y1={0} y2={hauteur - 20} stroke={COULEURS.grille} />
          <text x={x(g * echelle)} y={hauteur - 6} textAnchor="middle">
            {format(g * echelle).replace(',0 ', ' ')}
          </text>
        </g>
      ))}
      {shown.map((b, i) => {
        const y = i * LIGNE + 4;
        return (
          <g key={`${b.libelle}-${i}`}>
            <text x={MARGE_GAUCHE - 8} y={y + LIGNE / 2 + 2} textAnchor="end">
              {b.libelle.length > 32 ? `${b.libelle.slice(0, 31)}…` : b.libelle}
            </text>
            {b.valeur !== null ? (
              <rect x={MARGE_GAUCHE} y={y + 4} width={x(b.valeur) - MARGE_GAUCHE} height={LIGNE - 10} fill={b.atteint === false ? COULEURS.nonAtteint : COULEURS.barre} />
            ) : null}
            {b.cible !== null ? <line x1={x(b.cible)} x2={x(b.cible)} y1={y + 1} y2={y + LIGNE - 3} stroke={COULEURS.cible} strokeWidth={3} /> : null}
            <text x={Math.max(b.valeur !== null ? x(b.valeur) : MARGE_GAUCHE, b.cible !== null ? x(b.cible) : MARGE_GAUCHE) + 6} y={y + LIGNE / 2 + 2}>
              {format(b.valeur)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
