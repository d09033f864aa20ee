import { Accordion, Anchor, Badge, Card, Group, NativeSelect, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { LEGAL_INDICATORS } from '@mixite/core';
import type { DeclarationIndicateur, LigneIndicateur } from '@mixite/server/contract';
import { useEffect } from 'react';
import { useSearchParams } from 'wouter';
import { CourbesTendance } from '../components/charts/index.ts';
import { BoutonBilan } from '../components/BoutonBilan.tsx';
import { DataTable } from '../components/DataTable.tsx';
import { ListeRetards } from '../components/ListeRetards.tsx';
import { BadgeAtteint, Chargement, Erreur, NoteSecret } from '../components/Etat.tsx';
import { compte, formatDate, formatEntier, formaterTauxContreCible } from '../lib/format.ts';
import { RENDUS_TAUX, tableauIndicateurs } from '../lib/indicateurs.ts';
import { useLien } from '../lib/navigation.ts';
import { useSession } from '../lib/session.tsx';
import { anneeChoisie, useTerritoire } from '../lib/territoire.tsx';
import { useApi } from '../lib/use-api.ts';
import { lecture } from '../lib/client.ts';
import { EcheancesProgramme } from './programme/EcheancesProgramme.tsx';

export function TableauDeBordPage() {
  const { session } = useSession();
  const territoire = useTerritoire();
  const [params, setParams] = useSearchParams();
  const annee = anneeChoisie(territoire.data, params.get('annee'));
  const declarations = useApi(lecture('/api/declarations'));
  const annuels = useApi(annee ? lecture('/api/indicateurs', { query: { annee, perimetre_type: 'territoire' } }) : null);
  // The lagging list reads the year's rows (all periods) of the perimeter types it names.
  const contingents = useApi(annee ? lecture('/api/indicateurs', { query: { annee, perimetre_type: 'contingent' } }) : null);
  const bailleurs = useApi(annee ? lecture('/api/indicateurs', { query: { annee, perimetre_type: 'bailleur' } }) : null);
  const communes = useApi(annee ? lecture('/api/indicateurs', { query: { annee, perimetre_type: 'commune' } }) : null);
  const qpv = useApi(annee ? lecture('/api/indicateurs', { query: { annee, perimetre_type: 'qpv' } }) : null);
  const source = useApi(lecture('/api/donnees/source'));
  // The low-count rule of the lagging list comes from the settings, as in the bilan.
  const configuration = useApi(lecture('/api/configuration'));
  const tendance = useApi(lecture('/api/indicateurs/tendance', { query: { perimetre_type: 'territoire' } }));
  const lien = useLien();

  useEffect(() => {
    document.title = `Tableau de bord${annee ? ` ${annee}` : ''} — Mixité`;
  }, [annee]);

  if (territoire.error) return <Erreur error={territoire.error} />;
  if (!territoire.data) return <Chargement quoi="du territoire" />;
  if (!annee) {
    return (
      <Stack>
        <Title order={1}>Tableau de bord</Title>
        <Text>
          Aucune attribution dans la base. Chargez les données du territoire depuis la page <Anchor {...lien('/donnees')}>Données</Anchor>.
        </Text>
      </Stack>
    );
  }

  const decl = declarations.data?.legaux ?? [];
  const lignes = annuels.data?.lignes ?? [];
  const deLAnnee = (id: string) => lignes.find((l) => l.indicateur === id && l.periode === String(annee));
  const suivi = tableauIndicateurs(
    declarations.data,
    lignes.filter((l) => l.periode !== String(annee)),
    `Suivi ${annee} : semestres et douze mois glissants (territoire)`,
  );
  const evolution = tableauIndicateurs(declarations.data, tendance.data?.lignes ?? [], 'Évolution annuelle des indicateurs (territoire)');
  const annees = territoire.data.annees;
  const ventilations = [contingents, bailleurs, communes, qpv];
  const ventilationsPretes = ventilations.every((v) => v.data) && annuels.data;

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>Tableau de bord {annee}</Title>
          <Text>{territoire.data.nom} — objectifs d’attribution de la CIA, année civile</Text>
        </div>
        <NativeSelect
          label="Année"
          value={String(annee)}
          data={[...annees].reverse().map(String)}
          onChange={(event) => setParams({ annee: event.currentTarget.value })}
          w={140}
        />
      </Group>

      <SourceDesDonnees source={source.data} />
      {session.droits.partenaire ? <BoutonBilan annee={annee} /> : null}

      {declarations.error ? <Erreur error={declarations.error} /> : null}
      {annuels.error ? <Erreur error={annuels.error} /> : null}
      {lignes.some((l) => l.secret) ? <NoteSecret /> : null}
      {annuels.loading && !annuels.data ? <Chargement quoi="des indicateurs" /> : null}

      <section aria-labelledby="titre-objectifs">
        <Title order={2} id="titre-objectifs" mb="sm">
          Objectifs de l’année
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          {decl.map((d) => (
            <CarteObjectif
              key={d.id}
              declaration={d}
              ligne={deLAnnee(d.id)}
              contingents={
                LEGAL_INDICATORS[d.id].presentation.jugement === 'contingent'
                  ? (contingents.data?.lignes.filter((l) => l.indicateur === d.id && l.periode === String(annee)) ?? null)
                  : null
              }
              href={`/objectifs/${d.id}?annee=${annee}`}
            />
          ))}
        </SimpleGrid>
      </section>

      {ventilations.map((v, i) => (v.error ? <Erreur key={i} error={v.error} /> : null))}
      {ventilationsPretes && configuration.data ? (
        <ListeRetards
          annee={annee}
          declarations={decl}
          lignes={[...lignes, ...ventilations.flatMap((v) => v.data?.lignes ?? [])]}
          jugement={configuration.data.contenu}
        />
      ) : (
        <Chargement quoi="des partenaires en retard" />
      )}

      <EcheancesProgramme />

      <section aria-labelledby="titre-suivi">
        <Title order={2} id="titre-suivi" mb={4}>
          Suivi semestriel et douze mois glissants
        </Title>
        <Text size="sm" mb="xs">
          Ce que suit le préfet : les bailleurs transmettent leurs données chaque semestre ; pour l’objectif hors QPV, un déficit sur le dernier semestre
          s’apprécie sur les douze mois glissants.
        </Text>
        <DataTable tableau={suivi} legende={suivi.titre} masquees={['perimetre', 'perimetre_id']} rendus={{ ...RENDUS_TAUX, atteint: (l) => <BadgeAtteint atteint={l.atteint} cible={l.cible} /> }} />
      </section>

      <section aria-labelledby="titre-evolution">
        <Title order={2} id="titre-evolution" mb="xs">
          Évolution sur les années disponibles
        </Title>
        {tendance.error ? <Erreur error={tendance.error} /> : null}
        <CourbesTendance
          titre="Évolution annuelle du taux de chaque indicateur sur le territoire"
          annees={annees}
          series={decl.map((d) => ({
            libelle: d.libelle,
            cible: (tendance.data?.lignes ?? []).findLast((l) => l.indicateur === d.id)?.cible ?? null,
            points: (tendance.data?.lignes ?? []).filter((l) => l.indicateur === d.id).map((l) => ({ annee: Number(l.periode), valeur: l.taux })),
          }))}
        />
      </section>

      {/* The long-format table of the years: behind a disclosure, so that the page says what to do before it lists every figure. */}
      <Accordion variant="separated">
        <Accordion.Item value="evolution">
          <Accordion.Control>Tableau détaillé : évolution annuelle des indicateurs (territoire)</Accordion.Control>
          <Accordion.Panel>
            <DataTable
              tableau={evolution}
              legende={evolution.titre}
              masquees={['perimetre', 'perimetre_id']}
              rendus={{ ...RENDUS_TAUX, atteint: (l) => <BadgeAtteint atteint={l.atteint} cible={l.cible} /> }}
            />
          </Accordion.Panel>
        </Accordion.Item>
      </Accordion>
    </Stack>
  );
}

