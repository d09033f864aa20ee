import { Accordion, Anchor, Stack, Table, Text, Title } from '@mantine/core';
import type { DeclarationIndicateur, LigneIndicateur } from '@mixite/contract';
import type { RetardsDeLObjectif, Statut } from '@mixite/core';
import { LEGAL_INDICATORS, LIBELLES_PERIMETRE_TYPE, horsDesSyntheses, parsePeriode, periodesDuSuivi, retardsDesObjectifs } from '@mixite/core';
import { lecture } from '../lib/client.ts';
import { formatEntier, formaterTauxContreCible } from '../lib/format.ts';
import { useLien } from '../lib/navigation.ts';
import { useApi } from '../lib/use-api.ts';

/**
 * The lagging list of the dashboard (issue 12, item 4): for each target, the partners behind it, the most households
 * missing first, with the last semester and the twelve months the préfet reads. Computed by core's one function
 * (`retardsDesObjectifs`) over the rows the viewer reads, as the bilan does. The counts of partners behind come from
 * the server (`GET /api/retards/comptes`, counted on unmasked figures, as the bilan counts them in every edition):
 * a lecteur, whose masked rows can be neither behind nor met, reads the same counts as the public bilan, and the list
 * names only the partners whose figures are published.
 */

/** Partners behind whom the viewer cannot name (their figures are masked): the published count minus those named. */
const nonNommes = (l: RetardsDeLObjectif, publie: number) => Math.max(0, publie - l.en_retard);

/** Partners a list names before referring to the objective's page. */
const CITES = 5;

const PLURIELS: Record<string, string> = { bailleur: 'bailleurs', commune: 'communes', qpv: 'QPV', contingent: 'contingents' };

