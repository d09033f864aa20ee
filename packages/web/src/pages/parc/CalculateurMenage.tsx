import { Alert, Button, Group, NativeSelect, NumberInput, Paper, Stack, Table, Text, Title } from '@mantine/core';
import type { RequeteMenage, ResultatMenage } from '@mixite/contract';
import { useState } from 'react';
import { envoyer } from '../../lib/api.ts';
import { formatEntier, formatEuros, formatNombre, formatTaux } from '../../lib/format.ts';

const nombre = (v: string | number): number | null => (v === '' || v === null ? null : Number(v));

/**
 * « Dans quel quartile est ce ménage ? » (issue 14, item 1): the household calculator of POST /api/menage. Its UC,
 * resources per UC and quartile (with the threshold used), and, given a rent and a commune or APL zone, its APL,
 * effort rate and reste à vivre. Nothing is stored: the server computes and answers.
 */
export function CalculateurMenage({ communes }: { communes: readonly { code: string; nom: string }[] }) {
  const [personnes, setPersonnes] = useState<string | number>(3);
  const [adultes, setAdultes] = useState('1');
  const [enfants, setEnfants] = useState<string | number>(2);
  const [ressources, setRessources] = useState<string | number>(1500);
  const [commune, setCommune] = useState('');
  const [loyer, setLoyer] = useState<string | number>('');
  const [charges, setCharges] = useState<string | number>('');
  const [resultat, setResultat] = useState<ResultatMenage | null>(null);
  const [erreur, setErreur] = useState<string | null>(null);
  const [calcul, setCalcul] = useState(false);

  const calculer = async () => {
    setErreur(null);
    setCalcul(true);
    try {
      const corps: RequeteMenage = {
        personnes: nombre(personnes) ?? 1,
        adultes: adultes === '2' ? 2 : 1,
        moins_14_ans: nombre(enfants) ?? 0,
        ressources_mensuelles: nombre(ressources) ?? 0,
        ...(commune ? { code_insee: commune } : {}),
        ...(nombre(loyer) !== null ? { loyer: nombre(loyer) as number } : {}),
        ...(nombre(charges) !== null ? { charges: nombre(charges) as number } : {}),
      };
      setResultat(await envoyer('post', '/api/menage', { corps }));
    } catch (error) {
      setResultat(null);
      setErreur((error as Error).message);
    } finally {
      setCalcul(false);
    }
  };

  const l = resultat?.logement ?? null;
  return (
    <Stack gap="sm">
      <Title order={2}>Situer un ménage</Title>
      <Text>Le quartile d’un ménage et, dans un logement donné, son APL, son taux d’effort et son reste à vivre. Rien n’est enregistré.</Text>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void calculer();
        }}
      >
        <Group gap="sm" align="flex-end">
          <NumberInput label="Personnes" min={1} max={20} value={personnes} onChange={setPersonnes} w={110} />
          <NativeSelect label="Adultes" value={adultes} onChange={(e) => setAdultes(e.currentTarget.value)} data={['1', '2']} w={100} />
          <NumberInput label="Enfants de moins de 14 ans" min={0} max={19} value={enfants} onChange={setEnfants} w={200} />
          <NumberInput label="Ressources mensuelles (€)" min={0} value={ressources} onChange={setRessources} w={200} />
          <NativeSelect label="Commune du logement" value={commune} onChange={(e) => setCommune(e.currentTarget.value)} data={[{ value: '', label: '(aucune)' }, ...communes.map((c) => ({ value: c.code, label: c.nom }))]} w={220} />
          <NumberInput label="Loyer hors charges (€)" min={0} value={loyer} onChange={setLoyer} w={180} />
          <NumberInput label="Charges (€)" min={0} value={charges} onChange={setCharges} w={130} />
          <Button type="submit" loading={calcul}>
            Calculer
          </Button>
        </Group>
      </form>
      {erreur ? (
        <Alert color="red" title="Calcul impossible" role="alert" variant="outline">
          {erreur}
        </Alert>
      ) : null}
      {resultat ? (
        <Paper withBorder p="md" role="status" aria-live="polite">
          <Table captionSide="top" withRowBorders={false}>
            <Table.Caption style={{ textAlign: 'left', fontWeight: 600 }}>Résultat du calcul</Table.Caption>
            <Table.Tbody>
              <Ligne libelle="Unités de consommation" valeur={formatNombre(resultat.uc)} />
              <Ligne libelle="Ressources annuelles par UC" valeur={formatEuros(resultat.ressources_par_uc)} />
              <Ligne
                libelle="Quartile"
                valeur={
                  resultat.quartile === null
                    ? 'inconnu (aucun seuil pour l’année)'
                    : `${resultat.quartile}${resultat.quartile === 1 ? 'er' : 'e'} quartile` +
                      (resultat.seuil_q1 !== null ? ` (seuil Q1 ${resultat.annee} : ${formatEntier(resultat.seuil_q1)} € par UC, ${resultat.origine_seuil === 'publie' ? 'publié' : 'calculé'})` : '')
                }
              />
              {resultat.mediane !== null && resultat.q3 !== null ? (
                <Ligne
                  libelle="Limites des quartiles suivants"
                  valeur={`médiane ${formatEntier(resultat.mediane)} € par UC (${resultat.origine_mediane === 'publie' ? 'publiée par l’arrêté' : 'calculée sur la demande'}), Q3 ${formatEntier(resultat.q3)} € par UC (${resultat.origine_q3 === 'publie' ? 'publié par l’arrêté' : 'calculé sur la demande'})`}
                />
              ) : null}
              {l ? (
                <>
                  <Ligne libelle="Zone APL" valeur={l.zone_apl} />
                  <Ligne libelle="Charges retenues" valeur={`${formatEuros(l.charges)}${l.charges_estimees ? ' (forfait charges de l’APL)' : ''}`} />
                  <Ligne libelle="APL mensuelle estimée" valeur={formatEuros(l.apl)} />
                  <Ligne libelle="Taux d’effort" valeur={l.taux_effort === null ? '—' : formatTaux(l.taux_effort)} />
                  <Ligne libelle="Reste à vivre par UC et par jour" valeur={l.reste_a_vivre_uc_jour === null ? '—' : formatEuros(l.reste_a_vivre_uc_jour)} />
                  <Ligne libelle="Barème d’APL" valeur={`${l.bareme.debut} (${l.bareme.source})`} />
                </>
              ) : (
                <Ligne libelle="Logement" valeur="donnez un loyer et une commune pour calculer l’APL et le taux d’effort" />
              )}
            </Table.Tbody>
          </Table>
        </Paper>
      ) : null}
    </Stack>
  );
}

function Ligne({ libelle, valeur }: { libelle: string; valeur: string }) {
  return (
    <Table.Tr>
      <Table.Th scope="row" fw={500}>
        {libelle}
      </Table.Th>
      <Table.Td>{valeur}</Table.Td>
    </Table.Tr>
  );
}
