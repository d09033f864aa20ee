import { Alert, Button, Card, FileInput, Group, List, NumberInput, Stack, Table, Text, Title } from '@mantine/core';
import type { Conventions, RapportImport } from '@mixite/contract';
import { useState } from 'react';
import { envoyerConventions } from '../../lib/api.ts';
import { lecture } from '../../lib/client.ts';
import { formatTaux } from '../../lib/format.ts';
import { useApi } from '../../lib/use-api.ts';

/**
 * The conventions of the year on the flux page (issue 13; docs/flux.md « Modifier les conventions depuis la page »):
 * every party reads its own; the EPCI, the administrator and a bailleur (its own) import a conventions.csv or set a
 * share. Both go through the import on the server (same checks, located messages, all or nothing): the report is shown
 * as the server gives it.
 */
export function ConventionsFlux({ annee, onChange }: { annee: number; onChange: () => void }) {
  const conventions = useApi(lecture('/api/flux/conventions', { query: { annee } }));
  const [rapport, setRapport] = useState<RapportImport | null>(null);
  const [erreur, setErreur] = useState<string | null>(null);
  const [fichier, setFichier] = useState<File | null>(null);
  const [enCours, setEnCours] = useState(false);

  const apres = (r: RapportImport) => {
    setRapport(r);
    if (r.statut === 'reussi') {
      conventions.reload();
      onChange();
    }
  };
  const envoyer = async (envoi: Parameters<typeof envoyerConventions>[0]) => {
    setEnCours(true);
    setErreur(null);
    setRapport(null);
    try {
      apres(await envoyerConventions(envoi));
    } catch (e) {
      setErreur((e as Error).message);
    } finally {
      setEnCours(false);
    }
  };

  const data: Conventions | null = conventions.data;
  if (!data || (data.conventions.length === 0 && data.bailleurs_modifiables.length === 0)) return null;
  const modifiable = (b: string) => data.bailleurs_modifiables.includes(b);
  return (
    <Card withBorder component="section" aria-labelledby="conventions-titre">
      <Stack gap="md">
        <Title order={2} id="conventions-titre">
          Conventions de réservation {annee}
        </Title>
        <Table striped>
          <Table.Caption>Conventions {annee} : part du flux de chaque bailleur réservée à chaque réservataire</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Bailleur</Table.Th>
              <Table.Th scope="col">Réservataire</Table.Th>
              <Table.Th scope="col">Part du flux</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.conventions.map((c) => (
              <Table.Tr key={`${c.bailleur_id}|${c.reservataire_id}`}>
                <Table.Td>{c.bailleur_nom}</Table.Td>
                <Table.Td>{c.reservataire_nom}</Table.Td>
                <Table.Td>
                  {modifiable(c.bailleur_id) ? (
                    <PartModifiable
                      libelle={`Part de ${c.reservataire_nom} chez ${c.bailleur_nom} (%)`}
                      part={c.part}
                      desactive={enCours}
                      onEnregistrer={(part) => envoyer({ part: { bailleur_id: c.bailleur_id, reservataire_id: c.reservataire_id, annee, part } })}
                    />
                  ) : (
                    formatTaux(c.part)
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {data.bailleurs_modifiables.length > 0 ? (
          <Group align="flex-end">
            <FileInput
              label="Importer un fichier conventions.csv"
              description="Il remplace les conventions des bailleurs et années qu’il contient ; les autres sont gardées."
              accept=".csv,text/csv"
              value={fichier}
              onChange={setFichier}
              clearable
              clearButtonProps={{ 'aria-label': 'Retirer le fichier choisi' }}
              w={420}
            />
            <Button disabled={!fichier || enCours} loading={enCours} onClick={() => fichier && envoyer({ fichier })}>
              Importer
            </Button>
          </Group>
        ) : null}
        {erreur ? (
          <Alert color="red.9" variant="outline" title="Envoi impossible" role="alert">
            {erreur}
          </Alert>
        ) : null}
        {rapport ? <RapportConventions rapport={rapport} /> : null}
      </Stack>
    </Card>
  );
}

function PartModifiable({ libelle, part, desactive, onEnregistrer }: { libelle: string; part: number; desactive: boolean; onEnregistrer: (part: number) => void }) {
  const [valeur, setValeur] = useState<number | string>(Math.round(part * 10000) / 100);
  const nombre = typeof valeur === 'number' ? valeur : Number(String(valeur).replace(',', '.'));
  const change = Number.isFinite(nombre) && Math.abs(nombre / 100 - part) > 1e-9;
  return (
    <Group gap="xs" wrap="nowrap">
      <NumberInput aria-label={libelle} value={valeur} onChange={setValeur} min={0} max={100} decimalScale={2} decimalSeparator="," suffix=" %" w={120} />
      <Button size="xs" variant="light" disabled={!change || desactive} onClick={() => onEnregistrer(nombre / 100)} aria-label={`Enregistrer : ${libelle}`}>
        Enregistrer
      </Button>
    </Group>
  );
}

function RapportConventions({ rapport }: { rapport: RapportImport }) {
  const ligne = (p: RapportImport['erreurs'][number]) =>
    `${p.fichier}${p.ligne === null ? '' : `, ligne ${p.ligne}`}${p.colonne === null ? '' : `, colonne ${p.colonne}`}${p.valeur ? ` (« ${p.valeur} »)` : ''} : ${p.message}`;
  return (
    <Alert
      color={rapport.statut === 'reussi' ? 'green.9' : 'red.9'}
      variant="outline"
      role={rapport.statut === 'reussi' ? 'status' : 'alert'}
      title={rapport.statut === 'reussi' ? 'Conventions enregistrées' : 'Conventions refusées : rien n’a été modifié'}
    >
      {rapport.erreurs.length + rapport.avertissements.length > 0 ? (
        <List>
          {[...rapport.erreurs, ...rapport.avertissements].map((p) => (
            <List.Item key={ligne(p)}>
              {p.severite === 'avertissement' ? 'Avertissement — ' : ''}
              {ligne(p)}
            </List.Item>
          ))}
        </List>
      ) : (
        <Text size="sm">Les contrôles de l’import sont passés.</Text>
      )}
    </Alert>
  );
}