function CarteObjectif({
  declaration,
  ligne,
  contingents,
  href,
}: {
  declaration: DeclarationIndicateur;
  ligne: LigneIndicateur | undefined;
  contingents: readonly LigneIndicateur[] | null;
  href: string;
}) {
  const lien = useLien();
  const titreId = `objectif-${declaration.id}`;
  const jugees = contingents?.filter((c) => c.atteint !== null) ?? [];
  return (
    <Card withBorder padding="sm" component="article" aria-labelledby={titreId} data-indicateur={declaration.id}>
      <Stack gap={4}>
        <Title order={3} size="h6" id={titreId}>
          {declaration.libelle}
        </Title>
        {ligne ? (
          <>
            <Group justify="space-between" align="center">
              <Text fz={28} fw={700} lh={1.1}>
                {/* Rate, target and gap with the decimals that agree with « atteint » (80,98 % against 81,00 %). */}
                {formaterTauxContreCible(ligne.numerateur, ligne.denominateur, ligne.cible, ligne.taux).taux}
              </Text>
              {contingents && ligne.cible === null ? (
                <Badge variant="outline" color="gray.8">
                  Par contingent
                </Badge>
              ) : (
                <BadgeAtteint atteint={ligne.atteint} cible={ligne.cible} />
              )}
            </Group>
            <Text size="sm">
              {ligne.cible !== null ? (
                <>
                  Objectif : {formaterTauxContreCible(ligne.numerateur, ligne.denominateur, ligne.cible, ligne.taux).cible} · Écart :{' '}
                  {formaterTauxContreCible(ligne.numerateur, ligne.denominateur, ligne.cible, ligne.taux).ecart}
                </>
              ) : contingents ? (
                <>Objectif apprécié par contingent : {jugees.filter((c) => c.atteint).length} sur {jugees.length} l’atteignent</>
              ) : (
                'Pas d’objectif fixé par la CIA'
              )}
            </Text>
            <Text size="sm">
              {formatEntier(ligne.numerateur)} sur {compte(ligne.denominateur, declaration.base)}
            </Text>
          </>
        ) : (
          <Text size="sm">Aucune donnée pour cette année.</Text>
        )}
        <Anchor {...lien(href)} size="xs">
          Détail par bailleur, contingent, commune et QPV
          <span className="visuellement-cache"> : {declaration.libelle}</span>
        </Anchor>
      </Stack>
    </Card>
  );
}

/** Where the figures come from: the last import, its files, the last year of data (issue 12, item 7). */
function SourceDesDonnees({ source }: { source: { date_import: string | null; fichiers: readonly string[]; annee_max: number | null } | null }) {
  if (!source) return null;
  if (!source.date_import) return <Text size="sm">Données : aucun import enregistré.</Text>;
  const heure = source.date_import.slice(11, 16);
  return (
    <Text size="xs" data-source>
      <strong>Données</strong> : import du {formatDate(source.date_import.slice(0, 10))} à {heure} (UTC)
      {source.annee_max ? `, attributions jusqu’en ${source.annee_max}` : ''} — fichiers : {source.fichiers.join(', ')}.
    </Text>
  );
}
