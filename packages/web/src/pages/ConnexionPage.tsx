import { Alert, Button, Container, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import type { SessionApi } from '@mixite/server/contract';
import { useEffect, useRef, useState } from 'react';
import { ApiError, envoyer } from '../lib/api.ts';

/**
 * The login of the production mode. The server answers a wrong password and an unknown address alike, and throttles
 * repeated failures (the message then says how long to wait). It says nothing about which accounts exist: how to
 * create the first administrator is told by the server's log and the command line only.
 */
export function ConnexionPage({ onConnecte }: { onConnecte: (session: SessionApi) => void }) {
  const [email, setEmail] = useState('');
  const [motDePasse, setMotDePasse] = useState('');
  const [erreur, setErreur] = useState<string | null>(null);
  const [enCours, setEnCours] = useState(false);
  const alerte = useRef<HTMLDivElement>(null);

  useEffect(() => {
    document.title = 'Connexion — Mixité';
  }, []);

  useEffect(() => {
    if (erreur) alerte.current?.focus();
  }, [erreur]);

  const connecter = async () => {
    setEnCours(true);
    setErreur(null);
    try {
      onConnecte(await envoyer('post', '/api/session', { corps: { email, mot_de_passe: motDePasse } }));
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
        <Text size="sm">Un compte vous est donné par l’administrateur de Mixité de votre EPCI ; il ne se crée pas ici.</Text>
      </Stack>
    </Container>
  );
}
