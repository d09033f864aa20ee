import { Anchor, Group, NativeSelect, Paper, Stack, Table, Text, Title } from '@mantine/core';
import type { Espace, LigneIndicateur, ObjectifEspace } from '@mixite/contract';
import { TYPES_PARTENAIRE } from '@mixite/contract';
import { bailleurDuNonReserve, parsePeriode } from '@mixite/core';
import { useEffect } from 'react';
import { useSearchParams } from 'wouter';
import { Chargement, Erreur } from '../components/Etat.tsx';
import { lecture } from '../lib/client.ts';
import { formatEntier, formatTaux, formaterTauxContreCible } from '../lib/format.ts';
import { useLien } from '../lib/navigation.ts';
import { useSession } from '../lib/session.tsx';
import { useTerritoire } from '../lib/territoire.tsx';
import { useApi } from '../lib/use-api.ts';

/**
 * « Mon espace » (issue 12, item 5): one partner's figures on every target — the year, its semesters and the twelve
 * months the préfet reads, the trend over the years, its rank among its peers, the households missing — with a link
 * to the allocations behind each figure. A bailleur, réservataire or commune account sees its own (the server
 * refuses any other); the EPCI, the State and the administrator pick the partner.
 */

const LIBELLES_TYPE: Record<(typeof TYPES_PARTENAIRE)[number], string> = { bailleur: 'Bailleur', contingent: 'Contingent (réservataire)', commune: 'Commune' };

export function EspacePage() {
  const { session } = useSession();
  const territoire = useTerritoire();
  const [params, setParams] = useSearchParams();
  // The roles without a perimeter of their own pick one; a partner account reads its own (the server decides).
  const choisit = session.utilisateur.perimetre === null;
  const type = params.get('perimetre_type') ?? 'bailleur';
  const id = params.get('perimetre_id');
  const annee = params.get('annee');
  const espace = useApi(lecture('/api/espace', { query: { annee, ...(choisit && id ? { perimetre_type: type, perimetre_id: id } : {}) } }));
  const e = espace.data;
  const titre = choisit ? 'Espace d’un partenaire' : 'Mon espace';

  useEffect(() => {
    document.title = `${titre}${e?.partenaire ? ` — ${e.partenaire.libelle}` : ''} — Mixité`;
  }, [titre, e]);

  const changer = (changes: Record<string, string | null>) =>
    setParams((prev) => {
      const next: Record<string, string> = Object.fromEntries(prev);
      for (const [k, v] of Object.entries(changes)) if (v === null || v === '') delete next[k];
      else next[k] = v;
      return next;
    });
  const candidats = territoire.data?.perimetres[type] ?? [];

  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>
          {titre}
          {e?.partenaire ? ` — ${e.partenaire.libelle}` : ''}
        </Title>
        <Text>
          Vos chiffres sur chaque objectif de la CIA : l’année, ses semestres et les douze mois glissants que suit le préfet, l’évolution, votre rang parmi
          vos pairs et le nombre de ménages qui manquent pour atteindre la cible.
        </Text>
      </div>

      <Group align="flex-end">
        {choisit ? (
          <>
            <NativeSelect
              label="Type de partenaire"
              value={type}
              data={TYPES_PARTENAIRE.map((t) => ({ value: t, label: LIBELLES_TYPE[t] }))}
              onChange={(event) => changer({ perimetre_type: event.currentTarget.value, perimetre_id: null })}
              w={240}
            />
            <NativeSelect
              label="Partenaire"
              value={id ?? ''}
              data={[{ value: '', label: 'Choisir…' }, ...candidats.map((c) => ({ value: c.id, label: c.libelle }))]}
              onChange={(event) => changer({ perimetre_id: event.currentTarget.value })}
              w={320}
            />
          </>
        ) : null}
        {e ? (
          <NativeSelect label="Année" value={String(e.annee)} data={[...e.annees].reverse().map(String)} onChange={(event) => changer({ annee: event.currentTarget.value })} w={140} />
        ) : null}
      </Group>

      {espace.error ? <Erreur error={espace.error} /> : null}
      {espace.loading && !e ? <Chargement quoi="de vos indicateurs" /> : null}
      {e && !e.partenaire ? <Text>Choisissez un partenaire pour voir sa page, telle qu’il la voit.</Text> : null}
      {e?.perimetres.map((p) => (
        <BlocPerimetre key={`${p.perimetre_type}:${p.perimetre_id}`} espace={e} perimetre={p} />
      ))}
    </Stack>
  );
}

type Perimetre = Espace['perimetres'][number];

