import { Alert, Button, Group, NumberInput, Paper, Table, Text, TextInput, Title } from '@mantine/core';
import type { ProblemeConfiguration } from '@mixite/server/contract';
import { useEffect, useState } from 'react';
import { Chargement, Erreur } from '../../components/Etat.tsx';
import { ApiError, envoyer } from '../../lib/api.ts';
import { lecture } from '../../lib/client.ts';
import { useApi } from '../../lib/use-api.ts';
import type { Pourcentage } from './brouillon.ts';
import { versNombre } from './brouillon.ts';

/** The first-quartile thresholds per year (and EPCI), saved apart from the settings. */
interface SeuilBrouillon {
  annee: Pourcentage;
  code_epci: string;
  seuil_q1: Pourcentage;
  source: string;
  /** Median and Q3 published by the arrêté (seuils.csv): not edited here, sent back so that a save keeps them. */
  seuil_q2: number | null;
  seuil_q3: number | null;
}

export function SeuilsSection({ onSaved, modifiable }: { onSaved: () => void; modifiable: boolean }) {
  const seuils = useApi(lecture('/api/seuils'));
  const [lignes, setLignes] = useState<SeuilBrouillon[] | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; texte: string } | null>(null);
  const [enCours, setEnCours] = useState(false);

  useEffect(() => {
    if (seuils.data) setLignes(seuils.data.lignes.map((s) => ({ annee: s.annee, code_epci: s.code_epci ?? '', seuil_q1: s.seuil_q1, source: s.source ?? '', seuil_q2: s.seuil_q2, seuil_q3: s.seuil_q3 })));
  }, [seuils.data]);

  if (seuils.error) return <Erreur error={seuils.error} />;
  if (!lignes) return <Chargement quoi="des seuils" />;

  const set = (i: number, change: Partial<SeuilBrouillon>) => {
    setMessage(null);
    setLignes(lignes.map((l, j) => (j === i ? { ...l, ...change } : l)));
  };

  const enregistrer = async () => {
    setEnCours(true);
    setMessage(null);
    try {
      await envoyer('put', '/api/seuils', {
        corps: {
          seuils: lignes.map((l) => ({
            annee: versNombre(l.annee),
            code_epci: l.code_epci.trim() || null,
            seuil_q1: versNombre(l.seuil_q1),
            source: l.source.trim() || null,
            seuil_q2: l.seuil_q2,
            seuil_q3: l.seuil_q3,
          })),
        },
      });
      setMessage({ ok: true, texte: 'Seuils enregistrés ; les indicateurs sont recalculés.' });
      seuils.reload();
      onSaved();
    } catch (error) {
      const details = error instanceof ApiError && Array.isArray(error.details) ? (error.details as ProblemeConfiguration[]).map((d) => `${d.chemin} : ${d.message}`).join(' ; ') : '';
      setMessage({ ok: false, texte: `${(error as Error).message}${details ? ` (${details})` : ''}` });
    } finally {
      setEnCours(false);
    }
  };

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="titre-seuils">
      <Title order={2} size="h3" id="titre-seuils">
        Seuils du premier quartile par année
      </Title>
      <Text size="sm" mb="sm">
        Publiés chaque année par arrêté (ressources annuelles par unité de consommation). L’arrêté de l’année N s’applique aux attributions de l’année N.
      </Text>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void enregistrer();
        }}
      >
        <fieldset className="fieldset-nu" disabled={!modifiable}>
        <div className="tableau-conteneur">
          <Table>
            <Table.Caption className="visuellement-cache">Seuils du premier quartile</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Année</Table.Th>
                <Table.Th scope="col">SIREN de l’EPCI (vide : tous)</Table.Th>
                <Table.Th scope="col">Seuil (€ par UC et par an)</Table.Th>
                <Table.Th scope="col">Arrêté</Table.Th>
                <Table.Th scope="col">
                  <span className="visuellement-cache">Actions</span>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {lignes.map((l, i) => (
                <Table.Tr key={i}>
                  <Table.Td>
                    <NumberInput aria-label={`Année du seuil ${i + 1}`} value={l.annee} onChange={(v) => set(i, { annee: v })} allowDecimal={false} w={100} />
                  </Table.Td>
                  <Table.Td>
                    <TextInput aria-label={`EPCI du seuil ${i + 1}`} value={l.code_epci} onChange={(e) => set(i, { code_epci: e.currentTarget.value })} w={140} />
                  </Table.Td>
                  <Table.Td>
                    <NumberInput aria-label={`Montant du seuil ${i + 1}`} value={l.seuil_q1} onChange={(v) => set(i, { seuil_q1: v })} min={0} decimalScale={2} w={140} />
                  </Table.Td>
                  <Table.Td>
                    <TextInput aria-label={`Arrêté du seuil ${i + 1}`} value={l.source} onChange={(e) => set(i, { source: e.currentTarget.value })} />
                  </Table.Td>
                  <Table.Td>
                    <Button variant="default" size="compact-sm" onClick={() => setLignes(lignes.filter((_, j) => j !== i))} aria-label={`Retirer le seuil ${i + 1}`}>
                      Retirer
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
        {modifiable ? (
          <Group mt="sm">
            <Button variant="default" onClick={() => setLignes([{ annee: new Date().getFullYear(), code_epci: '', seuil_q1: '', source: '', seuil_q2: null, seuil_q3: null }, ...lignes])}>
              Ajouter un seuil
            </Button>
            <Button type="submit" loading={enCours}>
              Enregistrer les seuils
            </Button>
          </Group>
        ) : null}
        </fieldset>
        {message ? (
          <Alert mt="sm" color={message.ok ? 'teal.9' : 'red.9'} variant="outline" role={message.ok ? 'status' : 'alert'}>
            {message.texte}
          </Alert>
        ) : null}
      </form>
    </Paper>
  );
}
