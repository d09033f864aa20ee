import { Alert, Badge, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import type { ListeCaleol } from '@mixite/contract';
import { LIBELLES_REGLE_LISTE as LIBELLES_REGLE, effetsEnMots } from '@mixite/core';
import { formatDate, formatEntier, formatEuros, formatTaux } from '../../lib/format.ts';

const oui = (b: boolean | null) => (b === null ? 'inconnu' : b ? 'oui' : 'non');

/** The list of a dwelling: the dwelling, the contingent's gap, the CIA's rules, then the candidates and their effects. */
export function ListeCandidats({ liste }: { liste: ListeCaleol }) {
  const l = liste.logement;
  const e = liste.ecart_contingent;
  return (
    <Stack gap="md">
      <Paper withBorder p="md">
        <Title order={2} size="h3">
          Logement {l.id} — T{l.nb_pieces} à {l.commune}
        </Title>
        <Text>
          {l.bailleur} · {l.en_qpv ? `en QPV (${l.code_qpv ?? ''})` : 'hors QPV'} · financement {l.financement ?? 'inconnu'} · loyer{' '}
          {l.loyer === null ? 'inconnu' : formatEuros(l.loyer)}
          {l.charges === null ? '' : ` + ${formatEuros(l.charges)} de charges`} · {l.pmr ? 'accessible (PMR)' : 'non accessible'} · contingent{' '}
          {e.contingent_libelle}
          {l.classe_residence ? ` · résidence ${l.classe_residence.replace('_', ' ')}` : ''}
        </Text>
        <Text size="sm">
          Commission du {formatDate(liste.date)} · grille « {liste.grille.nom} » · seuil du 1er quartile{' '}
          {liste.seuil_q1 === null ? 'inconnu' : `${formatEntier(liste.seuil_q1)} € par UC`} · taux d’effort maximal {formatTaux(liste.taux_effort_maximum)} après APL
          {liste.bareme_apl ? ` (barème du ${formatDate(liste.bareme_apl)})` : ' (aucun barème d’APL : non vérifié)'}
        </Text>
      </Paper>

      <Paper withBorder p="md" role="region" aria-label="Écart du contingent">
        <Text fw={600}>
          Contingent {e.contingent_libelle}, {e.periode} : {formatEntier(e.numerateur)} proposition{e.numerateur > 1 ? 's' : ''} à des ménages prioritaires sur{' '}
          {formatEntier(e.denominateur)}
          {e.taux === null ? '' : ` (${formatTaux(e.taux)})`}
        </Text>
        <Text>
          {e.cible === null
            ? 'Pas d’objectif de prioritaires pour ce contingent.'
            : e.propositions_prioritaires_manquantes === 0
              ? `Objectif de ${formatTaux(e.cible)} atteint.`
              : `Objectif ${formatTaux(e.cible)} : il manque ${formatEntier(e.propositions_prioritaires_manquantes ?? 0)} proposition(s) à des ménages prioritaires.`}
        </Text>
      </Paper>

      {liste.regles.map((r) => (
        <Alert key={r.regle} variant="outline" color={r.respectee ? (r.remplacements.length > 0 ? 'indigo.9' : 'teal.9') : 'red.9'} title={LIBELLES_REGLE[r.regle]} role={r.respectee ? 'status' : 'alert'}>
          {r.message}
        </Alert>
      ))}

      <Text>
        {formatEntier(liste.examinees)} demande{liste.examinees > 1 ? 's' : ''} active{liste.examinees > 1 ? 's' : ''} souhaite{liste.examinees > 1 ? 'nt' : ''} ce logement
        (typologie, commune, accessibilité) ; {formatEntier(liste.eligibles)} sont éligibles (plafond de ressources, taux d’effort) parmi les {formatEntier(liste.lues)}{' '}
        mieux classées.
      </Text>
      {liste.candidats.length === 0 ? (
        <Alert variant="outline" color="indigo.9" title="Aucun candidat">
          Aucune demande active éligible pour ce logement à cette date.
        </Alert>
      ) : (
        <Table.ScrollContainer minWidth={900}>
          <Table striped withTableBorder captionSide="top">
            <Table.Caption style={{ textAlign: 'left', fontWeight: 600 }}>Candidats proposés à la commission, par note décroissante</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Rang</Table.Th>
                <Table.Th scope="col">NUR</Table.Th>
                <Table.Th scope="col">Note</Table.Th>
                <Table.Th scope="col">Dépôt</Table.Th>
                <Table.Th scope="col">1er quartile</Table.Th>
                <Table.Th scope="col">Prioritaire</Table.Th>
                <Table.Th scope="col">Mutation</Table.Th>
                <Table.Th scope="col">Taux d’effort après APL</Table.Th>
                <Table.Th scope="col">Compterait pour</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {liste.candidats.map((c) => (
                <Table.Tr key={c.nur}>
                  <Table.Td>{c.rang}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      <span>{c.nur}</span>
                      {c.ajoute_par ? <Badge variant="outline" color="indigo.9">entré par la règle « {LIBELLES_REGLE[c.ajoute_par]} »</Badge> : null}
                    </Group>
                  </Table.Td>
                  <Table.Td>{c.note.toLocaleString('fr-FR')}</Table.Td>
                  <Table.Td>{formatDate(c.date_depot)}</Table.Td>
                  <Table.Td>{oui(c.q1)}</Table.Td>
                  <Table.Td>{oui(c.prioritaire)}</Table.Td>
                  <Table.Td>{oui(c.mutation)}</Table.Td>
                  <Table.Td>
                    {c.taux_effort === null ? 'non vérifié' : formatTaux(c.taux_effort)}
                    {c.apl !== null && c.apl > 0 ? ` (APL ${formatEuros(c.apl)})` : ''}
                    {c.non_verifie.includes('plafond') ? ' · plafond non vérifié' : c.ressources_approximees ? ' · plafond sur ressources déclarées × 12' : ''}
                  </Table.Td>
                  <Table.Td>{effetsEnMots(c.effets)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
