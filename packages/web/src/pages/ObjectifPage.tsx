import { Anchor, Group, NativeSelect, Paper, Stack, Tabs, Text, Title } from '@mantine/core';
import type { LigneIndicateur, SessionApi } from '@mixite/server/contract';
import { LEGAL_INDICATORS, TRIMESTRES, isLegalIndicatorId, periode as periodeDe, periodesDeLAnnee } from '@mixite/core';
import { useEffect } from 'react';
import { useParams, useSearchParams } from 'wouter';
import { BarresHorizontales } from '../components/charts/index.ts';
import { CarteTerritoire } from '../components/carte/CarteTerritoire.tsx';
import { seuilsAutourDeLaCible } from '../components/carte/seuils.ts';
import { DataTable } from '../components/DataTable.tsx';
import { BadgeAtteint, Chargement, Erreur, NoteSecret } from '../components/Etat.tsx';
import { compte, formatEntier } from '../lib/format.ts';
import { RENDUS_TAUX, chiffresDeLaLigne, libellePeriode, libellePerimetreType, tableauIndicateurs } from '../lib/indicateurs.ts';
import { useLien } from '../lib/navigation.ts';
import { anneeChoisie, useTerritoire } from '../lib/territoire.tsx';
import { useSession } from '../lib/session.tsx';
import { useApi } from '../lib/use-api.ts';
import { lecture } from '../lib/client.ts';

/** The breakdowns of an objective: the perimeters a CIA territorialises its targets on. */
const VENTILATIONS = ['bailleur', 'contingent', 'type_contingent', 'commune', 'qpv'] as const;

