import { Alert, Badge, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useApi } from '../lib/use-api.ts';
import { lecture } from '../lib/client.ts';

/** What a page shows while its data loads, or when the server refused. */
export function Chargement({ quoi }: { quoi: string }) {
  return (
    <Group gap="xs" my="md" role="status">
      <Loader size="sm" />
      <Text>Chargement {quoi}…</Text>
    </Group>
  );
}

export function Erreur({ error, titre = 'Données indisponibles' }: { error: Error; titre?: string }) {
  return (
    <Alert color="red" title={titre} role="alert" my="md" variant="outline">
      {error.message}
    </Alert>
  );
}

/** Whether a target is met, in words and colour (never colour alone). */
export function BadgeAtteint({ atteint, cible }: { atteint: boolean | null; cible?: number | null }) {
  if (atteint === null) {
    return (
      <Badge variant="outline" color="gray.8">
        {cible === null ? 'Sans objectif' : 'Non calculable'}
      </Badge>
    );
  }
  return atteint ? (
    <Badge variant="filled" color="teal.9">
      Atteint
    </Badge>
  ) : (
    <Badge variant="filled" color="red.9">
      Non atteint
    </Badge>
  );
}

/** Said above the tables the server published with small cells masked (role lecteur). */
export function NoteSecret() {
  const configuration = useApi(lecture('/api/configuration'));
  const seuil = configuration.data?.contenu.secret_statistique;
  return (
    <Text size="sm">
      Secret statistique : les effectifs de moins de {seuil ?? 11} ménages, et ceux qui permettraient de les recalculer, sont remplacés par « — ».
    </Text>
  );
}

/** A page the account's role may not use (the navigation hides it; an address typed by hand lands here). */
export function PageReservee({ titre }: { titre: string }) {
  return (
    <Stack>
      <Title order={1}>{titre}</Title>
      <Text>Cette page est réservée à d’autres rôles que le vôtre.</Text>
    </Stack>
  );
}
