import { Alert, Button, NativeSelect, NumberInput, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import type { ListeCaleol, RequeteDecisionsCaleol } from '@mixite/contract';
import { useState } from 'react';
import { envoyer } from '../../lib/api.ts';
import { formatDate } from '../../lib/format.ts';

type Choix = '' | RequeteDecisionsCaleol['candidats'][number]['decision'];

const CHOIX: readonly { value: Choix; label: string }[] = [
  { value: '', label: '(pas de décision)' },
  { value: 'attribution', label: 'Attribution' },
  { value: 'attribution_sous_condition', label: 'Attribution sous condition suspensive' },
  { value: 'non_attribution', label: 'Non-attribution' },
  { value: 'irrecevable', label: 'Irrecevabilité' },
];

interface Ligne {
  decision: Choix;
  rang: string | number;
  motif: string;
}

/**
 * The commission's decision on the listed candidates (R441-3): an attribution ranked, sous condition suspensive, a
 * non-attribution or an irrecevabilité (both motivated). The server checks everything and writes all or nothing; the
 * recorded decisions become allocation rows, so the dashboard follows at once.
 */
export function FormulaireDecision({ liste, onEnregistre }: { liste: ListeCaleol; onEnregistre: () => void }) {
  const [lignes, setLignes] = useState<Record<string, Ligne>>(() =>
    Object.fromEntries(liste.candidats.map((c) => [c.nur, { decision: c.rang === 1 ? 'attribution' : '', rang: c.rang, motif: '' }])),
  );
  const [erreur, setErreur] = useState<string | null>(null);
  const [succes, setSucces] = useState<string | null>(null);
  const [envoi, setEnvoi] = useState(false);
  const maj = (nur: string, l: Partial<Ligne>) => setLignes((prev) => ({ ...prev, [nur]: { ...(prev[nur] as Ligne), ...l } }));

  const enregistrer = async () => {
    setErreur(null);
    setSucces(null);
    const candidats = liste.candidats
      .filter((c) => lignes[c.nur]?.decision)
      .map((c) => {
        const l = lignes[c.nur] as Ligne;
        const attribution = l.decision === 'attribution' || l.decision === 'attribution_sous_condition';
        return { nur: c.nur, decision: l.decision as Exclude<Choix, ''>, rang: attribution && l.rang !== '' ? Number(l.rang) : null, motif: l.motif.trim() || null };
      });
    if (candidats.length === 0) {
      setErreur('Choisissez la décision d’au moins un candidat.');
      return;
    }
    setEnvoi(true);
    try {
      const r = await envoyer('post', '/api/caleol/decisions', { corps: { logement_id: liste.logement.id, date_cal: liste.date, candidats } });
      setSucces(`${r.decisions.length} décision(s) enregistrée(s) pour la commission du ${formatDate(liste.date)} ; les indicateurs en tiennent compte.`);
      onEnregistre();
    } catch (error) {
      setErreur((error as Error).message);
    } finally {
      setEnvoi(false);
    }
  };

  return (
    <Stack gap="sm">
      <Title order={2} size="h3">
        Décision de la commission du {formatDate(liste.date)}
      </Title>
      <Text size="sm">Une non-attribution ou une irrecevabilité est motivée. Les attributaires sont classés (rang 1 = premier proposé).</Text>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void enregistrer();
        }}
      >
        <Table withTableBorder captionSide="top">
          <Table.Caption style={{ textAlign: 'left', fontWeight: 600 }}>Décision par candidat</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">NUR</Table.Th>
              <Table.Th scope="col">Décision</Table.Th>
              <Table.Th scope="col">Rang</Table.Th>
              <Table.Th scope="col">Motif</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {liste.candidats.map((c) => {
              const l = lignes[c.nur] as Ligne;
              const attribution = l.decision === 'attribution' || l.decision === 'attribution_sous_condition';
              return (
                <Table.Tr key={c.nur}>
                  <Table.Th scope="row">{c.nur}</Table.Th>
                  <Table.Td>
                    <NativeSelect aria-label={`Décision pour ${c.nur}`} value={l.decision} data={CHOIX as { value: string; label: string }[]} onChange={(e) => maj(c.nur, { decision: e.currentTarget.value as Choix })} />
                  </Table.Td>
                  <Table.Td>
                    <NumberInput aria-label={`Rang de ${c.nur}`} min={1} max={10} value={l.rang} disabled={!attribution} onChange={(v) => maj(c.nur, { rang: v })} w={90} />
                  </Table.Td>
                  <Table.Td>
                    <TextInput aria-label={`Motif pour ${c.nur}`} value={l.motif} maxLength={500} onChange={(e) => maj(c.nur, { motif: e.currentTarget.value })} />
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
        <Button type="submit" mt="sm" loading={envoi}>
          Enregistrer la décision
        </Button>
      </form>
      {erreur ? (
        <Alert color="red.9" variant="outline" title="Décision refusée, rien n’est enregistré" role="alert">
          {erreur}
        </Alert>
      ) : null}
      {succes ? (
        <Alert color="teal.9" variant="outline" title="Décision enregistrée" role="status">
          {succes}
        </Alert>
      ) : null}
    </Stack>
  );
}
