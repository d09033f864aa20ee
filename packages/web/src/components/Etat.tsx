import { Alert, Badge, Group, Loader, Text } from '@mantine/core';

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
