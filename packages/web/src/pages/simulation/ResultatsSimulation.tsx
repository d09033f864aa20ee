import { Stack, Text, Title } from '@mantine/core';
import type { ResultatSimulationApi } from '@mixite/contract';
import { BarresHorizontales } from '../../components/charts/index.ts';
import { DataTable } from '../../components/DataTable.tsx';
import { formatEntier } from '../../lib/format.ts';

/** The legal targets the simulation measures, in the order of the bilan. */
export const OBJECTIFS_SIMULES = [
  { id: 'hors_qpv_q1', libelle: 'Baux hors QPV au premier quartile (ou relogés)' },
  { id: 'qpv_hors_q1', libelle: 'Propositions en QPV aux quartiles 2 à 4' },
  { id: 'qpv_q3_q4', libelle: 'Propositions en QPV aux quartiles 3 et 4' },
  { id: 'prioritaires', libelle: 'Propositions aux ménages prioritaires' },
] as const;

const LIBELLES_QUARTILE: Record<string, string> = { q1: 'Premier quartile', q2: 'Deuxième quartile', q3_q4: 'Quartiles 3 et 4', inconnue: 'Quartile inconnu' };

type Ligne = ResultatSimulationApi['lignes'][number];

/**
 * The result of a simulation: for each policy the targets' intervals (5 % – 95 % of the runs) against the CIA's target
 * and the observed value of the year; with two policies a chart comparing their means (the target marked), the
 * difference B − A and its interval, and the households housed per quartile. Each chart is followed by its table.
 */
export function ResultatsSimulation({ r }: { r: ResultatSimulationApi }) {
  const territoire = (l: Ligne) => l.perimetre_type === 'territoire';
  const ligne = (politique: string, indicateur: string) => r.lignes.find((l) => l.politique === politique && l.indicateur === indicateur && territoire(l));
  const nom = (id: string) => r.politiques.find((p) => p.id === id)?.nom ?? id;
  const deux = r.politiques.length === 2;
  const objectifs = OBJECTIFS_SIMULES.filter((o) => r.politiques.some((p) => ligne(p.id, o.id)));
  const lignesObjectifs = r.politiques.flatMap((p) =>
    objectifs.flatMap((o) => {
      const l = ligne(p.id, o.id);
      return l ? [{ politique: nom(p.id), objectif: o.libelle, moyenne: l.moyenne, p05: l.p05, p95: l.p95, cible: l.cible, observe: l.observe }] : [];
    }),
  );
  const difference = objectifs.flatMap((o) => {
    const l = ligne('difference', o.id);
    return l ? [{ objectif: o.libelle, moyenne: l.moyenne, p05: l.p05, p95: l.p95 }] : [];
  });
  const loges = r.politiques.flatMap((p) =>
    r.lignes
      .filter((l) => l.politique === p.id && l.indicateur === 'menages_loges' && l.perimetre_type === 'quartile')
      .map((l) => ({ politique: nom(p.id), quartile: LIBELLES_QUARTILE[l.perimetre_id] ?? l.perimetre_id, moyenne: Math.round(l.moyenne), p05: l.p05, p95: l.p95 })),
  );
  const baux = ligne(r.politiques[0]?.id ?? '', 'baux');

  return (
    <Stack gap="lg">
      <Text>
        {formatEntier(r.tirages)} tirages de l’année {r.annee} (graine {r.graine}), modèle calibré sur {r.annees_calibration.join(', ')}
        {baux ? ` ; en moyenne ${formatEntier(Math.round(baux.moyenne))} baux simulés sous la politique A` : ''}. L’intervalle va du 5e au 95e centile des
        tirages ; la valeur observée est celle de l’année quand elle est dans les données (rétro-test).
      </Text>
      <section aria-labelledby="simulation-objectifs">
        <Title order={2} id="simulation-objectifs">
          Objectifs de la CIA : intervalles simulés
        </Title>
        <BarresHorizontales
          titre={deux ? 'Moyenne simulée de chaque objectif, politique A puis B (trait : objectif de la CIA)' : 'Moyenne simulée de chaque objectif (trait : objectif de la CIA)'}
          barres={lignesObjectifs.map((l) => ({ libelle: deux ? `${l.objectif} — ${l.politique}` : l.objectif, valeur: l.moyenne, cible: l.cible, atteint: l.cible === null ? null : l.moyenne >= l.cible }))}
        />
        <DataTable
          legende="Objectifs simulés : moyenne et intervalle de 5 à 95 % des tirages, objectif de la CIA et valeur observée"
          tableau={{
            titre: `Simulation ${r.annee} — objectifs`,
            colonnes: [
              ...(deux ? [{ cle: 'politique', libelle: 'Politique', type: 'texte' as const }] : []),
              { cle: 'objectif', libelle: 'Objectif', type: 'texte' },
              { cle: 'moyenne', libelle: 'Moyenne simulée', type: 'taux' },
              { cle: 'p05', libelle: '5e centile', type: 'taux' },
              { cle: 'p95', libelle: '95e centile', type: 'taux' },
              { cle: 'cible', libelle: 'Objectif de la CIA', type: 'taux' },
              { cle: 'observe', libelle: `Observé ${r.annee}`, type: 'taux' },
            ],
            lignes: lignesObjectifs,
          }}
          vide="Aucun bail ni proposition simulés : pas de taux."
        />
      </section>
      {deux ? (
        <section aria-labelledby="simulation-difference">
          <Title order={2} id="simulation-difference">
            Différence B − A
          </Title>
          <DataTable
            legende="Différence B − A tirage par tirage (mêmes graines) : moyenne et intervalle de 5 à 95 %"
            tableau={{
              titre: `Simulation ${r.annee} — différence B − A`,
              colonnes: [
                { cle: 'objectif', libelle: 'Objectif', type: 'texte' },
                { cle: 'moyenne', libelle: 'Écart moyen', type: 'taux' },
                { cle: 'p05', libelle: '5e centile', type: 'taux' },
                { cle: 'p95', libelle: '95e centile', type: 'taux' },
              ],
              lignes: difference,
            }}
          />
        </section>
      ) : null}
      <section aria-labelledby="simulation-loges">
        <Title order={2} id="simulation-loges">
          Ménages logés par quartile
        </Title>
        <DataTable
          legende="Ménages logés dans l’année simulée, par quartile de ressources : moyenne (arrondie au ménage) et intervalle de 5 à 95 %"
          tableau={{
            titre: `Simulation ${r.annee} — ménages logés par quartile`,
            colonnes: [
              ...(deux ? [{ cle: 'politique', libelle: 'Politique', type: 'texte' as const }] : []),
              { cle: 'quartile', libelle: 'Quartile', type: 'texte' },
              { cle: 'moyenne', libelle: 'Moyenne', type: 'nombre' },
              { cle: 'p05', libelle: '5e centile', type: 'nombre' },
              { cle: 'p95', libelle: '95e centile', type: 'nombre' },
            ],
            lignes: loges,
          }}
        />
      </section>
    </Stack>
  );
}
