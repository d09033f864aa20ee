import { Alert, Anchor, Button, Group, List, NativeSelect, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import type { FicheApi, ProgrammeApi } from '@mixite/contract';
import { STATUTS_FICHE_API } from '@mixite/contract';
import { useEffect, useState } from 'react';
import { useParams, useSearchParams } from 'wouter';
import { CourbesTendance } from '../../components/charts/index.ts';
import { Chargement, Erreur } from '../../components/Etat.tsx';
import { envoyer } from '../../lib/api.ts';
import { lecture } from '../../lib/client.ts';
import { formatDate, formatEntier, formatTaux } from '../../lib/format.ts';
import { useLien } from '../../lib/navigation.ts';
import { libellePartenaire } from '../../lib/partenaires.ts';
import { anneeChoisie, useTerritoire } from '../../lib/territoire.tsx';
import { useApi } from '../../lib/use-api.ts';
import { LIBELLES_STATUT, libelleStatut } from './commun.ts';
import { GouvernanceFiche } from './GouvernanceFiche.tsx';

type Statut = (typeof STATUTS_FICHE_API)[number];

/**
 * A fiche action's page (issue 19): its stakes, steps, pilot and partners; its linked indicators (the engine's value
 * each year, chart then table); its status of the year (the EPCI changes it) and the history of its statuses; the
 * partners' comments (the pilot and partners of the fiche, and the EPCI, add theirs). Every change is signed and dated.
 */
export function FichePage() {
  const { numero = '' } = useParams<{ numero: string }>();
  const territoire = useTerritoire();
  const [params] = useSearchParams();
  const annee = anneeChoisie(territoire.data, params.get('annee'));
  const charge = useApi(annee ? lecture('/api/programme', { query: { annee } }) : null);
  const [maj, setMaj] = useState<ProgrammeApi | null>(null);
  const lien = useLien();
  const p = maj ?? charge.data;
  const fiche = p?.fiches.find((f) => String(f.numero) === numero) ?? null;

  useEffect(() => {
    document.title = `${fiche ? `Fiche ${fiche.numero} — ${fiche.titre}` : 'Fiche action'} — Mixité`;
  }, [fiche]);

  if (territoire.error) return <Erreur error={territoire.error} />;
  if (charge.error) return <Erreur error={charge.error} titre="Programme indisponible" />;
  if (!p || !annee) return <Chargement quoi="de la fiche action" />;
  if (!fiche) return <Text>Fiche action {numero} introuvable dans le programme d’actions.</Text>;
  return (
    <Stack gap="lg">
      <Anchor {...lien(`/programme?annee=${annee}`)}>← Programme d’actions</Anchor>
      <div>
        <Title order={1}>
          Fiche {fiche.numero} — {fiche.titre}
        </Title>
        <Text>{fiche.orientation}</Text>
      </div>
      <Presentation fiche={fiche} />
      <Indicateurs fiche={fiche} />
      <Suivi programme={p} fiche={fiche} annee={annee} onMaj={setMaj} />
      <GouvernanceFiche numero={fiche.numero} annee={annee} />
    </Stack>
  );
}

function Presentation({ fiche }: { fiche: FicheApi }) {
  const territoire = useTerritoire();
  return (
    <section aria-labelledby="fiche-presentation">
      <Title order={2} id="fiche-presentation">
        La fiche
      </Title>
      {fiche.enjeux ? <Text mt="xs">{fiche.enjeux}</Text> : null}
      <Text mt="xs">
        <strong>Pilote :</strong> {libellePartenaire(fiche.pilote, territoire.data?.perimetres)}
        {fiche.partenaires.length > 0 ? (
          <>
            {' '}
            · <strong>Partenaires :</strong> {fiche.partenaires.map((p) => libellePartenaire(p, territoire.data?.perimetres)).join(', ')}
          </>
        ) : null}
      </Text>
      {fiche.etapes.length > 0 ? (
        <>
          <Title order={3} mt="sm" size="h4">
            Calendrier
          </Title>
          <List>
            {fiche.etapes.map((e) => (
              <List.Item key={e}>{e}</List.Item>
            ))}
          </List>
        </>
      ) : null}
      {fiche.indicateurs_qualitatifs.length > 0 ? (
        <>
          <Title order={3} mt="sm" size="h4">
            Indicateurs qualitatifs
          </Title>
          <List>
            {fiche.indicateurs_qualitatifs.map((e) => (
              <List.Item key={e}>{e}</List.Item>
            ))}
          </List>
        </>
      ) : null}
    </section>
  );
}

function Indicateurs({ fiche }: { fiche: FicheApi }) {
  if (fiche.indicateurs.length === 0) return null;
  return (
    <section aria-labelledby="fiche-indicateurs">
      <Title order={2} id="fiche-indicateurs">
        Indicateurs de suivi
      </Title>
      {fiche.indicateurs.map((i) => {
        const annees = i.valeurs.map((v) => v.annee);
        return (
          <Stack key={`${i.indicateur}-${i.perimetre_id ?? ''}`} gap="xs" mt="sm">
            <CourbesTendance
              titre={i.libelle}
              annees={annees}
              series={[{ libelle: i.libelle, points: i.valeurs.map((v) => ({ annee: v.annee, valeur: v.taux })), cible: i.valeurs.at(-1)?.cible ?? null }]}
            />
            <Table striped>
              <Table.Caption>{i.libelle} : valeur de chaque année</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Année</Table.Th>
                  <Table.Th scope="col">Numérateur</Table.Th>
                  <Table.Th scope="col">Dénominateur</Table.Th>
                  <Table.Th scope="col">Taux</Table.Th>
                  <Table.Th scope="col">Cible</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {i.valeurs.map((v) => (
                  <Table.Tr key={v.annee}>
                    <Table.Td>{v.annee}</Table.Td>
                    <Table.Td>{formatEntier(v.numerateur)}</Table.Td>
                    <Table.Td>{formatEntier(v.denominateur)}</Table.Td>
                    <Table.Td>{formatTaux(v.taux)}</Table.Td>
                    <Table.Td>{formatTaux(v.cible)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Stack>
        );
      })}
    </section>
  );
}

function Suivi({ programme, fiche, annee, onMaj }: { programme: ProgrammeApi; fiche: FicheApi; annee: number; onMaj: (p: ProgrammeApi) => void }) {
  const territoire = useTerritoire();
  const [statut, setStatut] = useState<Statut>(fiche.statut ?? 'non_commencee');
  const [texte, setTexte] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; texte: string } | null>(null);
  const [envoi, setEnvoi] = useState(false);
  const historique = programme.historique.filter((h) => h.numero === fiche.numero);
  const commentaires = programme.commentaires.filter((c) => c.numero === fiche.numero);

  const agir = async (action: () => Promise<ProgrammeApi>, reussite: string) => {
    setEnvoi(true);
    setMessage(null);
    try {
      onMaj(await action());
      setMessage({ ok: true, texte: reussite });
      return true;
    } catch (error) {
      setMessage({ ok: false, texte: (error as Error).message });
      return false;
    } finally {
      setEnvoi(false);
    }
  };

  return (
    <section aria-labelledby="fiche-suivi">
      <Title order={2} id="fiche-suivi">
        Suivi {annee}
      </Title>
      <Text mt="xs">
        Statut {annee} : <strong>{libelleStatut(fiche.statut)}</strong>
      </Text>
      {message ? (
        <Alert mt="sm" variant="outline" color={message.ok ? 'teal.9' : 'red.9'} role={message.ok ? 'status' : 'alert'} title={message.ok ? 'Enregistré' : 'Refusé'}>
          {message.texte}
        </Alert>
      ) : null}
      {programme.modifiable ? (
        <Group align="flex-end" mt="sm">
          <NativeSelect
            label={`Nouveau statut ${annee}`}
            value={statut}
            data={STATUTS_FICHE_API.map((s) => ({ value: s, label: LIBELLES_STATUT[s] }))}
            onChange={(e) => setStatut(e.currentTarget.value as Statut)}
          />
          <Button
            disabled={envoi}
            onClick={() => void agir(() => envoyer('put', '/api/programme/fiches/{numero}/statut', { params: { numero: fiche.numero }, corps: { annee, statut } }), `Statut ${annee} enregistré : ${LIBELLES_STATUT[statut]}.`)}
          >
            Enregistrer le statut
          </Button>
        </Group>
      ) : null}

      <Title order={3} mt="md" size="h4">
        Historique des statuts
      </Title>
      {historique.length === 0 ? (
        <Text>Aucun statut enregistré.</Text>
      ) : (
        <Table striped>
          <Table.Caption>Statuts successifs de la fiche, datés et signés</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Date</Table.Th>
              <Table.Th scope="col">Année suivie</Table.Th>
              <Table.Th scope="col">Statut</Table.Th>
              <Table.Th scope="col">Par</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {historique.map((h, i) => (
              <Table.Tr key={`${h.date}-${i}`}>
                <Table.Td>{formatDate(h.date.slice(0, 10))}</Table.Td>
                <Table.Td>{h.annee}</Table.Td>
                <Table.Td>{LIBELLES_STATUT[h.statut]}</Table.Td>
                <Table.Td>{h.auteur}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}

      <Title order={3} mt="md" size="h4">
        Commentaires des partenaires
      </Title>
      {commentaires.length === 0 ? (
        <Text>Aucun commentaire.</Text>
      ) : (
        <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0 }} aria-label="Commentaires">
          {commentaires.map((c, i) => (
            <li key={`${c.date}-${i}`}>
              <Text size="sm">
                <strong>{libellePartenaire(c.partenaire, territoire.data?.perimetres)}</strong> ({c.auteur}), le {formatDate(c.date.slice(0, 10))}, pour {c.annee} :
              </Text>
              <Text>{c.texte}</Text>
            </li>
          ))}
        </Stack>
      )}
      {fiche.commentable ? (
        <Stack gap="xs" mt="sm">
          <Textarea label={`Votre commentaire pour ${annee}`} value={texte} onChange={(e) => setTexte(e.currentTarget.value)} autosize minRows={2} maxLength={4000} />
          <Group>
            <Button
              disabled={envoi || texte.trim() === ''}
              onClick={() =>
                void agir(() => envoyer('post', '/api/programme/fiches/{numero}/commentaires', { params: { numero: fiche.numero }, corps: { annee, texte } }), 'Commentaire publié.').then((ok) => {
                  if (ok) setTexte('');
                })
              }
            >
              Publier le commentaire
            </Button>
          </Group>
        </Stack>
      ) : (
        <Text size="sm" mt="sm">
          Seuls le pilote de la fiche, ses partenaires et l’EPCI la commentent.
        </Text>
      )}
    </section>
  );
}
