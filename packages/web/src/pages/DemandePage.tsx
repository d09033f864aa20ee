import { Alert, Card, Group, NativeSelect, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { Colonne, Tableau } from '@mixite/server/contract';
import { LIBELLES_MODALITE, MODALITES_MOTIF_REFUS, MODALITES_QUARTILE, MODALITES_TYPOLOGIE } from '@mixite/core';
import { useEffect } from 'react';
import { useSearchParams } from 'wouter';
import { BarresHorizontales } from '../components/charts/index.ts';
import { DataTable } from '../components/DataTable.tsx';
import { Chargement, Erreur, NoteSecret } from '../components/Etat.tsx';
import { formatEntier, formatNombre, formatTaux } from '../lib/format.ts';
import { anneeChoisie, useTerritoire } from '../lib/territoire.tsx';
import { useApi } from '../lib/use-api.ts';
import { lecture } from '../lib/client.ts';


const COLONNES_LIMITES: readonly Colonne[] = [
  { cle: 'annee', libelle: 'Année d’application', type: 'texte' },
  { cle: 'date_reference', libelle: 'Demandes actives au', type: 'date' },
  { cle: 'demandes', libelle: 'Demandes', type: 'entier' },
  { cle: 'q1', libelle: '1er quartile calculé (€/UC/an)', type: 'nombre' },
  // seuil_q2/seuil_q3 of the arrêté when seuils.csv gives them, else the demand's (core limitesDuTerritoire).
  { cle: 'mediane', libelle: 'Médiane (arrêté, sinon calculée)', type: 'nombre' },
  { cle: 'q3', libelle: '3e quartile (arrêté, sinon calculé)', type: 'nombre' },
  { cle: 'seuil_publie', libelle: 'Seuil publié (arrêté)', type: 'nombre' },
  { cle: 'source_seuil', libelle: 'Arrêté', type: 'texte' },
  { cle: 'seuil_applique', libelle: 'Seuil appliqué', type: 'nombre' },
  { cle: 'origine', libelle: 'Origine du seuil appliqué', type: 'texte' },
];

const ORIGINES: Record<string, string> = { publie: 'publié', calcule: 'calculé (pas d’arrêté)', absent: 'aucun' };

export function DemandePage() {
  const territoire = useTerritoire();
  const [params, setParams] = useSearchParams();
  const annee = anneeChoisie(territoire.data, params.get('annee'));
  const demande = useApi(annee ? lecture('/api/demande', { query: { annee } }) : null);
  const periode = demande.data?.periodes.find((p) => p.id === params.get('periode'))?.id ?? (annee ? String(annee) : '');
  const libellePeriode = demande.data?.periodes.find((p) => p.id === periode)?.libelle ?? periode;

  useEffect(() => {
    document.title = `Demande${annee ? ` ${annee}` : ''} — Mixité`;
  }, [annee]);

  if (territoire.error) return <Erreur error={territoire.error} />;
  if (!territoire.data) return <Chargement quoi="du territoire" />;
  if (!annee) return <Text>Aucune donnée dans la base.</Text>;

  const lignes = (demande.data?.lignes ?? []).filter((l) => l.periode === periode);
  const get = (indicateur: string, modalite = '') => lignes.find((l) => l.indicateur === indicateur && l.modalite === modalite);
  /** A count: 0 when the engine has no row for it, null (shown « — ») when the statistical secrecy masks it. */
  const nombre = (indicateur: string, modalite: string, cle: 'numerateur' | 'denominateur' = 'numerateur'): number | null => {
    const ligne = get(indicateur, modalite);
    return ligne ? ligne[cle] : 0;
  };
  const masque = lignes.some((l) => l.secret);

  const quartiles: Tableau = {
    titre: `Quartiles de ressources : demande et attributions — ${libellePeriode}`,
    colonnes: [
      { cle: 'quartile', libelle: 'Quartile', type: 'texte' },
      { cle: 'demandes', libelle: 'Demandes actives', type: 'entier' },
      { cle: 'part_demande', libelle: 'Part de la demande', type: 'taux' },
      { cle: 'baux', libelle: 'Baux signés', type: 'entier' },
      { cle: 'part_baux', libelle: 'Part des baux', type: 'taux' },
      { cle: 'tension', libelle: 'Demandes par bail', type: 'nombre' },
    ],
    lignes: MODALITES_QUARTILE.map((q) => ({
      quartile: LIBELLES_MODALITE[q] ?? q,
      demandes: nombre('quartile_demande', q),
      part_demande: get('quartile_demande', q)?.valeur ?? null,
      baux: nombre('quartile_attributions', q),
      part_baux: get('quartile_attributions', q)?.valeur ?? null,
      tension: get('tension_quartile', q)?.valeur ?? null,
    })),
  };

  const typologies: Tableau = {
    titre: `Tension par typologie — ${libellePeriode}`,
    colonnes: [
      { cle: 'typologie', libelle: 'Typologie', type: 'texte' },
      { cle: 'demandes', libelle: 'Demandes actives', type: 'entier' },
      { cle: 'baux', libelle: 'Baux signés', type: 'entier' },
      { cle: 'tension', libelle: 'Demandes par bail', type: 'nombre' },
    ],
    lignes: ['', ...MODALITES_TYPOLOGIE].map((t) => ({
      typologie: t === '' ? 'Toutes typologies' : (LIBELLES_MODALITE[t] ?? t),
      demandes: nombre('tension_typologie', t),
      baux: nombre('tension_typologie', t, 'denominateur'),
      tension: get('tension_typologie', t)?.valeur ?? null,
    })),
  };

  const refus: Tableau = {
    titre: `Refus des demandeurs par motif — ${libellePeriode}`,
    colonnes: [
      { cle: 'motif', libelle: 'Motif', type: 'texte' },
      { cle: 'refus', libelle: 'Refus', type: 'entier' },
      { cle: 'part', libelle: 'Part des refus', type: 'taux' },
    ],
    lignes: MODALITES_MOTIF_REFUS.map((m) => ({ motif: LIBELLES_MODALITE[m] ?? m, refus: nombre('refus_par_motif', m), part: get('refus_par_motif', m)?.valeur ?? null })),
  };

  const limites: Tableau = {
    titre: 'Limites des quartiles et seuil du premier quartile',
    colonnes: COLONNES_LIMITES,
    lignes: (demande.data?.limites ?? []).map((l) => ({ ...l, annee: String(l.annee), origine: ORIGINES[l.origine_seuil] ?? l.origine_seuil })),
  };

  const tensionMax = Math.max(1, ...typologies.lignes.map((l) => (l['tension'] as number | null) ?? 0));
  const controles = demande.data?.controles;

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>Demande {annee}</Title>
          <Text>{territoire.data.nom} — demandes de logement social, quartiles de ressources, tension</Text>
        </div>
        <Group align="flex-end">
          <NativeSelect label="Année" value={String(annee)} data={[...territoire.data.annees].reverse().map(String)} onChange={(e) => setParams({ annee: e.currentTarget.value })} w={120} />
          <NativeSelect
            label="Période"
            value={periode}
            data={(demande.data?.periodes ?? []).map((p) => ({ value: p.id, label: p.libelle }))}
            onChange={(e) => setParams({ annee: String(annee), periode: e.currentTarget.value })}
            w={260}
          />
        </Group>
      </Group>
      {demande.error ? <Erreur error={demande.error} /> : null}
      {demande.loading && !demande.data ? <Chargement quoi="de la demande" /> : null}
      {masque ? <NoteSecret /> : null}

      {demande.data ? (
        <>
          <section aria-labelledby="titre-stock">
            <Title order={2} id="titre-stock" mb="sm">
              Stock et flux — {libellePeriode}
            </Title>
            <SimpleGrid cols={{ base: 2, md: 3, lg: 6 }}>
              <Chiffre libelle="Demandes actives en fin de période" valeur={formatEntier(get('demandes_actives')?.valeur)} />
              <Chiffre libelle="Demandes déposées" valeur={formatEntier(get('demandes_deposees')?.valeur)} />
              <Chiffre libelle="Demandes satisfaites" valeur={formatEntier(get('demandes_satisfaites')?.valeur)} />
              <Chiffre libelle="Demandes radiées sans attribution" valeur={formatEntier(get('demandes_radiees')?.valeur)} />
              <Chiffre libelle="Délai moyen d’attente des demandes satisfaites" valeur={`${formatEntier(get('delai_attente_satisfaites')?.valeur)} jours`} />
              <Chiffre
                libelle="Mutations : part de la demande / des baux"
                valeur={`${formatTaux(get('mutations_demande')?.valeur)} / ${formatTaux(get('mutations_attributions')?.valeur)}`}
              />
            </SimpleGrid>
          </section>

          <section aria-labelledby="titre-quartiles">
            <Title order={2} id="titre-quartiles" mb="xs">
              Quartiles de ressources
            </Title>
            <Text size="sm" mb="xs">
              Ressources annuelles par unité de consommation des demandes actives au 31 décembre de l’année précédente : limites calculées par Mixité, à côté du
              seuil publié par arrêté. Le seuil appliqué aux attributions est le seuil publié quand il existe.
            </Text>
            <DataTable tableau={limites} legende={limites.titre} masquees={['origine_seuil']} />
            <DataTable tableau={quartiles} legende={quartiles.titre} />
          </section>

          <section aria-labelledby="titre-tension">
            <Title order={2} id="titre-tension" mb="xs">
              Tension par typologie
            </Title>
            <BarresHorizontales
              titre="Demandes actives par bail signé, par typologie"
              barres={typologies.lignes.map((l) => ({ libelle: String(l['typologie']), valeur: (l['tension'] as number | null) ?? null, cible: null, atteint: null }))}
              echelle={tensionMax}
              format={formatNombre}
            />
            <DataTable tableau={typologies} legende={typologies.titre} />
          </section>

          <section aria-labelledby="titre-refus">
            <Title order={2} id="titre-refus" mb="xs">
              Refus des propositions
            </Title>
            <Text size="sm" mb="xs">
              {formatEntier(get('refus_par_motif')?.numerateur)} refus sur {formatEntier(get('refus_par_motif')?.denominateur)} propositions (
              {formatTaux(get('refus_par_motif')?.valeur)}).
            </Text>
            <DataTable tableau={refus} legende={refus.titre} />
          </section>

          {controles && (controles.q1_desaccords > 0 || controles.q1_inconnus > 0) ? (
            <Alert color="indigo.9" variant="outline" title="Contrôles du premier quartile">
              {controles.q1_desaccords > 0 ? (
                <Text size="sm">
                  {propositionsOuBaux(controles.q1_desaccords)} dont l’indicateur « q1 » du fichier diffère du calcul (la valeur calculée est retenue)
                  {controles.q1_desaccords_exemples.length > 0 ? ` ; par exemple ${controles.q1_desaccords_exemples.slice(0, 5).join(', ')}` : ''}.
                </Text>
              ) : null}
              {controles.q1_inconnus > 0 ? (
                <Text size="sm">
                  {propositionsOuBaux(controles.q1_inconnus)} dont le quartile est inconnu (ressources, composition ou seuil manquants) : jamais comptés au
                  premier quartile.
                </Text>
              ) : null}
            </Alert>
          ) : null}
        </>
      ) : null}
    </Stack>
  );
}

function Chiffre({ libelle, valeur }: { libelle: string; valeur: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="sm">{libelle}</Text>
      <Text fz={24} fw={700}>
        {valeur}
      </Text>
    </Card>
  );
}

const propositionsOuBaux = (n: number) => `${formatEntier(n)} ${n > 1 ? 'propositions ou baux' : 'proposition ou bail'}`;
