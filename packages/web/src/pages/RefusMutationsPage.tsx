import { Divider, Group, NativeSelect, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ObservatoireRefusApi } from '@mixite/contract';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'wouter';
import { BarresHorizontales, CourbesTendance } from '../components/charts/index.ts';
import { DataTable } from '../components/DataTable.tsx';
import { Chargement, Erreur } from '../components/Etat.tsx';
import { lecture } from '../lib/client.ts';
import { formatEntier, formatRatio, formatTaux } from '../lib/format.ts';
import { useSession } from '../lib/session.tsx';
import { anneeChoisie, useTerritoire } from '../lib/territoire.tsx';
import { useApi } from '../lib/use-api.ts';
import { MutationsSection } from './refus/MutationsSection.tsx';

/**
 * « Refus et mutations » (issue 15, docs/refus-mutations.md): the refusal observatory — rates and motives by
 * residence, typology, QPV, contingent, bailleur, rent band and Q1 with last year's rate, the trend, the residences
 * most refused, the refusals before a lease by profile — and the mutations. Every chart is followed by its table.
 * The partners read the territory's aggregates; the public reader is told the page is not published.
 */
export function RefusMutationsPage() {
  const territoire = useTerritoire();
  const { session } = useSession();
  const [params, setParams] = useSearchParams();
  const annee = anneeChoisie(territoire.data, params.get('annee'));
  const partenaire = session.droits.partenaire;
  const obs = useApi(annee && partenaire ? lecture('/api/refus', { query: { annee } }) : null);

  useEffect(() => {
    document.title = `Refus et mutations${annee ? ` ${annee}` : ''} — Mixité`;
  }, [annee]);

  if (territoire.error) return <Erreur error={territoire.error} />;
  if (!territoire.data) return <Chargement quoi="du territoire" />;
  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>Refus et mutations{annee ? ` ${annee}` : ''}</Title>
          <Text>
            Les propositions refusées par les demandeurs (où, sur quels logements, pour quels motifs), les refus avant un bail, et le parcours des
            locataires du parc social qui demandent une mutation.
          </Text>
        </div>
        {territoire.data.annees.length > 0 ? (
          <NativeSelect
            label="Année"
            value={String(annee ?? '')}
            data={[...territoire.data.annees].reverse().map(String)}
            onChange={(e) => setParams({ annee: e.currentTarget.value })}
            w={120}
          />
        ) : null}
      </Group>
      {!partenaire ? <Text>L’observatoire des refus et des mutations est réservé aux partenaires de la CIA : ses effectifs par résidence ne sont pas publiés.</Text> : null}
      {obs.error ? <Erreur error={obs.error} titre="Observatoire indisponible" /> : null}
      {annee && partenaire && !obs.data && !obs.error ? <Chargement quoi="de l’observatoire des refus" /> : null}
      {obs.data ? <Observatoire o={obs.data} /> : null}
      {obs.data ? (
        <>
          <Divider />
          <MutationsSection m={obs.data.mutations} />
        </>
      ) : null}
    </Stack>
  );
}

type Ligne = ObservatoireRefusApi['ensemble'];

const colonnesLigne = (modalite: string) =>
  [
    { cle: 'libelle', libelle: modalite, type: 'texte' },
    { cle: 'propositions', libelle: 'Propositions', type: 'entier' },
    { cle: 'refus', libelle: 'Refus', type: 'entier' },
    { cle: 'taux', libelle: 'Taux de refus', type: 'taux' },
    { cle: 'taux_precedent', libelle: 'Taux de l’année précédente', type: 'taux' },
    { cle: 'motif_principal', libelle: 'Premier motif', type: 'texte' },
  ] as const;

/** The motive with the most refusals (« — » without refusal). */
function motifPrincipal(l: Ligne): string {
  const m = [...l.motifs].sort((a, b) => b.refus - a.refus)[0];
  return m && m.refus > 0 ? `${m.libelle} (${formatEntier(m.refus)})` : '—';
}

const enLigne = (l: Ligne) => ({ libelle: l.libelle, propositions: l.propositions, refus: l.refus, taux: l.taux, taux_precedent: l.taux_precedent, motif_principal: motifPrincipal(l) });

