import { Button, Group, NativeSelect, NumberInput, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import type { CheminYaml, GrilleFormulaire } from '@mixite/core';
import { ajouterCritere, lireFormulaire, modifierGrille } from '@mixite/core';
import { useState } from 'react';

/**
 * The grid as a form (issue 15 item 5): each criterion's label and points, each heading's mode (max or somme) and cap,
 * and a criterion to add (a field equal to a value). Every change is written into the YAML text (core's
 * edition-grille.ts keeps the expert's comments and anchors) and checked by the server as the person types.
 */
export function EditeurFormulaire({ texte, onChange }: { texte: string; onChange: (texte: string) => void }) {
  const formulaire: GrilleFormulaire | null = lireFormulaire(texte);
  if (!formulaire) return <Text>Le texte de la grille n’est pas lisible : corrigez-le dans l’onglet YAML (les erreurs sont listées ci-dessous).</Text>;
  const changer = (chemin: CheminYaml, valeur: string | number | null) => onChange(modifierGrille(texte, chemin, valeur));
  return (
    <Stack gap="lg">
      {formulaire.corps.map((corps) => (
        <Stack key={corps.libelle} gap="sm" component="section" aria-label={`Critères — ${corps.libelle}`}>
          {formulaire.corps.length > 1 ? <Title order={3}>{corps.libelle}</Title> : null}
          <Table withTableBorder striped>
            <Table.Caption>Critères{formulaire.corps.length > 1 ? ` — ${corps.libelle}` : ''} : libellé montré au demandeur, condition, points</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Identifiant</Table.Th>
                <Table.Th scope="col">Libellé</Table.Th>
                <Table.Th scope="col">Condition</Table.Th>
                <Table.Th scope="col">Points</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {corps.criteres.map((c) => (
                <Table.Tr key={c.chemin.join('.')}>
                  <Table.Td>{c.id}</Table.Td>
                  <Table.Td>
                    {c.partage ? (
                      <Text size="sm">{c.libelle} (critère partagé, modifiable là où il est défini)</Text>
                    ) : (
                      <TextInput aria-label={`Libellé du critère ${c.id}`} value={c.libelle} onChange={(e) => changer([...c.chemin, 'libelle'], e.currentTarget.value)} />
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{c.conditions}</Text>
                  </Table.Td>
                  <Table.Td>
                    {c.partage ? (
                      <Text size="sm">{c.points ?? `${c.pointsParMois} par mois`}</Text>
                    ) : c.points !== null ? (
                      <NumberInput aria-label={`Points du critère ${c.id}`} value={c.points} decimalScale={2} w={110} onChange={(v) => changer([...c.chemin, 'points'], typeof v === 'number' ? v : v === '' ? 0 : Number(v.replace(',', '.')))} />
                    ) : (
                      <Group gap="xs" wrap="nowrap">
                        <NumberInput aria-label={`Points par mois du critère ${c.id}`} value={c.pointsParMois ?? 0} decimalScale={2} w={100} onChange={(v) => changer([...c.chemin, 'points_par_mois'], Number(v))} />
                        <NumberInput aria-label={`Plafond du critère ${c.id}`} value={c.plafond ?? ''} decimalScale={2} w={100} placeholder="sans plafond" onChange={(v) => changer([...c.chemin, 'plafond'], v === '' ? null : Number(v))} />
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {corps.rubriques.length > 0 ? (
            <Table withTableBorder>
              <Table.Caption>Rubriques{formulaire.corps.length > 1 ? ` — ${corps.libelle}` : ''} : « max » ne compte que le meilleur critère, « somme » les additionne (plafond facultatif)</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Rubrique</Table.Th>
                  <Table.Th scope="col">Critères</Table.Th>
                  <Table.Th scope="col">Mode</Table.Th>
                  <Table.Th scope="col">Plafond</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {corps.rubriques.map((r) => (
                  <Table.Tr key={r.chemin.join('.')}>
                    <Table.Td>{r.id}</Table.Td>
                    <Table.Td>{r.criteres.join(', ')}</Table.Td>
                    <Table.Td>
                      <NativeSelect aria-label={`Mode de la rubrique ${r.id}`} value={r.mode} data={[{ value: 'max', label: 'max' }, { value: 'somme', label: 'somme' }]} onChange={(e) => changer([...r.chemin, 'mode'], e.currentTarget.value)} w={110} />
                    </Table.Td>
                    <Table.Td>
                      <NumberInput aria-label={`Plafond de la rubrique ${r.id}`} value={r.plafond ?? ''} placeholder="sans plafond" decimalScale={2} w={120} onChange={(v) => changer([...r.chemin, 'plafond'], v === '' ? null : Number(v))} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          ) : null}
          <NouveauCritere onAjouter={(c) => onChange(ajouterCritere(texte, corps.chemin, c))} corps={corps.libelle} />
        </Stack>
      ))}
    </Stack>
  );
}

function NouveauCritere({ onAjouter, corps }: { onAjouter: (c: { id: string; libelle: string; points: number; si: Record<string, string> }) => void; corps: string }) {
  const [id, setId] = useState('');
  const [libelle, setLibelle] = useState('');
  const [points, setPoints] = useState<number>(5);
  const [champ, setChamp] = useState('');
  const [valeur, setValeur] = useState('');
  const pret = id.trim() !== '' && libelle.trim() !== '' && champ.trim() !== '' && valeur.trim() !== '';
  return (
    <Group align="flex-end" gap="sm" role="group" aria-label={`Ajouter un critère — ${corps}`}>
      <TextInput label="Identifiant" value={id} onChange={(e) => setId(e.currentTarget.value)} w={140} />
      <TextInput label="Libellé" value={libelle} onChange={(e) => setLibelle(e.currentTarget.value)} w={220} />
      <TextInput label="Champ de la demande" placeholder="motif" value={champ} onChange={(e) => setChamp(e.currentTarget.value)} w={170} />
      <TextInput label="égal à" placeholder="violences" value={valeur} onChange={(e) => setValeur(e.currentTarget.value)} w={140} />
      <NumberInput label="Points" value={points} onChange={(v) => setPoints(Number(v))} w={90} />
      <Button
        variant="default"
        disabled={!pret}
        onClick={() => {
          onAjouter({ id: id.trim(), libelle: libelle.trim(), points, si: { [champ.trim()]: valeur.trim() } });
          setId('');
          setLibelle('');
          setChamp('');
          setValeur('');
        }}
      >
        Ajouter le critère
      </Button>
    </Group>
  );
}