function BlocPerimetre({ espace, perimetre }: { espace: Espace; perimetre: Perimetre }) {
  const lien = useLien();
  const { session } = useSession();
  const titreId = `espace-${perimetre.perimetre_type}-${perimetre.perimetre_id}`.replace(/[^\w-]/g, '_');
  const nonReserve = bailleurDuNonReserve(perimetre.perimetre_id) !== null;
  const avecCible = perimetre.objectifs.filter((o) => ligneDe(o, String(espace.annee))?.cible != null);
  const manques = avecCible.filter((o) => (o.manquants ?? 0) > 0);
  const semestre = parsePeriode(espace.semestre)?.libelle ?? espace.semestre;
  const glissant = parsePeriode(espace.glissant)?.libelle ?? espace.glissant;
  const objectifs = perimetre.objectifs.filter((o) => o.lignes.some((l) => (l.denominateur ?? 0) > 0 || l.cible !== null));

  return (
    <Paper withBorder p="md" component="section" aria-labelledby={titreId}>
      <Stack gap="sm">
        <Title order={2} id={titreId}>
          {perimetre.perimetre_libelle}
        </Title>
        {nonReserve ? (
          <Text size="sm">
            Votre stock non réservé est un contingent à part entière : c’est ici que se lit votre objectif de propositions aux ménages prioritaires (25 %
            des attributions de chaque réservataire et des logements non réservés, art. L441-1 du CCH).
          </Text>
        ) : null}
        <Text fw={600} data-resume>
          {avecCible.length === 0
            ? `Aucun objectif chiffré sur ce périmètre en ${espace.annee}.`
            : manques.length === 0
              ? `${espace.annee} : ${avecCible.length > 1 ? `les ${avecCible.length} objectifs chiffrés sont atteints` : 'l’objectif chiffré est atteint'}.`
              : `${espace.annee} : ${manques.length} objectif${manques.length > 1 ? 's' : ''} sur ${avecCible.length} non atteint${manques.length > 1 ? 's' : ''} — ${manques
                  .map((o) => `${o.libelle} : ${formatEntier(o.manquants)} ménage${(o.manquants ?? 0) > 1 ? 's' : ''} manquant${(o.manquants ?? 0) > 1 ? 's' : ''}`)
                  .join(' ; ')}.`}
        </Text>
        {objectifs.length === 0 ? (
          <Text size="sm">Aucune attribution sur ce périmètre en {espace.annee}.</Text>
        ) : (
          <Table.ScrollContainer minWidth={900}>
            <Table striped withTableBorder>
              <Table.Caption>
                {perimetre.perimetre_libelle} : objectifs {espace.annee}, {semestre.toLowerCase()} et {glissant}
              </Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Objectif</Table.Th>
                  <Table.Th scope="col">Cible</Table.Th>
                  <Table.Th scope="col">Année {espace.annee}</Table.Th>
                  <Table.Th scope="col">Ménages manquants</Table.Th>
                  <Table.Th scope="col">{semestre}</Table.Th>
                  <Table.Th scope="col">{glissant}</Table.Th>
                  <Table.Th scope="col">Rang parmi les pairs</Table.Th>
                  <Table.Th scope="col">Évolution</Table.Th>
                  {session.droits.menages ? <Table.Th scope="col">Attributions</Table.Th> : null}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {objectifs.map((o) => {
                  const an = ligneDe(o, String(espace.annee));
                  return (
                    <Table.Tr key={o.indicateur} data-indicateur={o.indicateur}>
                      <Table.Th scope="row" fw={500}>
                        {o.libelle}
                      </Table.Th>
                      <Table.Td>{an?.cible != null ? formatTaux(an.cible) : 'Sans objectif'}</Table.Td>
                      <Table.Td>
                        <Chiffre ligne={an} />
                      </Table.Td>
                      <Table.Td data-manquants>{o.manquants === null ? '—' : formatEntier(o.manquants)}</Table.Td>
                      <Table.Td>
                        <Chiffre ligne={ligneDe(o, espace.semestre)} />
                        {o.manquants_semestre ? <Text size="xs">{formatEntier(o.manquants_semestre)} manquant{o.manquants_semestre > 1 ? 's' : ''}</Text> : null}
                      </Table.Td>
                      <Table.Td>
                        <Chiffre ligne={ligneDe(o, espace.glissant)} />
                      </Table.Td>
                      <Table.Td>{o.rang ? `${o.rang.position}${o.rang.position === 1 ? 'er' : 'e'} sur ${o.rang.sur}` : '—'}</Table.Td>
                      <Table.Td>
                        <Tendance lignes={o.tendance} />
                      </Table.Td>
                      {session.droits.menages ? (
                        <Table.Td>
                          {an && (an.denominateur ?? 0) > 0 ? (
                            <Anchor
                              {...lien(
                                `/objectifs/${o.indicateur}/attributions?periode=${espace.annee}&perimetre_type=${perimetre.perimetre_type}&perimetre_id=${encodeURIComponent(perimetre.perimetre_id)}`,
                              )}
                              size="sm"
                            >
                              Voir
                              <span className="visuellement-cache">
                                {' '}
                                les attributions : {o.libelle}, {perimetre.perimetre_libelle}
                              </span>
                            </Anchor>
                          ) : (
                            '—'
                          )}
                        </Table.Td>
                      ) : null}
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Paper>
  );
}

const ligneDe = (o: ObjectifEspace, periode: string): LigneIndicateur | undefined => o.lignes.find((l) => l.periode === periode);

/** A rate with its counts, and whether the target is met in words (never colour alone); decimals as the target needs. */
function Chiffre({ ligne }: { ligne: LigneIndicateur | undefined }) {
  if (!ligne || !ligne.denominateur) return <>—</>;
  const { taux } = formaterTauxContreCible(ligne.numerateur, ligne.denominateur, ligne.cible, ligne.taux);
  return (
    <>
      <Text span fw={600}>
        {taux}
      </Text>{' '}
      <Text span size="xs">
        ({formatEntier(ligne.numerateur)} / {formatEntier(ligne.denominateur)})
      </Text>
      {ligne.atteint === null ? null : (
        <Text size="xs" c={ligne.atteint ? 'teal.9' : 'red.9'} fw={600}>
          {ligne.atteint ? 'atteint' : 'non atteint'}
        </Text>
      )}
    </>
  );
}

function Tendance({ lignes }: { lignes: readonly LigneIndicateur[] }) {
  const points = lignes.filter((l) => l.taux !== null);
  if (points.length === 0) return <>—</>;
  return <Text size="xs">{points.map((l) => `${l.periode} : ${formatTaux(l.taux)}`).join(' · ')}</Text>;
}
