import { List, Stack, Text } from '@mantine/core';
import type { ExplicationCotation } from '@mixite/contract';
import { delaiEnMots, pointsEnMots, positionnementEnMots, similairesEnMots } from '@mixite/core';
import { formatNombre } from '../../lib/format.ts';

/**
 * A request's cotation as the law says the demandeur is told it (L441-2-8 CCH): the note and its lines, the
 * positioning among similar requests with what « similar » means, and the average waiting time of similar requests
 * (the same words as the applicant's letter: core's information-demandeur.ts).
 */
export function ExplicationDemande({ e }: { e: ExplicationCotation }) {
  return (
    <Stack gap="xs" component="section" aria-label={`Cotation de la demande ${e.nur}`}>
      <Text>
        Demande {e.nur}, au {e.date}, grille « {e.grille.nom} » (version {e.grille.version}) : note <strong>{formatNombre(e.note)}</strong>.
      </Text>
      <List>
        {e.lignes.map((l) => (
          <List.Item key={l.id}>{pointsEnMots(l)}</List.Item>
        ))}
      </List>
      <Text>
        <strong>Positionnement :</strong> {positionnementEnMots(e)}.
      </Text>
      <Text>
        <strong>Demandes similaires :</strong> {similairesEnMots(e.cle_similarite)}.
      </Text>
      <Text>
        <strong>Délai moyen d’attente des demandes similaires :</strong> {delaiEnMots(e)}.
      </Text>
    </Stack>
  );
}