export function ObjectifPage() {
  const { indicateur = '' } = useParams<{ indicateur: string }>();
  const territoire = useTerritoire();
  const [params, setParams] = useSearchParams();
  const annee = anneeChoisie(territoire.data, params.get('annee'));
  const periodes = annee ? periodesDeLAnnee(annee) : [];
  const periode = periodes.find((p) => p.id === params.get('periode'))?.id ?? (annee ? String(annee) : null);
  const defaut = isLegalIndicatorId(indicateur) ? LEGAL_INDICATORS[indicateur].presentation.ventilation : 'bailleur';
  const ventilation = (VENTILATIONS as readonly string[]).includes(params.get('perimetre') ?? '') ? (params.get('perimetre') as string) : defaut;
  const lien = useLien();
  const { session } = useSession();
  // The allocations behind a row are household-level data: the link is offered to the roles that may read them.
  const menages = session.droits.menages;

  const declarations = useApi(lecture('/api/declarations'));
  const territoireLigne = useApi(periode ? lecture('/api/indicateurs', { query: { periode, perimetre_type: 'territoire', indicateur } }) : null);
  const lignes = useApi(periode ? lecture('/api/indicateurs', { query: { periode, perimetre_type: ventilation, indicateur } }) : null);
  // Every period of the year on the territory: the quarterly follow-up below reads its four quarters.
  const anneeTerritoire = useApi(annee ? lecture('/api/indicateurs', { query: { annee: String(annee), perimetre_type: 'territoire', indicateur } }) : null);
  const declaration = declarations.data?.legaux.find((d) => d.id === indicateur);

  useEffect(() => {
    document.title = `${declaration?.libelle ?? 'Objectif'} — Mixité`;
  }, [declaration]);

  const changer = (changes: Record<string, string>) => setParams((prev) => ({ ...Object.fromEntries(prev), ...changes }));

  if (declarations.error) return <Erreur error={declarations.error} />;
  if (!declarations.data || !territoire.data) return <Chargement quoi="de l’objectif" />;
  if (!declaration) return <Erreur error={new Error(`indicateur inconnu : « ${indicateur} »`)} titre="Objectif introuvable" />;
  if (!annee || !periode) return <Text>Aucune attribution dans la base.</Text>;

  const total = territoireLigne.data?.lignes[0];
  const tableau = lignes.data ? tableauIndicateurs(declarations.data, lignes.data.lignes, `${declaration.libelle} — par ${libellePerimetreType(ventilation).toLowerCase()} — ${libellePeriode(periode)}`) : null;
  // Rate, target and gap printed together, with the decimals that keep them consistent with « atteint ».
  const chiffresTotal = total ? chiffresDeLaLigne(total) : null;
  const idsTrimestres = TRIMESTRES.map((t) => periodeDe(t, annee).id as string);
  const trimestres = anneeTerritoire.data
    ? tableauIndicateurs(
        declarations.data,
        idsTrimestres.flatMap((id) => anneeTerritoire.data?.lignes.filter((l) => l.periode === id) ?? []),
        `${declaration.libelle} — suivi trimestriel ${annee} (territoire)`,
      )
    : null;
  const detail = (ligne: LigneIndicateur) =>
    `/objectifs/${indicateur}/attributions?periode=${periode}&perimetre_type=${ligne.perimetre_type}&perimetre_id=${encodeURIComponent(ligne.perimetre_id)}`;

  return (
    <Stack gap="lg">
      <div>
        <Anchor {...lien(`/?annee=${annee}`)} size="sm">
          ← Tableau de bord
        </Anchor>
        <Title order={1} mt={4}>
          {declaration.libelle}
        </Title>
      </div>

      <Paper withBorder p="md">
        <Stack gap={6}>
          <Text>{declaration.definition}</Text>
          <Text size="sm">
            <strong>Numérateur :</strong> {declaration.numerateur}
          </Text>
          <Text size="sm">
            <strong>Dénominateur :</strong> {declaration.denominateur}
          </Text>
          <Text size="sm">
            <strong>Source :</strong> {declaration.source}
          </Text>
        </Stack>
      </Paper>

      <Group align="flex-end">
        <NativeSelect label="Année" value={String(annee)} data={[...territoire.data.annees].reverse().map(String)} onChange={(e) => changer({ annee: e.currentTarget.value, periode: e.currentTarget.value })} w={140} />
        <NativeSelect label="Période" value={periode} data={periodes.map((p) => ({ value: p.id, label: p.libelle }))} onChange={(e) => changer({ periode: e.currentTarget.value })} w={280} />
      </Group>

      {total?.secret !== undefined && (lignes.data?.lignes ?? []).concat(total).some((l) => l.secret) ? <NoteSecret /> : null}
      {total && chiffresTotal ? (
        <Paper withBorder p="md" aria-label="Résultat du territoire">
          <Group justify="space-between">
            <div>
              <Text fw={600}>Territoire — {libellePeriode(periode)}</Text>
              <Text fz={28} fw={700}>
                {chiffresTotal.taux}
              </Text>
              {total.faible_effectif ? (
                <Text size="sm" fw={600}>
                  Faible effectif : moins de ménages que le minimum fixé par la CIA, taux à lire avec prudence.
                </Text>
              ) : null}
              <Text size="sm">
                {formatEntier(total.numerateur)} sur {compte(total.denominateur, declaration.base)}
                {total.cible !== null ? ` · objectif ${chiffresTotal.cible} · écart ${chiffresTotal.ecart}` : ''}
              </Text>
            </div>
            <Stack align="flex-end" gap="xs">
              <BadgeAtteint atteint={total.atteint} cible={total.cible} />
              {menages ? (
                <Anchor {...lien(detail(total))} size="sm">
                  {session.utilisateur.perimetre ? 'Voir les attributions de votre périmètre' : 'Voir les attributions du territoire'}
                </Anchor>
              ) : null}
            </Stack>
          </Group>
        </Paper>
      ) : null}

      {trimestres ? (
        <section aria-labelledby="titre-trimestres">
          <Title order={2} size="h3" id="titre-trimestres" mb="xs">
            Suivi trimestriel {annee}
          </Title>
          <DataTable
            tableau={trimestres}
            legende={trimestres.titre}
            masquees={['indicateur', 'perimetre', 'perimetre_id']}
            rendus={{
              atteint: (l) => <BadgeAtteint atteint={l.atteint} cible={l.cible} />,
              ...RENDUS_TAUX,
            }}
            vide="Aucune attribution comptée cette année."
          />
        </section>
      ) : null}

      <Tabs value={ventilation} onChange={(value) => value && changer({ perimetre: value })} keepMounted={false}>
        <Tabs.List aria-label="Ventilation de l’objectif">
          {VENTILATIONS.map((v) => (
            <Tabs.Tab key={v} value={v}>
              {libellePerimetreType(v)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {VENTILATIONS.map((v) => (
          <Tabs.Panel key={v} value={v} pt="md">
            {lignes.error ? <Erreur error={lignes.error} /> : null}
            {!tableau ? <Chargement quoi="de la ventilation" /> : null}
            {tableau && v === ventilation ? (
              <Stack>
                <BarresHorizontales
                  titre={`Taux par ${libellePerimetreType(v).toLowerCase()}, du plus grand dénominateur au plus petit, objectif marqué d’un trait`}
                  barres={[...tableau.lignes]
                    .sort((a, b) => (b.denominateur ?? 0) - (a.denominateur ?? 0))
                    .map((l) => ({ libelle: l.perimetre, valeur: l.taux, cible: l.cible, atteint: l.atteint }))}
                />
                {v === 'commune' ? (
                  // The same rates on the territory's map (issue 14): classes around the target, masked rates in grey.
                  <CarteTerritoire
                    titre={`${declaration.libelle} par commune — ${libellePeriode(periode)}`}
                    choroplethe={{
                      libelle: 'Taux',
                      valeurs: new Map(tableau.lignes.map((l) => [l.perimetre_id, l.taux])),
                      ...seuilsAutourDeLaCible(total?.cible ?? null),
                    }}
                  />
                ) : null}
                <DataTable
                  tableau={tableau}
                  legende={tableau.titre}
                  masquees={['indicateur', 'periode']}
                  triInitial={{ cle: 'denominateur', sens: 'desc' }}
                  rendus={{
                    atteint: (l) => <BadgeAtteint atteint={l.atteint} cible={l.cible} />,
                    ...RENDUS_TAUX,
                  }}
                  actions={
                    menages
                      ? [
                          {
                            cle: 'attributions',
                            libelle: 'Attributions',
                            rendu: (l) =>
                              autreQueLeSien(session, l.source) ? null : (
                                <Anchor {...lien(detail(l.source))} size="sm">
                                  Voir<span className="visuellement-cache"> les attributions de {l.perimetre}</span>
                                </Anchor>
                              ),
                          },
                        ]
                      : []
                  }
                  vide="Aucune attribution comptée pour cette période."
                />
              </Stack>
            ) : null}
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}

/** A row of another bailleur (contingent, commune) than the scoped account's own: its list would be empty for it. */
function autreQueLeSien(session: SessionApi, ligne: LigneIndicateur): boolean {
  const { role, perimetre } = session.utilisateur;
  const type = role === 'bailleur' ? 'bailleur' : role === 'reservataire' ? 'contingent' : role === 'commune' ? 'commune' : null;
  return type !== null && ligne.perimetre_type === type && ligne.perimetre_id !== perimetre;
}
