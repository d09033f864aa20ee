import { Alert, Button, Checkbox, Fieldset, Group, List, NativeSelect, NumberInput, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import type { CiaConfig, Configuration, ProblemeConfiguration } from '@mixite/server/contract';
import type { TargetId } from '@mixite/core';
import { LEGAL_INDICATOR_IDS, LIBELLES_TYPE_CONTINGENT, PERIMETER_TYPES, TARGET_IDS, intituleDeLaCible } from '@mixite/core';
import { useEffect, useState } from 'react';
import { DataTable } from '../components/DataTable.tsx';
import { Chargement, Erreur } from '../components/Etat.tsx';
import { ApiError, envoyer } from '../lib/api.ts';
import { lecture } from '../lib/client.ts';
import { formatDate } from '../lib/format.ts';
import { libelleIndicateur, libellePerimetreType } from '../lib/indicateurs.ts';
import { useSession } from '../lib/session.tsx';
import { useTerritoire } from '../lib/territoire.tsx';
import { useApi } from '../lib/use-api.ts';

/** A share typed as a percentage: '' is "no target". */
type Pourcentage = number | string;

interface Brouillon {
  readonly code_epci: string;
  readonly cibles: Record<TargetId, Pourcentage>;
  readonly cibles_par_perimetre: { indicateur: string; perimetre_type: string; perimetre_id: string; cible: Pourcentage }[];
  readonly assimiles_comme_qpv: boolean;
  readonly uc: { premiere_personne: Pourcentage; autre_14_ans_et_plus: Pourcentage; moins_14_ans: Pourcentage };
  readonly secret_statistique: Pourcentage;
}

const versPourcentage = (share: number | null | undefined): Pourcentage => (share === null || share === undefined ? '' : Number((share * 100).toFixed(4)));
const versPart = (value: Pourcentage): number | null => (value === '' || value === null ? null : Number((Number(value) / 100).toFixed(6)));
const versNombre = (value: Pourcentage): number => (value === '' ? Number.NaN : Number(value));

function brouillon(config: CiaConfig): Brouillon {
  return {
    code_epci: config.code_epci ?? '',
    cibles: Object.fromEntries(TARGET_IDS.map((id) => [id, versPourcentage(config.cibles[id])])) as Record<TargetId, Pourcentage>,
    cibles_par_perimetre: config.cibles_par_perimetre.map((o) => ({ ...o, cible: versPourcentage(o.cible) })),
    assimiles_comme_qpv: config.assimiles_comme_qpv,
    uc: { ...config.uc },
    secret_statistique: config.secret_statistique,
  };
}

/** The document sent to the server: the edited fields over the stored configuration (unknown keys kept). */
function contenu(base: CiaConfig, b: Brouillon): unknown {
  return {
    ...base,
    code_epci: b.code_epci.trim() === '' ? null : b.code_epci.trim(),
    cibles: Object.fromEntries(TARGET_IDS.map((id) => [id, versPart(b.cibles[id])])),
    cibles_par_perimetre: b.cibles_par_perimetre.map((o) => ({ indicateur: o.indicateur, perimetre_type: o.perimetre_type, perimetre_id: o.perimetre_id, cible: versPart(o.cible) })),
    assimiles_comme_qpv: b.assimiles_comme_qpv,
    uc: { premiere_personne: versNombre(b.uc.premiere_personne), autre_14_ans_et_plus: versNombre(b.uc.autre_14_ans_et_plus), moins_14_ans: versNombre(b.uc.moins_14_ans) },
    secret_statistique: versNombre(b.secret_statistique),
  };
}

export function ParametresPage() {
  const { session } = useSession();
  // Every account reads the settings; only the EPCI and the administrator change them (the server refuses the others).
  const modifiable = session.droits.modification;
  const configuration = useApi(lecture('/api/configuration'));
  const declarations = useApi(lecture('/api/declarations'));
  const versions = useApi(session.droits.partenaire ? lecture('/api/configuration/versions') : null);
  const territoire = useTerritoire();
  const [b, setB] = useState<Brouillon | null>(null);
  const [problemes, setProblemes] = useState<readonly ProblemeConfiguration[]>([]);
  const [erreur, setErreur] = useState<Error | null>(null);
  const [enregistre, setEnregistre] = useState<Configuration | null>(null);
  const [enCours, setEnCours] = useState(false);

  useEffect(() => {
    document.title = 'Paramètres de la CIA — Mixité';
  }, []);
  useEffect(() => {
    if (configuration.data) setB(brouillon(configuration.data.contenu));
  }, [configuration.data]);

  if (configuration.error) return <Erreur error={configuration.error} />;
  if (!configuration.data || !b) return <Chargement quoi="des paramètres" />;
  const base = configuration.data.contenu;

  const libelleCible = intituleDeLaCible;
  const optionsPerimetre = (type: string): { value: string; label: string }[] =>
    type === 'type_contingent'
      ? Object.entries(LIBELLES_TYPE_CONTINGENT).map(([value, label]) => ({ value, label }))
      : type === 'territoire'
        ? [{ value: 'territoire', label: 'Territoire' }]
        : (territoire.data?.perimetres[type] ?? []).map((p) => ({ value: p.id, label: `${p.libelle} (${p.id})` }));

  const enregistrer = async () => {
    setEnCours(true);
    setProblemes([]);
    setErreur(null);
    setEnregistre(null);
    try {
      const saved = await envoyer('put', '/api/configuration', { corps: { contenu: contenu(base, b) as Record<string, unknown> } });
      setEnregistre(saved);
      configuration.reload();
      versions.reload();
    } catch (error) {
      if (error instanceof ApiError && error.status === 422 && Array.isArray(error.details)) setProblemes(error.details as ProblemeConfiguration[]);
      else setErreur(error as Error);
    } finally {
      setEnCours(false);
    }
  };

  const modifier = (change: Partial<Brouillon>) => {
    setEnregistre(null);
    setB({ ...b, ...change });
  };
  const derniere = configuration.data;

  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>Paramètres de la CIA</Title>
        <Text>
          {derniere.version === 0
            ? 'Aucun paramètre enregistré : les valeurs par défaut du format s’appliquent.'
            : `Version ${derniere.version}, enregistrée le ${formatDate(derniere.date_modification)} par ${derniere.auteur ?? '—'} (${derniere.origine ?? ''}).`}
        </Text>
        {modifiable ? null : <Text size="sm">Lecture seule : seuls l’EPCI et l’administrateur de Mixité modifient les paramètres.</Text>}
      </div>

      <form
        onSubmit={(event) => {
          event.preventDefault();
          void enregistrer();
        }}
      >
        <fieldset className="fieldset-nu" disabled={!modifiable}>
        <Stack gap="lg">
          <Fieldset
            legend={
              <Title order={2} size="h4">
                Objectifs d’attribution
              </Title>
            }
          >
            <Text size="sm" mb="sm">
              En pourcentage ; laisser vide pour ne pas fixer d’objectif.
            </Text>
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              {TARGET_IDS.map((id) => (
                <NumberInput
                  key={id}
                  label={libelleCible(id)}
                  value={b.cibles[id]}
                  onChange={(value) => modifier({ cibles: { ...b.cibles, [id]: value } })}
                  min={0}
                  max={100}
                  decimalScale={2}
                  rightSection="%"
                  allowNegative={false}
                />
              ))}
            </SimpleGrid>
          </Fieldset>

          <Fieldset
            legend={
              <Title order={2} size="h4">
                Objectifs par périmètre
              </Title>
            }
          >
            <Text size="sm" mb="sm">
              Une CIA peut territorialiser ses objectifs (par exemple 25 % dans chaque commune). Un objectif vide retire l’objectif sur ce périmètre.
            </Text>
            {b.cibles_par_perimetre.length > 0 ? (
              <div className="tableau-conteneur">
                <Table>
                  <Table.Caption className="visuellement-cache">Objectifs par périmètre</Table.Caption>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">Indicateur</Table.Th>
                      <Table.Th scope="col">Type de périmètre</Table.Th>
                      <Table.Th scope="col">Périmètre</Table.Th>
                      <Table.Th scope="col">Objectif (%)</Table.Th>
                      <Table.Th scope="col">
                        <span className="visuellement-cache">Actions</span>
                      </Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {b.cibles_par_perimetre.map((o, i) => {
                      const set = (change: Partial<typeof o>) =>
                        modifier({ cibles_par_perimetre: b.cibles_par_perimetre.map((x, j) => (j === i ? { ...x, ...change } : x)) });
                      const options = optionsPerimetre(o.perimetre_type);
                      return (
                        <Table.Tr key={i}>
                          <Table.Td>
                            <NativeSelect
                              aria-label={`Indicateur de la ligne ${i + 1}`}
                              value={o.indicateur}
                              data={LEGAL_INDICATOR_IDS.map((id) => ({ value: id, label: libelleIndicateur(declarations.data, id) }))}
                              onChange={(e) => set({ indicateur: e.currentTarget.value })}
                            />
                          </Table.Td>
                          <Table.Td>
                            <NativeSelect
                              aria-label={`Type de périmètre de la ligne ${i + 1}`}
                              value={o.perimetre_type}
                              data={PERIMETER_TYPES.map((t) => ({ value: t, label: libellePerimetreType(t) }))}
                              onChange={(e) => set({ perimetre_type: e.currentTarget.value, perimetre_id: optionsPerimetre(e.currentTarget.value)[0]?.value ?? '' })}
                            />
                          </Table.Td>
                          <Table.Td>
                            <NativeSelect
                              aria-label={`Périmètre de la ligne ${i + 1}`}
                              value={o.perimetre_id}
                              data={options.some((x) => x.value === o.perimetre_id) ? options : [{ value: o.perimetre_id, label: o.perimetre_id }, ...options]}
                              onChange={(e) => set({ perimetre_id: e.currentTarget.value })}
                            />
                          </Table.Td>
                          <Table.Td>
                            <NumberInput aria-label={`Objectif de la ligne ${i + 1} (%)`} value={o.cible} onChange={(value) => set({ cible: value })} min={0} max={100} decimalScale={2} w={110} />
                          </Table.Td>
                          <Table.Td>
                            <Button
                              variant="default"
                              size="compact-sm"
                              onClick={() => modifier({ cibles_par_perimetre: b.cibles_par_perimetre.filter((_, j) => j !== i) })}
                              aria-label={`Retirer la ligne ${i + 1}`}
                            >
                              Retirer
                            </Button>
                          </Table.Td>
                        </Table.Tr>
                      );
                    })}
                  </Table.Tbody>
                </Table>
              </div>
            ) : null}
            <Button
              variant="default"
              mt="sm"
              onClick={() =>
                modifier({
                  cibles_par_perimetre: [
                    ...b.cibles_par_perimetre,
                    { indicateur: LEGAL_INDICATOR_IDS[0], perimetre_type: 'commune', perimetre_id: optionsPerimetre('commune')[0]?.value ?? '', cible: 25 },
                  ],
                })
              }
            >
              Ajouter un objectif par périmètre
            </Button>
          </Fieldset>

          <Fieldset
            legend={
              <Title order={2} size="h4">
                Territoire, quartiers et unités de consommation
              </Title>
            }
          >
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              <TextInput
                label="SIREN de l’EPCI"
                description="vide : l’EPCI unique des communes"
                value={b.code_epci}
                onChange={(e) => modifier({ code_epci: e.currentTarget.value })}
              />
              <NumberInput
                label="Seuil du secret statistique (ménages)"
                description="les cellules en dessous sont masquées dans les tableaux publiés"
                value={b.secret_statistique}
                onChange={(value) => modifier({ secret_statistique: value })}
                min={0}
                allowDecimal={false}
              />
              <NumberInput label="UC : première personne" value={b.uc.premiere_personne} onChange={(v) => modifier({ uc: { ...b.uc, premiere_personne: v } })} min={0} decimalScale={3} />
              <NumberInput
                label="UC : autre personne de 14 ans ou plus"
                value={b.uc.autre_14_ans_et_plus}
                onChange={(v) => modifier({ uc: { ...b.uc, autre_14_ans_et_plus: v } })}
                min={0}
                decimalScale={3}
              />
              <NumberInput label="UC : enfant de moins de 14 ans" value={b.uc.moins_14_ans} onChange={(v) => modifier({ uc: { ...b.uc, moins_14_ans: v } })} min={0} decimalScale={3} />
            </SimpleGrid>
            <Checkbox
              mt="md"
              label="Compter les secteurs assimilés (qpv.csv, assimile = 1) comme des QPV"
              checked={b.assimiles_comme_qpv}
              onChange={(e) => modifier({ assimiles_comme_qpv: e.currentTarget.checked })}
            />
          </Fieldset>

          {problemes.length > 0 ? (
            <Alert color="red.9" variant="outline" title="Paramètres refusés" role="alert">
              <List size="sm">
                {problemes.map((p, i) => (
                  <List.Item key={i}>
                    {libelleChemin(p.chemin, libelleCible)} : {p.message}
                  </List.Item>
                ))}
              </List>
            </Alert>
          ) : null}
          {erreur ? <Erreur error={erreur} titre="Enregistrement impossible" /> : null}
          {enregistre ? (
            <Alert color="teal.9" variant="outline" title="Paramètres enregistrés" role="status">
              Version {enregistre.version}, le {formatDate(enregistre.date_modification)} par {enregistre.auteur}. Les indicateurs sont recalculés avec ces paramètres.
            </Alert>
          ) : null}
          {modifiable ? (
            <Group>
              <Button type="submit" loading={enCours}>
                Enregistrer les paramètres
              </Button>
              <Button variant="default" onClick={() => setB(brouillon(base))} disabled={enCours}>
                Annuler les modifications
              </Button>
            </Group>
          ) : null}
        </Stack>
        </fieldset>
      </form>

      <Seuils onSaved={versions.reload} modifiable={modifiable} />

      {session.droits.partenaire ? (
        <section aria-labelledby="titre-versions">
          <Title order={2} size="h3" id="titre-versions" mb="xs">
            Historique des modifications
          </Title>
          {versions.data ? <DataTable tableau={versions.data} legende={versions.data.titre} /> : <Chargement quoi="de l’historique" />}
        </section>
      ) : null}
    </Stack>
  );
}

