import { Anchor, Stack, Text, Title } from '@mantine/core';
import { useLien } from '../lib/navigation.ts';

export function NotFoundPage() {
  const lien = useLien();
  return (
    <Stack>
      <Title order={1}>Page introuvable</Title>
      <Text>
        Cette adresse ne correspond à aucune page. Revenir au <Anchor {...lien('/')}>tableau de bord</Anchor>.
      </Text>
    </Stack>
  );
}
