import { Alert, Anchor, Button, Group, Loader, Radio, Text } from '@mantine/core';
import type { Edition } from '@mixite/core';
import { EDITION_PAR_DEFAUT, LIBELLES_EDITION, MENTION_DIFFUSION_RESTREINTE } from '@mixite/core';
import { useState } from 'react';
import { useSession } from '../lib/session.tsx';

type Etat = { kind: 'repos' } | { kind: 'production' } | { kind: 'pret' } | { kind: 'erreur'; message: string };

/**
 * Produces the annual bilan of a year (the server renders the three files together, then keeps them), then offers
 * the three downloads. Producing takes seconds: a spinner says so. It asks which edition (issue 12): `public`
 * (statistical secrecy) or, for the partner accounts, `partenaires` (unmasked, « Diffusion restreinte aux membres de
 * la CIL »); the file names say it, as the server names them. With `simulation` (the id of a finished simulation of
 * this account, page Simulation), the files carry the annex « Simulation des politiques d’attribution » (issue 16).
 */
export function BoutonBilan({ annee, simulation }: { annee: number; simulation?: string }) {
  const { session } = useSession();
  const partenaire = session?.droits.partenaire ?? false;
  const [edition, setEdition] = useState<Edition>(EDITION_PAR_DEFAUT);
  const [etat, setEtat] = useState<Etat>({ kind: 'repos' });
  const choisie: Edition = partenaire ? edition : 'public';
  const url = (format: 'docx' | 'pdf' | 'xlsx') => `/api/bilan/${annee}/${format}?edition=${choisie}${simulation ? `&simulation=${simulation}` : ''}`;
  const nom = (format: 'docx' | 'pdf' | 'xlsx') => `bilan-${annee}-${choisie}${simulation ? '-avec-simulation' : ''}.${format}`;
  const titre = simulation ? `titre-bilan-simulation-${simulation}` : 'titre-bilan';

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
    <section aria-labelledby={titre}>
      {/* One band above the targets (issue 12, item 7: the bilan button above the fold). */}
      <Group align="center" gap="lg" wrap="wrap">
        <Text component="h2" id={titre} fw={700} size="lg" title="Document Word éditable, PDF et classeur Excel de tous les tableaux">
          {simulation ? `Bilan ${annee} avec cette simulation en annexe` : 'Bilan annuel pour la CIL'}
        </Text>
        {partenaire ? (
          <Radio.Group
            aria-label="Édition du bilan"
            value={edition}
            onChange={(v) => {
              setEdition(v as Edition);
              setEtat({ kind: 'repos' });
            }}
          >
            <Group gap="md">
              <Radio value="public" label="Publique (secret statistique)" title={LIBELLES_EDITION.public} />
              <Radio value="partenaires" label="Partenaires (membres de la CIL)" title={`${LIBELLES_EDITION.partenaires} — « ${MENTION_DIFFUSION_RESTREINTE} »`} />
            </Group>
          </Radio.Group>
        ) : (
          <Text size="sm">{LIBELLES_EDITION.public}.</Text>
        )}
        <Group aria-live="polite">
          {etat.kind === 'pret' ? (
            <>
              <Anchor href={url('docx')} download>{`${nom('docx')} (Word)`}</Anchor>
              <Anchor href={url('pdf')} download>{`${nom('pdf')} (PDF)`}</Anchor>
              <Anchor href={url('xlsx')} download>{`${nom('xlsx')} (Excel)`}</Anchor>
            </>
          ) : (
            <Button onClick={produire} disabled={etat.kind === 'production'} title="Document Word éditable, PDF et classeur Excel de tous les tableaux">
              Produire le bilan {annee}
            </Button>
          )}
          {etat.kind === 'production' ? (
            <Group gap="xs">
              <Loader size="sm" aria-hidden />
              <Text size="sm">Production du bilan en cours (calcul de toutes les périodes, mise en page)…</Text>
            </Group>
          ) : null}
        </Group>
      </Group>
      {etat.kind === 'erreur' ? (
        <Alert color="red.9" variant="outline" mt="xs" role="alert" title="Bilan impossible">
          {etat.message}
        </Alert>
      ) : null}
    </section>
  );
}
