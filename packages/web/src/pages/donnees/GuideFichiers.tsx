import { Anchor, Badge, Group, Stack, Table, Text, Title } from '@mantine/core';
import type { FormatDonnees } from '@mixite/contract';
import { url } from '../../lib/client.ts';
import { formatEntier } from '../../lib/format.ts';

type Fichier = FormatDonnees['fichiers'][number];

/**
 * The files a dataset needs, for a newcomer: what each is for, whether it is required, what it refers to (to be
 * imported with it, or already in the store), how many rows the store holds now, its empty templates (CSV, XLSX),
 * and the format of its columns (the « documentation du format », from the same declarations as the importer).
 */
export function GuideFichiers({ format }: { format: FormatDonnees }) {
  return (
    <Stack gap="sm">
      <Text>
        Un jeu de données est fait des fichiers ci-dessous, nommés d’après leur contenu (<code>communes.csv</code>, <code>demandes.xlsx</code>…). Un import remplace en
        entier la table de chaque fichier déposé et garde les autres ; un fichier qui renvoie à un autre (une attribution à son logement) doit venir avec lui, sauf si
        la base le contient déjà. Chaque modèle contient les en-têtes et une ligne d’exemple à remplacer ; le détail des colonnes est dans{' '}
        <Anchor href="#format-des-fichiers">le format des fichiers</Anchor>.
      </Text>
      <Table.ScrollContainer minWidth={720}>
        <Table striped withTableBorder>
          <Table.Caption>Fichiers d’un jeu de données</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Fichier</Table.Th>
              <Table.Th scope="col">À quoi il sert</Table.Th>
              <Table.Th scope="col">Renvoie à</Table.Th>
              <Table.Th scope="col" style={{ textAlign: 'right' }}>
                En base
              </Table.Th>
              <Table.Th scope="col">Modèles</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {format.fichiers.map((f) => (
              <Table.Tr key={f.fichier}>
                <Table.Th scope="row">
                  <Group gap={6} wrap="nowrap">
                    <code>{f.fichier}</code>
                    {f.facultatif ? null : (
                      <Badge size="xs" color="blue.9" variant="outline">
                        requis
                      </Badge>
                    )}
                  </Group>
                </Table.Th>
                <Table.Td>
                  <Text size="sm" fw={600}>
                    {f.libelle}
                  </Text>
                  <Text size="sm">{f.usage}</Text>
                </Table.Td>
                <Table.Td>{f.renvoieA.length > 0 ? f.renvoieA.join(', ') : '—'}</Table.Td>
                <Table.Td style={{ textAlign: 'right' }}>{formatEntier(format.lignesEnBase[f.fichier] ?? 0)}</Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Anchor href={url('/api/modeles/{fichier}', { params: { fichier: f.fichier }, query: { format: 'csv' } })} download={`${f.fichier}.csv`}>
                      CSV<span className="visuellement-cache"> : modèle de {f.fichier}</span>
                    </Anchor>
                    <Anchor href={url('/api/modeles/{fichier}', { params: { fichier: f.fichier }, query: { format: 'xlsx' } })} download={`${f.fichier}.xlsx`}>
                      XLSX<span className="visuellement-cache"> : modèle de {f.fichier}</span>
                    </Anchor>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

/** The columns of every file: name, required, what is expected (the importer's own words). */
export function FormatDesFichiers({ format }: { format: FormatDonnees }) {
  return (
    <Stack gap="xs">
      <Title order={2} id="format-des-fichiers" size="h3">
        Format des fichiers
      </Title>
      <Text size="sm">
        CSV en UTF-8 (ou ISO-8859-1) séparé par « ; », « , » ou une tabulation, ou classeur XLSX (première feuille) ; la première ligne porte les noms de colonnes. Les
        colonnes hors format sont conservées comme attributs libres. Les en-têtes d’une autre extraction (SNE, bailleur) se décrivent dans une correspondance.
      </Text>
      {format.fichiers.map((f) => (
        <ColonnesDuFichier key={f.fichier} fichier={f} />
      ))}
    </Stack>
  );
}

function ColonnesDuFichier({ fichier }: { fichier: Fichier }) {
  return (
    <details>
      <summary>
        <code>{fichier.fichier}</code> — {fichier.libelle} ({fichier.colonnes.length} colonnes)
      </summary>
      <Table withTableBorder>
        <Table.Caption>Colonnes de {fichier.fichier}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Colonne</Table.Th>
            <Table.Th scope="col">Obligatoire</Table.Th>
            <Table.Th scope="col">Attendu</Table.Th>
            <Table.Th scope="col">Exemple</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {fichier.colonnes.map((c) => (
            <Table.Tr key={c.nom}>
              <Table.Th scope="row">
                <code>{c.nom}</code>
              </Table.Th>
              <Table.Td>{c.obligatoire ? 'oui' : 'non'}</Table.Td>
              <Table.Td>{c.attendu}</Table.Td>
              <Table.Td>{fichier.exemple[c.nom] ?? ''}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </details>
  );
}
