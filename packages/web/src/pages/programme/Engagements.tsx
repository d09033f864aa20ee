import { Button, Group, NativeSelect, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import type { EngagementApi, GouvernanceApi } from '@mixite/contract';
import { STATUTS_ENGAGEMENT_API } from '@mixite/contract';
import { LEGAL_INDICATORS, LEGAL_INDICATOR_IDS as INDICATEURS_LEGAUX } from '@mixite/core';
import { useState } from 'react';
import { envoyer } from '../../lib/api.ts';
import { formatDate, formatTaux } from '../../lib/format.ts';
import { libellePartenaire } from '../../lib/partenaires.ts';
import { useTerritoire } from '../../lib/territoire.tsx';
import { LIBELLES_STATUT_ENGAGEMENT } from './commun.ts';

type StatutEngagement = (typeof STATUTS_ENGAGEMENT_API)[number];
type Agir = (action: () => Promise<GouvernanceApi>, reussite: string) => Promise<boolean>;

/** A quantified commitment against its figure of the year: « 31,0 % pour une cible de 25,0 % ». */
function chiffre(e: EngagementApi): string {
  if (!e.quantifie) return 'qualitatif';
  const valeur = e.valeur?.taux ?? null;
  return `${valeur === null ? 'non disponible (ou masqué)' : formatTaux(valeur)} en ${e.valeur?.annee ?? ''} pour une cible de ${formatTaux(e.quantifie.cible)} (${e.quantifie.indicateur})`;
}

/** The body a commitment is sent back with, its status changed. */
const corpsDe = (e: EngagementApi, statut: StatutEngagement) => ({
  partenaire: e.partenaire,
  fiche: e.fiche,
  libelle: e.libelle,
  echeance: e.echeance,
  statut,
  quantifie: e.quantifie ? { ...e.quantifie } : null,
});

/** A table of commitments; the EPCI changes a status in place (signed and dated by the server). */
export function TableEngagements({
  engagements,
  legende,
  annee,
  modifiable,
  envoi,
  agir,
}: {
  engagements: GouvernanceApi['engagements'];
  legende: string;
  annee: number;
  modifiable: boolean;
  envoi: boolean;
  agir: Agir | null;
}) {
  const perimetres = useTerritoire().data?.perimetres;
  return (
    <Table striped mt="xs">
      <Table.Caption>{legende}</Table.Caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">Partenaire</Table.Th>
          <Table.Th scope="col">Fiche</Table.Th>
          <Table.Th scope="col">Engagement</Table.Th>
          <Table.Th scope="col">Échéance</Table.Th>
          <Table.Th scope="col">Statut</Table.Th>
          <Table.Th scope="col">Chiffre de l’année</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {engagements.map((e) => (
          <Table.Tr key={e.id}>
            <Table.Td>{libellePartenaire(e.partenaire, perimetres)}</Table.Td>
            <Table.Td>{e.fiche ?? '—'}</Table.Td>
            <Table.Td>{e.libelle}</Table.Td>
            <Table.Td>{e.echeance ? formatDate(e.echeance) : 'durée de la convention'}</Table.Td>
            <Table.Td>
              {modifiable && agir ? (
                <NativeSelect
                  aria-label={`Statut de l’engagement « ${e.libelle} »`}
                  value={e.statut}
                  disabled={envoi}
                  // Wide enough for the longest status (« Abandonné », « Non tenu ») in a narrow column.
                  miw={130}
                  data={STATUTS_ENGAGEMENT_API.map((s) => ({ value: s, label: LIBELLES_STATUT_ENGAGEMENT[s] }))}
                  onChange={(ev) => {
                    const statut = ev.currentTarget.value as StatutEngagement;
                    void agir(
                      () => envoyer('put', '/api/programme/engagements/{id}', { params: { id: e.id }, query: { annee }, corps: corpsDe(e, statut) }),
                      `Engagement « ${e.libelle} » : ${LIBELLES_STATUT_ENGAGEMENT[statut]}.`,
                    );
                  }}
                />
              ) : (
                LIBELLES_STATUT_ENGAGEMENT[e.statut]
              )}
            </Table.Td>
            <Table.Td>{chiffre(e)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** The commitments, one table per partner (the partners' view of what each promised), and the EPCI's form for a new one. */
export function EngagementsParPartenaire({ gouvernance, annee, envoi, agir }: { gouvernance: GouvernanceApi; annee: number; envoi: boolean; agir: Agir }) {
  const perimetres = useTerritoire().data?.perimetres;
  const partenaires = [...new Set(gouvernance.engagements.map((e) => e.partenaire))].sort((a, b) => libellePartenaire(a, perimetres).localeCompare(libellePartenaire(b, perimetres), 'fr'));
  return (
    <section aria-labelledby="engagements">
      <Title order={2} id="engagements">
        Engagements des partenaires
      </Title>
      {partenaires.length === 0 ? <Text>Aucun engagement enregistré.</Text> : null}
      {partenaires.map((p) => (
        <TableEngagements
          key={p}
          engagements={gouvernance.engagements.filter((e) => e.partenaire === p)}
          legende={`Engagements : ${libellePartenaire(p, perimetres)}`}
          annee={annee}
          modifiable={gouvernance.modifiable}
          envoi={envoi}
          agir={agir}
        />
      ))}
      {gouvernance.modifiable ? <NouvelEngagement annee={annee} envoi={envoi} agir={agir} /> : null}
    </section>
  );
}

function NouvelEngagement({ annee, envoi, agir }: { annee: number; envoi: boolean; agir: Agir }) {
  const [partenaire, setPartenaire] = useState('');
  const [fiche, setFiche] = useState('');
  const [libelle, setLibelle] = useState('');
  const [echeance, setEcheance] = useState('');
  const [indicateur, setIndicateur] = useState('');
  const [cible, setCible] = useState('');
  const ficheLisible = fiche.trim() === '' || /^\d+$/.test(fiche.trim());
  // A quantified commitment on the territory: its target typed in percent (« 25 » or « 25,5 »), sent as a share.
  const ciblePart = /^\d{1,3}([,.]\d+)?$/.test(cible.trim()) ? Number(cible.trim().replace(',', '.')) / 100 : null;
  const cibleLisible = indicateur === '' || (ciblePart !== null && ciblePart <= 1);
  return (
    <Paper withBorder p="md" mt="md" component="section" aria-labelledby="nouvel-engagement">
      <Title order={3} size="h4" id="nouvel-engagement">
        Nouvel engagement
      </Title>
      <Stack gap="xs" mt="xs">
        <Group align="flex-end">
          <TextInput label="Partenaire" description="bailleur:ID, reservataire:ID, etat, ou un nom" value={partenaire} onChange={(e) => setPartenaire(e.currentTarget.value)} />
          <TextInput label="Fiche action (numéro)" value={fiche} error={ficheLisible ? undefined : 'un numéro de fiche est attendu'} onChange={(e) => setFiche(e.currentTarget.value)} />
          <TextInput label="Échéance" type="date" value={echeance} onChange={(e) => setEcheance(e.currentTarget.value)} />
        </Group>
        <Group align="flex-end">
          <NativeSelect
            label="Indicateur lié (engagement quantifié, territoire)"
            value={indicateur}
            data={[{ value: '', label: 'Aucun : engagement qualitatif' }, ...INDICATEURS_LEGAUX.map((id) => ({ value: id, label: LEGAL_INDICATORS[id].courts.titre }))]}
            onChange={(e) => setIndicateur(e.currentTarget.value)}
          />
          {indicateur !== '' ? (
            <TextInput label="Cible (%)" value={cible} error={cibleLisible ? undefined : 'un pourcentage entre 0 et 100 est attendu'} onChange={(e) => setCible(e.currentTarget.value)} />
          ) : null}
        </Group>
        <TextInput label="Engagement" value={libelle} onChange={(e) => setLibelle(e.currentTarget.value)} />
        <Group>
          <Button
            disabled={envoi || partenaire.trim() === '' || libelle.trim() === '' || !ficheLisible || !cibleLisible}
            onClick={() =>
              void agir(
                () =>
                  envoyer('post', '/api/programme/engagements', {
                    query: { annee },
                    corps: {
                      partenaire,
                      fiche: fiche.trim() === '' ? null : Number(fiche),
                      libelle,
                      echeance: echeance === '' ? null : echeance,
                      statut: 'a_tenir',
                      quantifie: indicateur === '' || ciblePart === null ? null : { indicateur, perimetre_type: 'territoire', perimetre_id: null, cible: ciblePart },
                    },
                  }),
                `Engagement de ${partenaire} enregistré.`,
              ).then((ok) => {
                if (ok) setLibelle('');
              })
            }
          >
            Enregistrer l’engagement
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
