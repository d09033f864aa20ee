import { Alert, Anchor, Button, Group, NativeSelect, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import type { GouvernanceApi } from '@mixite/contract';
import { GENRES_INSTANCE_API } from '@mixite/contract';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'wouter';
import { Chargement, Erreur } from '../components/Etat.tsx';
import { envoyer } from '../lib/api.ts';
import { lecture } from '../lib/client.ts';
import { formatDate } from '../lib/format.ts';
import { useLien } from '../lib/navigation.ts';
import { libellePartenaire } from '../lib/partenaires.ts';
import { anneeChoisie, useTerritoire } from '../lib/territoire.tsx';
import { useApi } from '../lib/use-api.ts';
import { EngagementsParPartenaire } from './programme/Engagements.tsx';
import type { SaisieReunion } from './programme/FormulaireReunion.tsx';
import { FormulaireReunion } from './programme/FormulaireReunion.tsx';
import { LIBELLES_GENRE_INSTANCE } from './programme/commun.ts';

/**
 * « Instances et réunions » (issue 19, docs/programme.md): the CIA's instances and their members, their meetings
 * (each opens its page: agenda, minutes, decisions, attendance) and the partners' commitments by partner. The EPCI
 * records instances, meetings and commitments; the partners read; the public reads without minutes nor attendance.
 */
export function InstancesPage() {
  const territoire = useTerritoire();
  const [params] = useSearchParams();
  const annee = anneeChoisie(territoire.data, params.get('annee'));
  const charge = useApi(annee ? lecture('/api/programme/instances', { query: { annee } }) : null);
  const [maj, setMaj] = useState<GouvernanceApi | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; texte: string } | null>(null);
  const [envoi, setEnvoi] = useState(false);
  const lien = useLien();
  const g = maj ?? charge.data;

  useEffect(() => {
    document.title = 'Instances et réunions — Mixité';
  }, []);

  const agir = async (action: () => Promise<GouvernanceApi>, reussite: string) => {
    setEnvoi(true);
    setMessage(null);
    try {
      setMaj(await action());
      setMessage({ ok: true, texte: reussite });
      return true;
    } catch (error) {
      setMessage({ ok: false, texte: (error as Error).message });
      return false;
    } finally {
      setEnvoi(false);
    }
  };

  if (territoire.error) return <Erreur error={territoire.error} />;
  if (charge.error) return <Erreur error={charge.error} titre="Instances indisponibles" />;
  if (!g || !annee) return <Chargement quoi="des instances" />;
  const nomInstance = (id: number) => g.instances.find((i) => i.id === id)?.nom ?? `instance ${id}`;
  return (
    <Stack gap="lg">
      <Anchor {...lien(`/programme?annee=${annee}`)}>← Programme d’actions</Anchor>
      <div>
        <Title order={1}>Instances et réunions</Title>
        <Text>Les instances de la convention, leurs réunions et leurs décisions, et les engagements de chaque partenaire.</Text>
      </div>
      {message ? (
        <Alert variant="outline" color={message.ok ? 'teal.9' : 'red.9'} role={message.ok ? 'status' : 'alert'} title={message.ok ? 'Enregistré' : 'Refusé'}>
          {message.texte}
        </Alert>
      ) : null}

      <section aria-labelledby="instances">
        <Title order={2} id="instances">
          Instances
        </Title>
        {g.instances.length === 0 ? (
          <Text>Aucune instance enregistrée.</Text>
        ) : (
          <Table striped mt="xs">
            <Table.Caption>Instances de la convention et leurs membres</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Instance</Table.Th>
                <Table.Th scope="col">Nature</Table.Th>
                <Table.Th scope="col">Membres</Table.Th>
                <Table.Th scope="col">Fréquence</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {g.instances.map((i) => (
                <Table.Tr key={i.id}>
                  <Table.Td>{i.nom}</Table.Td>
                  <Table.Td>{LIBELLES_GENRE_INSTANCE[i.genre]}</Table.Td>
                  <Table.Td>{i.membres.map((m) => libellePartenaire(m, territoire.data?.perimetres)).join(', ')}</Table.Td>
                  <Table.Td>{i.frequence ?? '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {g.modifiable ? <NouvelleInstance envoi={envoi} onCreer={(corps) => void agir(() => envoyer('post', '/api/programme/instances', { query: { annee }, corps }), `Instance « ${corps.nom} » créée.`)} /> : null}
      </section>

      <section aria-labelledby="reunions">
        <Title order={2} id="reunions">
          Réunions
        </Title>
        {g.reunions.length === 0 ? (
          <Text>Aucune réunion enregistrée.</Text>
        ) : (
          <Table striped mt="xs">
            <Table.Caption>Réunions des instances, de la plus ancienne à la plus récente</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Date</Table.Th>
                <Table.Th scope="col">Instance</Table.Th>
                <Table.Th scope="col">Ordre du jour</Table.Th>
                <Table.Th scope="col">Décisions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {g.reunions.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>
                    <Anchor {...lien(`/programme/reunions/${r.id}?annee=${annee}`)}>{formatDate(r.date)}</Anchor>
                  </Table.Td>
                  <Table.Td>{nomInstance(r.instance_id)}</Table.Td>
                  <Table.Td>{r.ordre_du_jour}</Table.Td>
                  <Table.Td>{r.decisions.length}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {g.modifiable && g.instances.length > 0 ? (
          <Paper withBorder p="md" mt="md" component="section" aria-labelledby="nouvelle-reunion">
            <Title order={3} size="h4" id="nouvelle-reunion">
              Enregistrer une réunion
            </Title>
            <FormulaireReunion
              key={g.reunions.length}
              gouvernance={g}
              reunion={null}
              envoi={envoi}
              onEnvoyer={(corps: SaisieReunion) => void agir(() => envoyer('post', '/api/programme/reunions', { query: { annee }, corps }), `Réunion du ${formatDate(corps.date)} enregistrée.`)}
            />
          </Paper>
        ) : null}
      </section>

      <EngagementsParPartenaire gouvernance={g} annee={annee} envoi={envoi} agir={agir} />
    </Stack>
  );
}

function NouvelleInstance({ envoi, onCreer }: { envoi: boolean; onCreer: (corps: { genre: (typeof GENRES_INSTANCE_API)[number]; nom: string; membres: string[]; frequence: string | null }) => void }) {
  const [genre, setGenre] = useState<(typeof GENRES_INSTANCE_API)[number]>('cil');
  const [nom, setNom] = useState('');
  const [membres, setMembres] = useState('');
  const [frequence, setFrequence] = useState('');
  return (
    <Paper withBorder p="md" mt="md" component="section" aria-labelledby="nouvelle-instance">
      <Title order={3} size="h4" id="nouvelle-instance">
        Nouvelle instance
      </Title>
      <Group align="flex-end" mt="xs">
        <NativeSelect label="Nature" value={genre} data={GENRES_INSTANCE_API.map((x) => ({ value: x, label: LIBELLES_GENRE_INSTANCE[x] }))} onChange={(e) => setGenre(e.currentTarget.value as typeof genre)} />
        <TextInput label="Nom de l’instance" value={nom} onChange={(e) => setNom(e.currentTarget.value)} />
        <TextInput label="Membres" description="epci, etat, bailleur:ID… séparés par « ; »" value={membres} onChange={(e) => setMembres(e.currentTarget.value)} />
        <TextInput label="Fréquence" value={frequence} onChange={(e) => setFrequence(e.currentTarget.value)} />
        <Button
          disabled={envoi || nom.trim() === ''}
          onClick={() =>
            onCreer({
              genre,
              nom,
              membres: membres
                .split(';')
                .map((m) => m.trim())
                .filter((m) => m !== ''),
              frequence: frequence.trim() === '' ? null : frequence,
            })
          }
        >
          Créer l’instance
        </Button>
      </Group>
    </Paper>
  );
}