function Observatoire({ o }: { o: ObservatoireRefusApi }) {
  const [dimension, setDimension] = useState<string>(o.ventilations[0]?.dimension ?? 'residence');
  const ventilation = o.ventilations.find((v) => v.dimension === dimension) ?? o.ventilations[0];
  const e = o.ensemble;
  const motifs = e.motifs.filter((m) => m.refus > 0 || m.motif !== 'non_renseigne');
  return (
    <Stack gap="lg">
      <section aria-labelledby="refus-ensemble">
        <Title order={2} id="refus-ensemble">
          Refus des demandeurs en {o.annee}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 3 }} mt="sm">
          <div>
            <Text fw={700}>Propositions</Text>
            <Text size="xl">{formatEntier(e.propositions)}</Text>
          </div>
          <div>
            <Text fw={700}>Refus</Text>
            <Text size="xl">{formatEntier(e.refus)}</Text>
          </div>
          <div>
            <Text fw={700}>Taux de refus</Text>
            <Text size="xl">{formatTaux(e.taux)}</Text>
            <Text size="sm">l’année précédente : {formatTaux(e.taux_precedent)}</Text>
          </div>
        </SimpleGrid>
        <Text size="sm" mt="xs">
          Une proposition est un passage en CALEOL avec décision d’attribution (hors candidats suivants non sollicités), datée par la commission ; le taux de
          refus est la part des propositions refusées par le demandeur, celles encore en cours comprises.
        </Text>
      </section>

      <section aria-labelledby="refus-tendance">
        <Title order={2} id="refus-tendance">
          Tendance
        </Title>
        <CourbesTendance
          titre="Taux de refus par année"
          annees={o.tendance.map((a) => a.annee)}
          series={[{ libelle: 'Taux de refus', cible: null, points: o.tendance.map((a) => ({ annee: a.annee, valeur: a.taux })) }]}
        />
        <DataTable
          legende="Propositions et refus par année"
          tableau={{
            titre: 'Propositions et refus par année',
            colonnes: [
              { cle: 'annee', libelle: 'Année', type: 'texte' },
              { cle: 'propositions', libelle: 'Propositions', type: 'entier' },
              { cle: 'refus', libelle: 'Refus', type: 'entier' },
              { cle: 'taux', libelle: 'Taux de refus', type: 'taux' },
              ...e.motifs.map((m) => ({ cle: m.motif, libelle: m.libelle, type: 'entier' as const })),
            ],
            lignes: o.tendance.map((a) => ({
              annee: String(a.annee),
              propositions: a.propositions,
              refus: a.refus,
              taux: a.taux,
              ...Object.fromEntries(a.motifs.map((m) => [m.motif, m.refus])),
            })),
          }}
        />
      </section>

      <section aria-labelledby="refus-motifs">
        <Title order={2} id="refus-motifs">
          Motifs de refus en {o.annee}
        </Title>
        <BarresHorizontales
          titre={`Part de chaque motif parmi les ${formatEntier(e.refus)} refus de ${o.annee}`}
          barres={motifs.map((m) => ({ libelle: m.libelle, valeur: e.refus > 0 ? m.refus / e.refus : null, cible: null, atteint: null }))}
        />
        <DataTable
          legende={`Refus par motif en ${o.annee}`}
          tableau={{
            titre: `Refus par motif en ${o.annee}`,
            colonnes: [
              { cle: 'libelle', libelle: 'Motif', type: 'texte' },
              { cle: 'refus', libelle: 'Refus', type: 'entier' },
              { cle: 'part', libelle: 'Part des refus', type: 'taux' },
            ],
            lignes: motifs.map((m) => ({ libelle: m.libelle, refus: m.refus, part: e.refus > 0 ? m.refus / e.refus : null })),
          }}
        />
      </section>

      <section aria-labelledby="refus-ventilations">
        <Title order={2} id="refus-ventilations">
          Taux de refus par {ventilation?.libelle.toLowerCase() ?? 'ventilation'}
        </Title>
        <NativeSelect
          label="Ventiler par"
          value={dimension}
          data={o.ventilations.map((v) => ({ value: v.dimension, label: v.libelle }))}
          onChange={(ev) => setDimension(ev.currentTarget.value)}
          w={280}
          my="sm"
        />
        {ventilation ? (
          <>
            <BarresHorizontales
              titre={`Taux de refus ${o.annee} par ${ventilation.libelle.toLowerCase()}`}
              barres={ventilation.lignes.map((l) => ({ libelle: l.libelle, valeur: l.taux, cible: null, atteint: null }))}
            />
            <DataTable
              legende={`Propositions, refus et taux de refus ${o.annee} par ${ventilation.libelle.toLowerCase()}`}
              tableau={{
                titre: `Refus ${o.annee} par ${ventilation.libelle.toLowerCase()}`,
                colonnes: [...colonnesLigne(ventilation.libelle)],
                lignes: ventilation.lignes.map(enLigne),
              }}
              pas={20}
            />
          </>
        ) : null}
      </section>

      <section aria-labelledby="refus-residences">
        <Title order={2} id="refus-residences">
          Résidences les plus refusées
        </Title>
        <DataTable
          legende={`Les ${o.residences_plus_refusees.length} résidences qui ont reçu le plus de refus en ${o.annee}`}
          vide="Aucun refus sur une résidence connue cette année."
          tableau={{
            titre: `Résidences les plus refusées ${o.annee}`,
            colonnes: [
              ...colonnesLigne('Résidence'),
              { cle: 'bailleur', libelle: 'Bailleur', type: 'texte' },
              { cle: 'commune', libelle: 'Commune', type: 'texte' },
              { cle: 'qpv', libelle: 'En QPV', type: 'booleen' },
            ],
            lignes: o.residences_plus_refusees.map((r) => ({ ...enLigne(r), bailleur: r.bailleur, commune: r.commune, qpv: r.en_qpv })),
          }}
        />
      </section>

      <RefusAvantBail o={o} />
    </Stack>
  );
}

