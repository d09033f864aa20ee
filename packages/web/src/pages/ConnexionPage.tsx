import { Alert, Button, Code, Container, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import type { Sante, SessionApi } from '@mixite/server/contract';
import { useEffect, useRef, useState } from 'react';
import { ApiError, getJson, sendJson } from '../lib/api.ts';

/**
 * The login of the production mode. The server answers a wrong password and an unknown address alike, and throttles
 * repeated failures (the message then says how long to wait). Without any administrator account yet, the page says
 * how to create the first one on the server: there is no default password.
 */
export function ConnexionPage({ onConnecte }: { onConnecte: (session: SessionApi) => void }) {
  const [email, setEmail] = useState('');
  const [motDePasse, setMotDePasse] = useState('');
  const [erreur, setErreur] = useState<string | null>(null);
  const [enCours, setEnCours] = useState(false);
  const [sante, setSante] = useState<Sante | null>(null);
  const alerte = useRef<HTMLDivElement>(null);

  useEffect(() => {
    document.title = 'Connexion — Mixité';
    getJson<Sante>('/api/sante')
      .then(setSante)
      .catch(() => undefined);
  }, []);

  useEffect(() => {
    if (erreur) alerte.current?.focus();
  }, [erreur]);

  const connecter = async () => {
    setEnCours(true);
    setErreur(null);
    try {
      onConnecte(await sendJson<SessionApi>('POST', '/api/session', { email, mot_de_passe: motDePasse }));
    } catch (error) {
      setMotDePasse('');
      setErreur(error instanceof ApiError && error.status === 422 ? 'Indiquez votre adresse e-mail et votre mot de passe.' : (error as Error).message);
    } finally {
      setEnCours(false);
    }
  };

  return (
    <Container size={460} py="xl" component="main">
      <Stack gap="md">
        <div>
          <Text fw={700} size="xl">
            Mixité
          </Text>
          <Text size="sm">Pilotage de la Convention Intercommunale d’Attribution</Text>
        </div>
        <Paper withBorder p="lg">
          <form
            onSubmit={(event) => {
              event.preventDefault();
              void connecter();
            }}
          >
            <Stack gap="sm">
              <Title order={1} size="h2">
                Connexion
              </Title>
              <TextInput label="Adresse e-mail" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
              <PasswordInput
                label="Mot de passe"
                autoComplete="current-password"
                required
                value={motDePasse}
                onChange={(e) => setMotDePasse(e.currentTarget.value)}
                visibilityToggleButtonProps={{ 'aria-label': 'Afficher ou masquer le mot de passe' }}
              />
              {erreur ? (
                <Alert ref={alerte} tabIndex={-1} color="red.9" variant="outline" title="Connexion refusée" role="alert">
                  {erreur.charAt(0).toUpperCase() + erreur.slice(1)}.
                </Alert>
              ) : null}
              <Button type="submit" loading={enCours}>
                Se connecter
              </Button>
            </Stack>
          </form>
        </Paper>
        {sante && !sante.compte_administrateur ? (
          <Alert color="indigo.9" variant="outline" title="Aucun compte n’existe encore">
            <Text size="sm">
              Il n’y a pas de mot de passe par défaut. Sur le serveur, Mixité arrêté, créez le premier compte administrateur avec{' '}
              <Code>npx mixite utilisateur ajouter --email vous@exemple.fr --role admin</Code>, puis relancez Mixité.
            </Text>
          </Alert>
        ) : null}
        <Text size="sm">Un compte vous est donné par l’administrateur de Mixité de votre EPCI ; il ne se crée pas ici.</Text>
      </Stack>
    </Container>
  );
}