function libelleChemin(chemin: string, libelleCible: (id: string) => string): string {
  const [racine, cle, sous] = chemin.split('.');
  if (racine === 'cibles' && cle) return `Objectif « ${libelleCible(cle)} »`;
  if (racine === 'cibles_par_perimetre' && cle) return `Objectif par périmètre, ligne ${Number(cle) + 1}${sous ? ` (${sous})` : ''}`;
  if (racine === 'uc') return `Unités de consommation (${cle ?? ''})`;
  if (racine === 'secret_statistique') return 'Seuil du secret statistique';
  if (racine === 'code_epci') return 'SIREN de l’EPCI';
  return chemin;
}

interface SeuilBrouillon {
  annee: Pourcentage;
  code_epci: string;
  seuil_q1: Pourcentage;
  source: string;
}

function Seuils({ onSaved, modifiable }: { onSaved: () => void; modifiable: boolean }) {
  const seuils = useApi(lecture('/api/seuils'));
  const [lignes, setLignes] = useState<SeuilBrouillon[] | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; texte: string } | null>(null);
  const [enCours, setEnCours] = useState(false);

  useEffect(() => {
    if (seuils.data) setLignes(seuils.data.lignes.map((s) => ({ annee: s.annee, code_epci: s.code_epci ?? '', seuil_q1: s.seuil_q1, source: s.source ?? '' })));
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
            <Button variant="default" onClick={() => setLignes([{ annee: new Date().getFullYear(), code_epci: '', seuil_q1: '', source: '' }, ...lignes])}>
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
