import { Anchor, List, Text, Title } from '@mantine/core';
import { lecture } from '../../lib/client.ts';
import { formatDate } from '../../lib/format.ts';
import { useLien } from '../../lib/navigation.ts';
import { useApi } from '../../lib/use-api.ts';
import { TableEngagements } from './Engagements.tsx';

/**
 * On a fiche's page (issue 19): the partners' commitments serving the fiche and the decisions of the instances that
 * concern it, each with its meeting. Read-only here: the EPCI records them on « Instances et réunions ».
 */
export function GouvernanceFiche({ numero, annee }: { numero: number; annee: number }) {
  const g = useApi(lecture('/api/programme/instances', { query: { annee } }));
  const lien = useLien();
  if (!g.data) return null;
  const engagements = g.data.engagements.filter((e) => e.fiche === numero);
  const decisions = g.data.reunions.flatMap((r) => r.decisions.filter((d) => d.fiches.includes(numero)).map((d) => ({ reunion: r, texte: d.texte })));
  const nom = (id: number) => g.data?.instances.find((i) => i.id === id)?.nom ?? `instance ${id}`;
  return (
    <section aria-labelledby="fiche-gouvernance">
      <Title order={2} id="fiche-gouvernance">
        Engagements et décisions
      </Title>
      {engagements.length === 0 ? (
        <Text mt="xs">Aucun engagement de partenaire rattaché à cette fiche.</Text>
      ) : (
        <TableEngagements engagements={engagements} legende={`Engagements des partenaires pour la fiche ${numero}`} annee={annee} modifiable={false} envoi={false} agir={null} />
      )}
      <Title order={3} size="h4" mt="sm">
        Décisions des instances
      </Title>
      {decisions.length === 0 ? (
        <Text>Aucune décision d’instance ne concerne cette fiche.</Text>
      ) : (
        <List aria-label="Décisions concernant la fiche">
          {decisions.map((d) => (
            <List.Item key={`${d.reunion.id}-${d.texte}`}>
              <Anchor {...lien(`/programme/reunions/${d.reunion.id}?annee=${annee}`)}>
                {nom(d.reunion.instance_id)}, {formatDate(d.reunion.date)}
              </Anchor>{' '}
              : {d.texte}
            </List.Item>
          ))}
        </List>
      )}
      <Anchor mt="xs" display="inline-block" {...lien(`/programme/instances?annee=${annee}`)}>
        Instances et réunions
      </Anchor>
    </section>
  );
}
