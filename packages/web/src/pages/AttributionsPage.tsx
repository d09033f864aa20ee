import { Anchor, Stack, Text, Title } from '@mantine/core';
import { parsePeriode } from '@mixite/core';
import { useEffect } from 'react';
import { useParams, useSearchParams } from 'wouter';
import { DataTable } from '../components/DataTable.tsx';
import { Chargement, Erreur } from '../components/Etat.tsx';
import { formatEntier } from '../lib/format.ts';
import { libellePerimetreType } from '../lib/indicateurs.ts';
import { query } from '../lib/api.ts';
import { lecture } from '../lib/client.ts';
import { useLien } from '../lib/navigation.ts';
import { useTerritoire } from '../lib/territoire.tsx';
import { useApi } from '../lib/use-api.ts';

/** The allocations behind one row of an objective: its denominator, those in its numerator marked. */
export function AttributionsPage() {
  const { indicateur = '' } = useParams<{ indicateur: string }>();
  const [params] = useSearchParams();
  const periode = params.get('periode') ?? '';
  const type = params.get('perimetre_type') ?? 'territoire';
  const id = params.get('perimetre_id');
  const territoire = useTerritoire();
  const lien = useLien();
  const declarations = useApi(lecture('/api/declarations'));
  const attributions = useApi(lecture('/api/objectifs/{indicateur}/attributions', { params: { indicateur }, query: { periode, perimetre_type: type, perimetre_id: id } }));
  const declaration = declarations.data?.legaux.find((d) => d.id === indicateur);
  const nomPerimetre =
    type === 'territoire' ? 'Territoire' : (territoire.data?.perimetres[type]?.find((p) => p.id === id)?.libelle ?? `${libellePerimetreType(type)} ${id ?? ''}`);
  const libellePeriode = parsePeriode(periode)?.libelle ?? periode;

  useEffect(() => {
    document.title = `Attributions — ${nomPerimetre} — Mixité`;
  }, [nomPerimetre]);

  const total = attributions.data?.total ?? 0;
  const auNumerateur = attributions.data?.total_numerateur ?? 0;
  const coupee = attributions.data ? attributions.data.lignes.length < total : false;
  const retour = `/objectifs/${indicateur}${query({ annee: parsePeriode(periode)?.annee, periode, perimetre: type === 'territoire' ? null : type })}`;

  return (
    <Stack gap="md">
      <div>
        <Anchor {...lien(retour)} size="sm">
          ← {declaration?.libelle ?? 'Objectif'}
        </Anchor>
        <Title order={1} mt={4}>
          Attributions — {nomPerimetre}
        </Title>
        <Text>
          {declaration?.libelle ?? indicateur} · {libellePeriode}
        </Text>
      </div>
      {attributions.error ? <Erreur error={attributions.error} /> : null}
      {attributions.loading && !attributions.data ? <Chargement quoi="des attributions" /> : null}
      {attributions.data ? (
        <>
          <Text>
            {formatEntier(total)} {declaration?.base === 'baux' ? 'baux' : 'propositions'} forment le dénominateur ; {formatEntier(auNumerateur)}{' '}
            {auNumerateur > 1 ? 'comptent' : 'compte'} au numérateur (colonne « Compté au numérateur »).
          </Text>
          {attributions.data.restriction ? (
            <Text size="sm">Vous ne voyez que les attributions de votre périmètre : {attributions.data.restriction}.</Text>
          ) : null}
          {attributions.data.nur_pseudonymise ? (
            <Text size="sm">
              Les numéros uniques (NUR) sont remplacés par des pseudonymes (PS-…) : le même ménage garde le même pseudonyme d’un tableau et d’un export à
              l’autre.
            </Text>
          ) : null}
          {coupee ? (
            <Text size="sm">
              Seules les {formatEntier(attributions.data.lignes.length)} premières (par date) sont listées : l’export les contient toutes (dans la limite
              fixée par l’administrateur), ou choisissez un bailleur, un contingent ou une commune depuis la page de l’objectif.
            </Text>
          ) : null}
          <DataTable
            tableau={attributions.data}
            legende={`${attributions.data.titre} — ${nomPerimetre}`}
            rendus={{ quartile: (l) => (l.quartile === null ? 'inconnu' : `Q${l.quartile}`) }}
            vide="Aucune attribution."
            exportServeur={{ ressource: 'attributions', indicateur, periode, perimetre_type: type, perimetre_id: id }}
          />
        </>
      ) : null}
    </Stack>
  );
}
