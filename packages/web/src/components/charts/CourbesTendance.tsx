import { Group, Text } from '@mantine/core';
import { useId } from 'react';
import { formatTaux } from '../../lib/format.ts';
import { COULEURS, SERIES } from '../../theme.ts';

export interface Serie {
  readonly libelle: string;
  readonly points: readonly { annee: number; valeur: number | null }[];
  readonly cible: number | null;
}

const LARGEUR = 720;
const HAUTEUR = 260;
const MARGE = { gauche: 50, droite: 20, haut: 10, bas: 30 };

/**
 * Annual rates of each indicator over the available years (lines), targets dotted. An image with a title and
 * a summary; the values are in the trend table the page shows beside it.
 */
export function CourbesTendance({ titre, series, annees }: { titre: string; series: readonly Serie[]; annees: readonly number[] }) {
  const id = useId();
  if (annees.length === 0) return null;
  const largeur = LARGEUR - MARGE.gauche - MARGE.droite;
  const hauteur = HAUTEUR - MARGE.haut - MARGE.bas;
  const x = (annee: number) => MARGE.gauche + (annees.length === 1 ? largeur / 2 : ((annee - annees[0]!) / (annees.at(-1)! - annees[0]!)) * largeur);
  const y = (v: number) => MARGE.haut + (1 - Math.max(0, Math.min(1, v))) * hauteur;
  const resume = `${series.length} indicateurs de ${annees[0]} à ${annees.at(-1)}. Les valeurs sont dans le tableau d’évolution qui suit.`;
  return (
    <div>
      <svg className="graphique" role="img" aria-labelledby={`${id}-t ${id}-d`} viewBox={`0 0 ${LARGEUR} ${HAUTEUR}`} width="100%" style={{ maxWidth: LARGEUR }}>
        <title id={`${id}-t`}>{titre}</title>
        <desc id={`${id}-d`}>{resume}</desc>
        {[0, 0.25, 0.5, 0.75, 1].map((g) => (
          <g key={g}>
            <line x1={MARGE.gauche} x2={LARGEUR - MARGE.droite} y1={y(g)} y2={y(g)} stroke={COULEURS.grille} />
            <text x={MARGE.gauche - 6} y={y(g) + 4} textAnchor="end">
              {formatTaux(g).replace(',0', '')}
            </text>
          </g>
        ))}
        {annees.map((a) => (
          <text key={a} x={x(a)} y={HAUTEUR - 8} textAnchor="middle">
            {a}
          </text>
        ))}
        {series.map((s, i) => {
          const couleur = SERIES[i % SERIES.length];
          const pts = s.points.filter((p) => p.valeur !== null) as { annee: number; valeur: number }[];
          return (
            <g key={s.libelle}>
              {s.cible !== null ? (
                <line x1={MARGE.gauche} x2={LARGEUR - MARGE.droite} y1={y(s.cible)} y2={y(s.cible)} stroke={couleur} strokeDasharray="4 4" strokeWidth={1.5} />
              ) : null}
              <polyline fill="none" stroke={couleur} strokeWidth={2.5} points={pts.map((p) => `${x(p.annee)},${y(p.valeur)}`).join(' ')} />
              {pts.map((p) => (
                <circle key={p.annee} cx={x(p.annee)} cy={y(p.valeur)} r={4} fill={couleur} />
              ))}
            </g>
          );
        })}
      </svg>
      <Group gap="md" aria-hidden="true">
        {series.map((s, i) => (
          <Group key={s.libelle} gap={6} wrap="nowrap">
            <svg width="18" height="10">
              <rect width="18" height="10" fill={SERIES[i % SERIES.length]} />
            </svg>
            <Text size="xs">{s.libelle}</Text>
          </Group>
        ))}
        <Text size="xs">(pointillés : objectifs)</Text>
      </Group>
    </div>
  );
}
