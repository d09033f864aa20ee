import { Anchor, Badge, Group, NativeSelect, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import { useSearchParams } from 'wouter';
import { Chargement, Erreur } from '../components/Etat.tsx';
import { lecture } from '../lib/client.ts';
import { formatDate } from '../lib/format.ts';
import { useLien } from '../lib/navigation.ts';
import { libellePartenaire } from '../lib/partenaires.ts';
import { anneeChoisie, useTerritoire } from '../lib/territoire.tsx';
import { useApi } from '../lib/use-api.ts';
import { libelleStatut, parOrientation } from './programme/commun.ts';

/**
 * « Programme d’actions » (issue 19, docs/programme.md): the fiches action of the CIA by orientation, with their pilot
 * and their status of the year; each opens its page (indicators, status history, comments).
 */
export function ProgrammePage() {
  const territoire = useTerritoire();
  const [params, setParams] = useSearchParams();
  const annee = anneeChoisie(territoire.data, params.get('annee'));
  const programme = useApi(annee ? lecture('/api/programme', { query: { annee } }) : null);
  const lien = useLien();

  useEffect(() => {
    document.title = `Programme d’actions${annee ? ` ${annee}` : ''} — Mixité`;
  }, [annee]);

  if (territoire.error) return <Erreur error={territoire.error} />;
  if (!territoire.data) return <Chargement quoi="du territoire" />;
  const p = programme.data;
  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>Programme d’actions{annee ? ` ${annee}` : ''}</Title>
          <Text>
            Les fiches action de la convention, par orientation : leur pilote et leur état d’avancement de l’année. Les partenaires commentent les fiches qu’ils
            pilotent ou dont ils sont partenaires ; l’EPCI en tient les statuts.
          </Text>
        </div>
        {territoire.data.annees.length > 0 ? (
          <NativeSelect label="Année" value={String(annee ?? '')} data={[...territoire.data.annees].reverse().map(String)} onChange={(e) => setParams({ annee: e.currentTarget.value })} w={120} />
        ) : null}
      </Group>
      {programme.error ? <Erreur error={programme.error} titre="Programme indisponible" /> : null}
      {annee && !p && !programme.error ? <Chargement quoi="du programme d’actions" /> : null}
      {p && !p.convention ? <Text>Aucun programme d’actions n’a encore été importé (commande « mixite programme importer », voir la documentation).</Text> : null}
      <Anchor {...lien(`/programme/instances${annee ? `?annee=${annee}` : ''}`)}>Instances, réunions et engagements des partenaires</Anchor>
      {p?.convention ? (
        <Text size="sm">
          {p.convention.intitule} — du {formatDate(p.convention.date_debut)} au {formatDate(p.convention.date_fin)} · {p.fiches.length} fiches action
        </Text>
      ) : null}
      {p
        ? parOrientation(p.fiches).map((g, i) => (
            <section key={g.orientation} aria-labelledby={`orientation-${i}`}>
              <Title order={2} id={`orientation-${i}`} size="h3">
                {g.orientation}
              </Title>
              <Table mt="xs" striped>
                <Table.Caption>Fiches de l’orientation « {g.orientation} » et leur statut {annee}</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">N°</Table.Th>
                    <Table.Th scope="col">Fiche action</Table.Th>
                    <Table.Th scope="col">Pilote</Table.Th>
                    <Table.Th scope="col">Statut {annee}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {g.fiches.map((f) => (
                    <Table.Tr key={f.numero}>
                      <Table.Td>{f.numero}</Table.Td>
                      <Table.Td>
                        <Anchor {...lien(`/programme/fiches/${f.numero}?annee=${annee}`)}>{f.titre}</Anchor>
                      </Table.Td>
                      <Table.Td>{libellePartenaire(f.pilote, territoire.data?.perimetres)}</Table.Td>
                      <Table.Td>
                        <Badge variant="outline" color="dark">
                          {libelleStatut(f.statut)}
                        </Badge>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </section>
          ))
        : null}
    </Stack>
  );
}
