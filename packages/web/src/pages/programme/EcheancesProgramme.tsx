import { Anchor, List, Paper, Text, Title } from '@mantine/core';
import { lecture } from '../../lib/client.ts';
import { formatDate } from '../../lib/format.ts';
import { useLien } from '../../lib/navigation.ts';
import { useApi } from '../../lib/use-api.ts';

/**
 * On the dashboard (issue 19): the steps of the fiches action that are late (past, fiche neither done nor abandoned)
 * and the obligations due within 30 days — of the current calendar year, as the server's day says. Nothing shown
 * when there is nothing to say.
 */
export function EcheancesProgramme() {
  const annee = new Date().getFullYear();
  const cal = useApi(lecture('/api/programme/calendrier', { query: { annee } }));
  const lien = useLien();
  if (!cal.data) return null;
  const retards = cal.data.echeances.filter((e) => e.situation === 'en_retard');
  const proches = cal.data.echeances.filter((e) => e.situation === 'proche');
  if (retards.length === 0 && proches.length === 0) return null;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="echeances-programme">
      <Title order={2} size="h3" id="echeances-programme">
        Échéances du programme d’actions
      </Title>
      {retards.length > 0 ? (
        <>
          <Text fw={700} mt="xs">
            En retard ({retards.length})
          </Text>
          <List>
            {retards.map((e) => (
              <List.Item key={`${e.date}-${e.obligation}`}>
                {formatDate(e.date)} — {e.obligation}
              </List.Item>
            ))}
          </List>
        </>
      ) : null}
      {proches.length > 0 ? (
        <>
          <Text fw={700} mt="xs">
            Dans les 30 jours ({proches.length})
          </Text>
          <List>
            {proches.map((e) => (
              <List.Item key={`${e.date}-${e.obligation}`}>
                {formatDate(e.date)} — {e.obligation}
              </List.Item>
            ))}
          </List>
        </>
      ) : null}
      <Anchor mt="xs" display="inline-block" {...lien('/programme')}>
        Voir le programme d’actions
      </Anchor>
    </Paper>
  );
}