function RefusAvantBail({ o }: { o: ObservatoireRefusApi }) {
  const lignes = o.refus_avant_bail;
  const max = Math.max(1, ...lignes.map((l) => l.moyenne ?? 0));
  const titre = (l: (typeof lignes)[number]) => (l.profil === 'ensemble' ? l.libelle_profil : `${l.libelle_profil} : ${l.libelle}`);
  return (
    <section aria-labelledby="refus-avant-bail">
      <Title order={2} id="refus-avant-bail">
        Refus avant le bail, par profil
      </Title>
      <Text size="sm" my="xs">
        Pour chaque bail signé en {o.annee} : combien de propositions le même ménage avait refusées auparavant. Une lecture de la cotation attentive aux
        refus : un profil qui refuse souvent avant d’accepter n’attend pas seulement son rang.
      </Text>
      <BarresHorizontales
        titre={`Nombre moyen de refus avant un bail signé en ${o.annee}, par profil`}
        barres={lignes.map((l) => ({ libelle: titre(l), valeur: l.moyenne, cible: null, atteint: null }))}
        echelle={max}
        format={(v) => formatRatio(v)}
      />
      <DataTable
        legende={`Refus avant un bail signé en ${o.annee}, par profil`}
        tableau={{
          titre: `Refus avant un bail ${o.annee}`,
          colonnes: [
            { cle: 'profil', libelle: 'Profil', type: 'texte' },
            { cle: 'baux', libelle: 'Baux', type: 'entier' },
            { cle: 'refus', libelle: 'Refus antérieurs', type: 'entier' },
            { cle: 'moyenne', libelle: 'Refus par bail', type: 'nombre' },
            { cle: 'sans_refus', libelle: 'Sans refus', type: 'entier' },
            { cle: 'un_refus', libelle: 'Un refus', type: 'entier' },
            { cle: 'deux_refus_ou_plus', libelle: 'Deux refus ou plus', type: 'entier' },
          ],
          lignes: lignes.map((l) => ({
            profil: titre(l),
            baux: l.baux,
            refus: l.refus,
            moyenne: l.moyenne === null ? null : Math.round(l.moyenne * 100) / 100,
            sans_refus: l.sans_refus,
            un_refus: l.un_refus,
            deux_refus_ou_plus: l.deux_refus_ou_plus,
          })),
        }}
        pas={20}
      />
    </section>
  );
}
