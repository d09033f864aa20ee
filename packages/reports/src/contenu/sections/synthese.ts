import { barresHorizontales } from '../../graphiques/svg.ts';
import { pointsAttention } from '../attention.ts';
import { sectionRetards } from '../retards.ts';
import type { Contexte } from '../contexte.ts';
import { cellulesIndicateur, tauxDe, territoire } from '../contexte.ts';
import { formatTaux } from '../format.ts';
import type { NiveauAttention } from '../modele.ts';
import { texte } from '../modele.ts';
import type { Ligne } from '../modele.ts';
import { evolution } from './objectifs.ts';

const TITRES_NIVEAU: Record<NiveauAttention, string> = {
  alerte: 'Objectifs non atteints',
  vigilance: 'Points à surveiller',
  information: 'Pour information',
};

/** Section « Synthèse » at the head of the document: the year's targets in one table, and the points of attention. */
export function sectionSynthese(ctx: Contexte): void {
  const { r, donnees } = ctx;
  const n = donnees.annee;
  const avant = donnees.annees.includes(n - 1);
  r.titre(1, 'Synthèse et points d’attention');
  const colonnes = ['Objectif', 'Numérateur', 'Dénominateur', 'Taux', 'Cible', 'Écart', 'Atteint', ...(avant ? [`Taux ${n - 1}`, 'Évolution'] : [])];
  const tableau = r.tableau(
    'synthese',
    `Objectifs d’attribution du territoire en ${n}`,
    colonnes,
    ctx.declarations.map(({ id, courts }) => {
      const row = territoire(ctx, id, String(n));
      const precedent = territoire(ctx, id, String(n - 1));
      return {
        cellules: [texte(courts.titre), ...cellulesIndicateur(row), ...(avant ? [tauxDe(precedent), evolution(precedent, row)] : [])],
      };
    }),
    [
      `Ensemble du territoire, année civile.${ctx.declarations
        .filter((d) => d.presentation.jugement === 'contingent')
        .map((d) => ` L’objectif « ${d.id} » s’apprécie par contingent (voir les ventilations) : il n’a pas de cible sur le territoire.`)
        .join('')}`,
    ],
  );
  r.graphique(
    'synthese',
    `Taux ${n} des objectifs d’attribution du territoire et leurs cibles`,
    barresHorizontales(
      'Objectifs du territoire',
      ctx.declarations.map(({ id, courts }) => {
        const row = territoire(ctx, id, String(n));
        return { libelle: courts.titre, valeur: row && row.denominateur !== 0 ? row.taux : undefined, cible: row?.cible ?? null, atteint: row?.atteint ?? null };
      }),
      formatTaux,
    ),
    `Taux de chacun des ${ctx.declarations.length} objectifs sur le territoire en ${n}, avec sa cible ; en rouge, les cibles non atteintes.`,
    tableau,
  );
  // Who is behind each target, right after the targets: what the CIL acts on.
  sectionRetards(ctx);
  r.titre(2, 'Points d’attention');
  r.paragraphe(
    'Établis automatiquement à partir des chiffres publiés du bilan : objectifs non atteints, par qui et de combien, évolutions depuis ' +
      'l’année précédente (les partenaires sous leur cible sont dans les tableaux ci-dessus). Les cases couvertes par le secret statistique n’y sont pas détaillées.',
    'note',
  );
  const points = pointsAttention(ctx);
  if (points.length === 0) r.paragraphe('Aucun point d’attention : tous les objectifs publiés sont atteints.');
  // Short tables, one per level, not paragraphs (issue 12, item 4): what, then the finding.
  for (const niveau of ['alerte', 'vigilance', 'information'] as const) {
    const items = points.filter((p) => p.niveau === niveau);
    if (items.length === 0) continue;
    r.tableau(
      `attention-${niveau}`,
      TITRES_NIVEAU[niveau],
      ['Objet', 'Constat'],
      items.map((p): Ligne => ({ cellules: [texte(p.objet), texte(p.texte)] })),
    );
  }
}
