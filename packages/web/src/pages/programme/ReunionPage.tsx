import { Alert, Anchor, List, Paper, Stack, Text, Title } from '@mantine/core';
import type { GouvernanceApi } from '@mixite/contract';
import { useEffect, useState } from 'react';
import { useParams, useSearchParams } from 'wouter';
import { Chargement, Erreur } from '../../components/Etat.tsx';
import { envoyer } from '../../lib/api.ts';
import { lecture } from '../../lib/client.ts';
import { formatDate } from '../../lib/format.ts';
import { useLien } from '../../lib/navigation.ts';
import { libellePartenaire } from '../../lib/partenaires.ts';
import { anneeChoisie, useTerritoire } from '../../lib/territoire.tsx';
import { useApi } from '../../lib/use-api.ts';
import { FormulaireReunion } from './FormulaireReunion.tsx';

/**
 * A meeting's page (issue 19): its instance, agenda, documents presented, minutes, decisions (each with the fiches it
 * concerns, linked) and attendance, signed by who recorded it last; the EPCI writes the minutes and decisions here.
 */
export function ReunionPage() {
  const { id = '' } = useParams<{ id: string }>();
  const territoire = useTerritoire();
  const [params] = useSearchParams();
  const annee = anneeChoisie(territoire.data, params.get('annee'));
  const charge = useApi(annee ? lecture('/api/programme/instances', { query: { annee } }) : null);
  const [maj, setMaj] = useState<GouvernanceApi | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; texte: string } | null>(null);
  const [envoi, setEnvoi] = useState(false);
  const lien = useLien();
  const g = maj ?? charge.data;
  const reunion = g?.reunions.find((r) => String(r.id) === id) ?? null;
  const instance = reunion ? g?.instances.find((i) => i.id === reunion.instance_id) : undefined;

  useEffect(() => {
    document.title = `${reunion ? `Réunion du ${formatDate(reunion.date)}` : 'Réunion'} — Mixité`;
  }, [reunion]);

  if (territoire.error) return <Erreur error={territoire.error} />;
  if (charge.error) return <Erreur error={charge.error} titre="Réunion indisponible" />;
  if (!g || !annee) return <Chargement quoi="de la réunion" />;
  if (!reunion) return <Text>Réunion {id} introuvable.</Text>;
  return (
    <Stack gap="lg">
      <Anchor {...lien(`/programme/instances?annee=${annee}`)}>← Instances et réunions</Anchor>
      <div>
        <Title order={1}>
          Réunion du {formatDate(reunion.date)} — {instance?.nom ?? `instance ${reunion.instance_id}`}
        </Title>
        {reunion.auteur ? (
          <Text size="sm">
            Enregistrée par {reunion.auteur}
            {reunion.date_modification ? `, le ${formatDate(reunion.date_modification.slice(0, 10))}` : ''}
          </Text>
        ) : null}
      </div>
      {message ? (
        <Alert variant="outline" color={message.ok ? 'teal.9' : 'red.9'} role={message.ok ? 'status' : 'alert'} title={message.ok ? 'Enregistré' : 'Refusé'}>
          {message.texte}
        </Alert>
      ) : null}
      <section aria-labelledby="reunion-ordre">
        <Title order={2} id="reunion-ordre">
          Ordre du jour
        </Title>
        <Text style={{ whiteSpace: 'pre-wrap' }}>{reunion.ordre_du_jour}</Text>
        {reunion.documents.length > 0 ? (
          <>
            <Title order={3} size="h4" mt="sm">
              Documents présentés
            </Title>
            <List>
              {reunion.documents.map((d) => (
                <List.Item key={d}>{d}</List.Item>
              ))}
            </List>
          </>
        ) : null}
      </section>
      <section aria-labelledby="reunion-decisions">
        <Title order={2} id="reunion-decisions">
          Décisions
        </Title>
        {reunion.decisions.length === 0 ? (
          <Text>Aucune décision enregistrée.</Text>
        ) : (
          <List aria-label="Décisions de la réunion">
            {reunion.decisions.map((d) => (
              <List.Item key={d.texte}>
                {d.texte}
                {d.fiches.length > 0 ? (
                  <>
                    {' '}
                    (fiche{d.fiches.length > 1 ? 's' : ''}{' '}
                    {d.fiches.map((n, i) => (
                      <span key={n}>
                        {i > 0 ? ', ' : ''}
                        <Anchor {...lien(`/programme/fiches/${n}?annee=${annee}`)}>{n}</Anchor>
                      </span>
                    ))}
                    )
                  </>
                ) : null}
              </List.Item>
            ))}
          </List>
        )}
      </section>
      <section aria-labelledby="reunion-compte-rendu">
        <Title order={2} id="reunion-compte-rendu">
          Compte rendu
        </Title>
        <Text style={{ whiteSpace: 'pre-wrap' }}>{reunion.compte_rendu ?? 'Pas de compte rendu (ou non publié).'}</Text>
        {reunion.presents.length > 0 ? <Text mt="xs">Présents : {reunion.presents.map((p) => libellePartenaire(p, territoire.data?.perimetres)).join(', ')}</Text> : null}
      </section>
      {g.modifiable ? (
        <Paper withBorder p="md" component="section" aria-labelledby="reunion-modifier">
          <Title order={2} size="h3" id="reunion-modifier">
            Modifier la réunion
          </Title>
          <FormulaireReunion
            gouvernance={g}
            reunion={reunion}
            envoi={envoi}
            onEnvoyer={(corps) => {
              setEnvoi(true);
              setMessage(null);
              envoyer('put', '/api/programme/reunions/{id}', { params: { id: reunion.id }, query: { annee }, corps })
                .then((r) => {
                  setMaj(r);
                  setMessage({ ok: true, texte: 'Réunion mise à jour.' });
                })
                .catch((error: unknown) => setMessage({ ok: false, texte: (error as Error).message }))
                .finally(() => setEnvoi(false));
            }}
          />
        </Paper>
      ) : null}
    </Stack>
  );
}
