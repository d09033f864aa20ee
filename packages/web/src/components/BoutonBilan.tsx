import { Alert, Anchor, Button, Group, Loader, Text } from '@mantine/core';
import { useState } from 'react';

type Etat = { kind: 'repos' } | { kind: 'production' } | { kind: 'pret' } | { kind: 'erreur'; message: string };

/**
 * Produces the annual bilan of a year (the server renders the three files together, then keeps them), then offers
 * the three downloads. Producing takes seconds: a spinner says so.
 */
export function BoutonBilan({ annee }: { annee: number }) {
  const [etat, setEtat] = useState<Etat>({ kind: 'repos' });
  const url = (format: 'docx' | 'pdf' | 'xlsx') => `/api/bilan/${annee}/${format}`;

  const produire = async () => {
    setEtat({ kind: 'production' });
    try {
      const reponse = await fetch(url('pdf'), { credentials: 'same-origin' });
      if (!reponse.ok) {
        const corps = (await reponse.json().catch(() => null)) as { message?: string } | null;
        throw new Error(corps?.message ?? `erreur ${reponse.status}`);
      }
      await reponse.arrayBuffer();
      setEtat({ kind: 'pret' });
    } catch (error) {
      setEtat({ kind: 'erreur', message: (error as Error).message });
    }
  };

  return (
    <section aria-labelledby="titre-bilan">
      <Text component="h2" id="titre-bilan" fw={700} size="xl">
        Bilan annuel pour la CIL
      </Text>
      <Text size="sm">Document Word éditable, PDF et classeur Excel de tous les tableaux, secret statistique appliqué.</Text>
      <Group mt="xs" aria-live="polite">
        {etat.kind === 'pret' ? (
          <>
            <Anchor href={url('docx')} download>{`bilan-${annee}.docx (Word)`}</Anchor>
            <Anchor href={url('pdf')} download>{`bilan-${annee}.pdf (PDF)`}</Anchor>
            <Anchor href={url('xlsx')} download>{`bilan-${annee}.xlsx (Excel)`}</Anchor>
          </>
        ) : (
          <Button onClick={produire} disabled={etat.kind === 'production'}>
            Produire le bilan {annee} (Word, PDF, Excel)
          </Button>
        )}
        {etat.kind === 'production' ? (
          <Group gap="xs">
            <Loader size="sm" aria-hidden />
            <Text size="sm">Production du bilan en cours (calcul de toutes les périodes, mise en page)…</Text>
          </Group>
        ) : null}
      </Group>
      {etat.kind === 'erreur' ? (
        <Alert color="red.9" variant="outline" mt="xs" role="alert" title="Bilan impossible">
          {etat.message}
        </Alert>
      ) : null}
    </section>
  );
}
