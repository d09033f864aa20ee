import { Table, Text, Title } from '@mantine/core';
import type { DecisionsCaleol } from '@mixite/contract';
import { LIBELLES_DECISION, LIBELLES_ISSUE } from '@mixite/core';
import { formatDate } from '../../lib/format.ts';

/** The decisions recorded in Mixité for the dwelling, with the household's answer when known. */
export function DecisionsEnregistrees({ decisions }: { decisions: DecisionsCaleol['decisions'] }) {
  return (
    <>
      <Title order={2} size="h3">
        Décisions enregistrées pour ce logement
      </Title>
      {decisions.length === 0 ? (
        <Text>Aucune décision enregistrée dans Mixité pour ce logement.</Text>
      ) : (
        <Table withTableBorder striped captionSide="top">
          <Table.Caption style={{ textAlign: 'left', fontWeight: 600 }}>Décisions et réponses des ménages</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Commission</Table.Th>
              <Table.Th scope="col">NUR</Table.Th>
              <Table.Th scope="col">Décision</Table.Th>
              <Table.Th scope="col">Rang</Table.Th>
              <Table.Th scope="col">Issue</Table.Th>
              <Table.Th scope="col">Motif</Table.Th>
              <Table.Th scope="col">Enregistrée par</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {decisions.map((d) => (
              <Table.Tr key={d.attribution_id}>
                <Table.Td>{formatDate(d.date_cal)}</Table.Td>
                <Table.Td>{d.nur}</Table.Td>
                <Table.Td>{LIBELLES_DECISION[d.decision]}</Table.Td>
                <Table.Td>{d.rang ?? '—'}</Table.Td>
                <Table.Td>{d.issue ? `${LIBELLES_ISSUE[d.issue]}${d.date_bail ? ` le ${formatDate(d.date_bail)}` : ''}` : '—'}</Table.Td>
                <Table.Td>{d.motif ?? d.motif_refus ?? '—'}</Table.Td>
                <Table.Td>{d.auteur}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </>
  );
}