export function ListeRetards({
  annee,
  declarations,
  lignes,
  jugement,
}: {
  annee: number;
  declarations: readonly DeclarationIndicateur[];
  /** The year's rows of the territory and of every perimeter type the lists read (all periods). */
  lignes: readonly LigneIndicateur[];
  /** The CIA's low-count rule (settings), the bilan's too: a rate on too few households is neither met nor missed. */
  jugement: { readonly effectif_minimum: number; readonly compter_faibles_effectifs: boolean };
}) {
  const comptes = useApi(lecture('/api/retards/comptes', { query: { annee: String(annee) } }));
  const compteDe = (l: RetardsDeLObjectif) => comptes.data?.comptes.find((c) => c.indicateur === l.indicateur && c.perimetre_type === l.perimetre_type);
  const periodes = periodesDuSuivi(annee, lignes);
  const listes = retardsDesObjectifs(
    declarations.map((d) => LEGAL_INDICATORS[d.id]),
    lignes,
    periodes,
    { faibleEffectif: horsDesSyntheses(jugement) },
  );
  const noms = new Map(lignes.map((l) => [`${l.perimetre_type}:${l.perimetre_id}`, l.perimetre_libelle]));
  const semestre = parsePeriode(periodes.semestre)?.libelle ?? periodes.semestre;
  const glissant = parsePeriode(periodes.glissant)?.libelle ?? periodes.glissant;
  const libelle = (id: string) => declarations.find((d) => d.id === id)?.courts.titre ?? id;

  return (
    <section aria-labelledby="titre-retards">
      <Title order={2} id="titre-retards" mb={4}>
        Qui est en retard sur ses objectifs
      </Title>
      <Text size="sm" mb="xs">
        Partenaires sous leur cible en {annee}, du plus grand nombre de ménages manquants (⌈cible × dénominateur⌉ − numérateur) au plus petit ; le{' '}
        {semestre.toLowerCase()} et les {glissant} sont ceux que suit le préfet (loi 3DS).
      </Text>
      {listes.length === 0 ? (
        <Text>Aucun objectif chiffré cette année.</Text>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table striped withTableBorder>
            <Table.Caption>Partenaires sous leur cible en {annee}, par objectif</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Objectif</Table.Th>
                <Table.Th scope="col">Périmètre</Table.Th>
                <Table.Th scope="col">Sous la cible en {annee}</Table.Th>
                <Table.Th scope="col">Au {semestre.toLowerCase()}</Table.Th>
                <Table.Th scope="col">Les plus en retard (ménages manquants)</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {listes.map((l) => (
                <Table.Tr key={`${l.indicateur}:${l.perimetre_type}`} data-retards={`${l.indicateur}:${l.perimetre_type}`} data-en-retard={l.en_retard}>
                  <Table.Th scope="row" fw={500}>
                    {libelle(l.indicateur)}
                  </Table.Th>
                  <Table.Td>{(LIBELLES_PERIMETRE_TYPE as Record<string, string>)[l.perimetre_type] ?? l.perimetre_type}</Table.Td>
                  <Table.Td>
                    {formatEntier(compteDe(l)?.en_retard ?? l.en_retard)} sur {formatEntier(compteDe(l)?.juges ?? l.juges)}
                    {/* Counts are published to all; the names of partners whose figures are masked are not. */}
                    {l.masques === 0 ? '' : compteDe(l) ? ` (dont ${formatEntier(nonNommes(l, compteDe(l)?.en_retard ?? 0))} non nommés : secret)` : ` (${formatEntier(l.masques)} secret)`}
                  </Table.Td>
                  <Table.Td>{formatEntier(compteDe(l)?.en_retard_semestre ?? l.en_retard_semestre)}</Table.Td>
                  <Table.Td>
                    {l.retards
                      .filter((r) => r.annee.kind === 'non_atteint')
                      .slice(0, 3)
                      .map((r) => `${noms.get(`${r.perimetre_type}:${r.perimetre_id}`) ?? r.perimetre_id} (${r.annee.kind === 'non_atteint' ? formatEntier(r.annee.manquants) : 0})`)
                      .join(', ') || '—'}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {listes.some((l) => l.retards.length > 0) ? (
        <Accordion variant="separated" mt="sm">
          <Accordion.Item value="retards">
            <Accordion.Control>Détail : les partenaires en retard, objectif par objectif (année, semestre, douze mois)</Accordion.Control>
            <Accordion.Panel>
              <Stack gap="md">
                {listes.map((l) => (
                  <TableauRetards key={`${l.indicateur}:${l.perimetre_type}`} liste={l} titre={libelle(l.indicateur)} noms={noms} semestre={semestre} glissant={glissant} annee={annee} />
                ))}
              </Stack>
            </Accordion.Panel>
          </Accordion.Item>
        </Accordion>
      ) : null}
    </section>
  );
}

function TableauRetards({
  liste,
  titre,
  noms,
  semestre,
  glissant,
  annee,
}: {
  liste: RetardsDeLObjectif;
  titre: string;
  noms: ReadonlyMap<string, string>;
  semestre: string;
  glissant: string;
  annee: number;
}) {
  const lien = useLien();
  const pluriel = PLURIELS[liste.perimetre_type] ?? liste.perimetre_type;
  const resume =
    `${titre}, par ${(LIBELLES_PERIMETRE_TYPE as Record<string, string>)[liste.perimetre_type]?.toLowerCase() ?? liste.perimetre_type} : ` +
    `${formatEntier(liste.en_retard)} ${pluriel} sur ${formatEntier(liste.juges)} sous leur cible en ${annee}` +
    `, ${formatEntier(liste.en_retard_semestre)} au ${semestre.toLowerCase()}` +
    (liste.masques > 0 ? ` ; ${formatEntier(liste.masques)} couverts par le secret statistique` : '') +
    (liste.faibles > 0 ? ` ; ${formatEntier(liste.faibles)} à faible effectif, non jugés` : '');
  if (liste.retards.length === 0) {
    return (
      <Text size="sm">{resume}.</Text>
    );
  }
  const cites = liste.retards.slice(0, CITES);
  return (
    <div>
      <Table.ScrollContainer minWidth={640}>
        <Table striped withTableBorder>
          <Table.Caption>{resume}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{(LIBELLES_PERIMETRE_TYPE as Record<string, string>)[liste.perimetre_type] ?? liste.perimetre_type}</Table.Th>
              <Table.Th scope="col">Ménages manquants {annee}</Table.Th>
              <Table.Th scope="col">Année {annee}</Table.Th>
              <Table.Th scope="col">{semestre}</Table.Th>
              <Table.Th scope="col">{glissant}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {cites.map((r) => (
              <Table.Tr key={r.perimetre_id}>
                <Table.Th scope="row" fw={500}>
                  {noms.get(`${r.perimetre_type}:${r.perimetre_id}`) ?? r.perimetre_id}
                </Table.Th>
                <Table.Td>{r.annee.kind === 'non_atteint' ? formatEntier(r.annee.manquants) : '0'}</Table.Td>
                <Table.Td>
                  <TexteStatut statut={r.annee} />
                </Table.Td>
                <Table.Td>
                  <TexteStatut statut={r.semestre} />
                </Table.Td>
                <Table.Td>
                  <TexteStatut statut={r.glissant} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {liste.retards.length > CITES ? (
        <Anchor {...lien(`/objectifs/${liste.indicateur}?annee=${annee}&perimetre=${liste.perimetre_type}`)} size="sm">
          Les {formatEntier(liste.retards.length)} {pluriel} en retard : voir le détail
          <span className="visuellement-cache"> ({titre})</span>
        </Anchor>
      ) : null}
    </div>
  );
}

/** A standing in words: « 12,3 % (4 / 31) — 3 manquants », « atteint », « secret »… */
function TexteStatut({ statut }: { statut: Statut }) {
  switch (statut.kind) {
    case 'sans_objet':
      return <>—</>;
    case 'masque':
      return <>secret</>;
    case 'faible_effectif':
      return <>{`${formatEntier(statut.numerateur)} / ${formatEntier(statut.denominateur)} (faible effectif)`}</>;
    case 'atteint':
      return <>{`atteint (${formatEntier(statut.numerateur)} / ${formatEntier(statut.denominateur)})`}</>;
    case 'non_atteint': {
      const { taux } = formaterTauxContreCible(statut.numerateur, statut.denominateur, null);
      return <>{`${taux} (${formatEntier(statut.numerateur)} / ${formatEntier(statut.denominateur)}) — ${formatEntier(statut.manquants)} manquant${statut.manquants > 1 ? 's' : ''}`}</>;
    }
  }
}
