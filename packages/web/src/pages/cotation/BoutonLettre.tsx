import { Alert, Button, Stack } from '@mantine/core';
import { useState } from 'react';
import { telechargerEnvoi } from '../../lib/api.ts';

/**
 * The applicant's letter (issue 15 item 5, L441-2-8 CCH): the PDF of the request on screen, with the same grid and
 * date as its explanation. Shown to the roles that read the NUR in clear (a commune reads pseudonyms: the server
 * refuses it the letter); the server checks the perimeter and audits the letter.
 */
export function BoutonLettre({ grille, nur, date }: { grille: string; nur: string; date: string }) {
  const [enCours, setEnCours] = useState(false);
  const [erreur, setErreur] = useState<string | null>(null);
  const telecharger = async () => {
    setErreur(null);
    setEnCours(true);
    try {
      await telechargerEnvoi('post', '/api/cotation/lettre', { corps: { grille, fichier: 'grille.yaml', nur, date } }, `lettre-cotation-${nur}.pdf`);
    } catch (error) {
      setErreur((error as Error).message);
    } finally {
      setEnCours(false);
    }
  };
  return (
    <Stack gap="xs" align="flex-start">
      <Button variant="default" loading={enCours} onClick={() => void telecharger()}>
        Télécharger la lettre au demandeur (PDF)
      </Button>
      {erreur ? (
        <Alert color="red.9" variant="outline" title="Lettre impossible" role="alert">
          {erreur}
        </Alert>
      ) : null}
    </Stack>
  );
}
