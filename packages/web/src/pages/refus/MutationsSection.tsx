import { SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ObservatoireRefusApi } from '@mixite/contract';
import { BarresHorizontales, CourbesTendance } from '../../components/charts/index.ts';
import { DataTable } from '../../components/DataTable.tsx';
import { formatEntier, formatTaux } from '../../lib/format.ts';

type Mutations = ObservatoireRefusApi['mutations'];

/**
 * The mutations of the year (issue 15 item 4, seed 004 §III.5): satisfaction of the social tenants' requests by
 * motive against first access, its trend, the mutation leases internal or inter-bailleurs, the under-occupying
 * households freed and their weight in the flux exclusions. Each chart is followed by its table.
 */
export function MutationsSection({ m }: { m: Mutations }) {
  const motifs = m.par_motif.filter((p) => p.demandes > 0);
  return (
    <Stack gap="lg" component="section" aria-labelledby="mutations">
      <Title order={2} id="mutations">
        Mutations en {m.annee}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <div>
          <Text fw={700}>Satisfaction des demandes de mutation</Text>
          <Text size="xl">{formatTaux(m.mutation.taux)}</Text>
          <Text size="sm">
            {formatEntier(m.mutation.satisfaites)} baux pour {formatEntier(m.mutation.demandes)} demandes
          </Text>
        </div>
        <div>
          <Text fw={700}>Satisfaction en premier accès</Text>
          <Text size="xl">{formatTaux(m.premier_acces.taux)}</Text>
          <Text size="sm">
            {formatEntier(m.premier_acces.satisfaites)} baux pour {formatEntier(m.premier_acces.demandes)} demandes
          </Text>
        </div>
        <div>
          <Text fw={700}>Ménages en sous-occupation relogés</Text>
          <Text size="xl">{formatEntier(m.sous_occupation_liberee)}</Text>
          <Text size="sm">baux à des demandes de mutation au motif « logement trop grand »</Text>
        </div>
      </SimpleGrid>
      <Text size="sm">
        Les demandes de l’année sont celles présentes au moins un jour de l’année ; une demande est satisfaite quand un bail est signé pour elle dans l’année.
      </Text>

      <CourbesTendance
        titre="Taux de satisfaction par année : mutations et premier accès"
        annees={m.tendance.map((t) => t.annee)}
        series={[
          { libelle: 'Mutations', cible: null, points: m.tendance.map((t) => ({ annee: t.annee, valeur: t.mutation.taux })) },
          { libelle: 'Premier accès', cible: null, points: m.tendance.map((t) => ({ annee: t.annee, valeur: t.premier_acces.taux })) },
        ]}
      />
      <DataTable
        legende="Demandes et satisfaction par année"
        tableau={{
          titre: 'Satisfaction des mutations et du premier accès par année',
          colonnes: [
            { cle: 'annee', libelle: 'Année', type: 'texte' },
            { cle: 'm_demandes', libelle: 'Demandes de mutation', type: 'entier' },
            { cle: 'm_satisfaites', libelle: 'Mutations satisfaites', type: 'entier' },
            { cle: 'm_taux', libelle: 'Satisfaction des mutations', type: 'taux' },
            { cle: 'p_demandes', libelle: 'Demandes en premier accès', type: 'entier' },
            { cle: 'p_satisfaites', libelle: 'Premiers accès satisfaits', type: 'entier' },
            { cle: 'p_taux', libelle: 'Satisfaction en premier accès', type: 'taux' },
          ],
          lignes: m.tendance.map((t) => ({
            annee: String(t.annee),
            m_demandes: t.mutation.demandes,
            m_satisfaites: t.mutation.satisfaites,
            m_taux: t.mutation.taux,
            p_demandes: t.premier_acces.demandes,
            p_satisfaites: t.premier_acces.satisfaites,
            p_taux: t.premier_acces.taux,
          })),
        }}
      />

      <BarresHorizontales
        titre={`Satisfaction des demandes de mutation par motif, ${m.annee}`}
        barres={motifs.map((p) => ({ libelle: p.libelle, valeur: p.taux, cible: null, atteint: null }))}
      />
      <DataTable
        legende={`Demandes de mutation par motif, ${m.annee}`}
        vide="Aucune demande de mutation cette année."
        tableau={{
          titre: `Demandes de mutation par motif ${m.annee}`,
          colonnes: [
            { cle: 'libelle', libelle: 'Motif de la demande', type: 'texte' },
            { cle: 'demandes', libelle: 'Demandes', type: 'entier' },
            { cle: 'satisfaites', libelle: 'Satisfaites', type: 'entier' },
            { cle: 'taux', libelle: 'Satisfaction', type: 'taux' },
          ],
          lignes: motifs.map((p) => ({ libelle: p.libelle, demandes: p.demandes, satisfaites: p.satisfaites, taux: p.taux })),
        }}
      />

      <DataTable
        legende={`Baux signés en ${m.annee} : mutations internes et inter-bailleurs`}
        tableau={{
          titre: `Baux de mutation ${m.annee}`,
          colonnes: [
            { cle: 'libelle', libelle: 'Baux', type: 'texte' },
            { cle: 'nombre', libelle: 'Nombre', type: 'entier' },
            { cle: 'part', libelle: 'Part des baux de mutation', type: 'taux' },
          ],
          lignes: [
            { libelle: 'Tous les baux de l’année', nombre: m.baux.total, part: null },
            { libelle: 'Baux à des ménages en mutation', nombre: m.baux.mutations, part: null },
            { libelle: 'dont mutations internes (même bailleur)', nombre: m.baux.internes, part: m.baux.mutations > 0 ? m.baux.internes / m.baux.mutations : null },
            { libelle: 'dont mutations inter-bailleurs', nombre: m.baux.inter_bailleurs, part: m.baux.mutations > 0 ? m.baux.inter_bailleurs / m.baux.mutations : null },
            { libelle: 'dont bailleur actuel inconnu', nombre: m.baux.bailleur_inconnu, part: m.baux.mutations > 0 ? m.baux.bailleur_inconnu / m.baux.mutations : null },
          ],
        }}
      />
      {m.flux ? (
        <Text>
          Gestion en flux : {formatEntier(m.flux.baux_exclus)} baux tenus hors du flux en {m.annee}, dont {formatEntier(m.flux.mutations_internes_exclues)} mutations
          internes ({formatTaux(m.flux.part)}).
          {m.flux.exclusion_mutations_active ? '' : ' La CIA ne retire pas les mutations internes du flux (section flux de cia.yaml).'}
        </Text>
      ) : (
        <Text>Pas de conventions de réservation en flux dans la base : la part des mutations dans les exclusions du flux n’est pas calculée.</Text>
      )}
    </Stack>
  );
}
