import { Alert, Box, Button, Checkbox, Group, NumberInput, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import type { LogementsCaleol } from '@mixite/contract';
import { useState } from 'react';
import { telechargerEnvoi } from '../../lib/api.ts';

type Format = 'docx' | 'pdf' | 'xlsx';
const FORMATS: readonly { format: Format; libelle: string }[] = [
  { format: 'docx', libelle: 'Word (.docx)' },
  { format: 'pdf', libelle: 'PDF' },
  { format: 'xlsx', libelle: 'Excel (.xlsx)' },
];

/**
 * The agenda of a commission (issue 15 item 2): the dwellings checked, in the order they were checked, and the
 * meeting's date; the server makes each dwelling's list (its perimeter checked, NUR pseudonymised for the roles
 * that read pseudonyms only, the export audited) and sends the document, which the browser downloads.
 */
export function OrdreDuJour({ logements }: { logements: LogementsCaleol['logements'] }) {
  const [choisis, setChoisis] = useState<string[]>([]);
  const [date, setDate] = useState('');
  const [nombre, setNombre] = useState<string | number>(3);
  const [enCours, setEnCours] = useState<Format | null>(null);
  const [erreur, setErreur] = useState<string | null>(null);
  const [fait, setFait] = useState<string | null>(null);

  const telecharger = async (format: Format) => {
    setErreur(null);
    setFait(null);
    setEnCours(format);
    try {
      await telechargerEnvoi(
        'post',
        '/api/caleol/ordre-du-jour',
        { corps: { date, logements: choisis, format, ...(nombre === '' ? {} : { nombre: Number(nombre) }) } },
        `ordre-du-jour-caleol-${date}.${format}`,
      );
      setFait(`Ordre du jour du ${date.split('-').reverse().join('/')} téléchargé (${choisis.length} logement(s)).`);
    } catch (error) {
      setErreur((error as Error).message);
    } finally {
      setEnCours(null);
    }
  };

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="titre-ordre-du-jour">
      <Stack gap="sm">
        <Title order={2} size="h3" id="titre-ordre-du-jour">
          Ordre du jour d’une commission
        </Title>
        <Text size="sm">
          Cochez les logements que la commission examinera, dans l’ordre de passage, et sa date : le document donne pour chacun sa liste de candidats, leurs
          effets sur les objectifs, la fragilité de la résidence quand elle est connue et son contingent. Il est nominatif : à ne diffuser qu’aux membres de la
          commission.
        </Text>
        <Box mah={260} style={{ overflowY: 'auto' }}>
          <Checkbox.Group label="Logements à l’ordre du jour" value={choisis} onChange={setChoisis}>
            <Stack gap={4} mt={4}>
              {logements.map((l) => (
                <Checkbox key={l.id} value={l.id} label={`${l.id} — T${l.nb_pieces}, ${l.commune}${l.en_qpv ? ' (QPV)' : ''}, ${l.bailleur}, ${l.contingent}`} />
              ))}
            </Stack>
          </Checkbox.Group>
        </Box>
        <Text size="sm" aria-live="polite">
          {choisis.length === 0 ? 'Aucun logement coché.' : `Ordre de passage : ${choisis.join(', ')}.`}
        </Text>
        <Group gap="sm" align="flex-end">
          <TextInput label="Date de la réunion" type="date" value={date} onChange={(e) => setDate(e.currentTarget.value)} w={180} required />
          <NumberInput label="Candidats par logement" min={1} max={10} value={nombre} onChange={setNombre} w={180} />
          {FORMATS.map((f) => (
            <Button
              key={f.format}
              variant="default"
              loading={enCours === f.format}
              disabled={choisis.length === 0 || date === '' || (enCours !== null && enCours !== f.format)}
              onClick={() => void telecharger(f.format)}
            >
              Télécharger en {f.libelle}
            </Button>
          ))}
        </Group>
        {erreur ? (
          <Alert color="red.9" variant="outline" title="Ordre du jour impossible" role="alert">
            {erreur}
          </Alert>
        ) : null}
        {fait ? <Text size="sm">{fait}</Text> : null}
      </Stack>
    </Paper>
  );
}
