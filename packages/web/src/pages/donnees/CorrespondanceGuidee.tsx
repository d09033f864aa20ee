import { Alert, Button, Group, Input, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import type { FormatDonnees, PropositionCorrespondanceApi } from '@mixite/contract';
import { apercuCorrespondance } from '@mixite/core';
import type { FileName } from '@mixite/core';
import type { ReactNode } from 'react';
import { useId, useMemo, useState } from 'react';
import { Erreur } from '../../components/Etat.tsx';
import { envoyer, proposerCorrespondanceApi } from '../../lib/api.ts';

/** Bytes of a CSV sent for a proposal: its beginning is a sample enough (an SNE extraction may weigh 100 Mo). */
const DEBUT_CSV = 1 << 20;
const LIBRE = '';

/**
 * The guided mapping (issue 17): upload an extraction whose headers are not the format's (an SNE extraction, a
 * bailleur's export), read the proposed column for each header and code for each value, correct them, preview the
 * first rows as the import will read them, save the mapping under a name — then choose it when depositing the files.
 */
export function CorrespondanceGuidee({ format, onEnregistree }: { format: FormatDonnees; onEnregistree: (nom: string) => void }) {
  const ids = { fichier: useId(), table: useId(), nom: useId() };
  const [extraction, setExtraction] = useState<File | null>(null);
  const [table, setTable] = useState<FileName>('demandes');
  const [proposition, setProposition] = useState<PropositionCorrespondanceApi | null>(null);
  const [colonnes, setColonnes] = useState<Record<string, string>>({});
  const [codes, setCodes] = useState<Record<string, Record<string, string>>>({});
  const [nom, setNom] = useState('');
  const [enCours, setEnCours] = useState(false);
  const [erreur, setErreur] = useState<Error | null>(null);
  const [enregistree, setEnregistree] = useState<string | null>(null);
  const spec = format.fichiers.find((f) => f.fichier === (proposition?.fichier ?? table));

  const proposer = async () => {
    if (!extraction) return;
    setEnCours(true);
    setErreur(null);
    setEnregistree(null);
    try {
      const form = new FormData();
      const csv = !/\.xlsx$/i.test(extraction.name);
      form.append('extraction', csv ? new File([extraction.slice(0, DEBUT_CSV)], extraction.name) : extraction, extraction.name);
      form.append('fichier', table);
      const p = await proposerCorrespondanceApi(form);
      setProposition(p);
      setColonnes(Object.fromEntries(p.colonnes.map((c) => [c.entete, c.colonne ?? LIBRE])));
      setCodes(Object.fromEntries(Object.entries(p.codes).map(([col, t]) => [col, Object.fromEntries(Object.entries(t).map(([v, c]) => [v, c ?? LIBRE]))])));
      setNom(`Extraction ${extraction.name.replace(/\.[^.]+$/, '')}`);
    } catch (error) {
      setErreur(error as Error);
    } finally {
      setEnCours(false);
    }
  };

  // Distinct values of each header mapped to a code column, to offer a code for each (the proposal's, or all seen).
  const valeursCodees = useMemo(() => {
    if (!proposition || !spec) return [];
    const out: { colonne: string; codesPossibles: readonly string[]; valeurs: string[] }[] = [];
    for (const [i, entete] of proposition.entetes.entries()) {
      const colonne = colonnes[entete];
      const col = spec.colonnes.find((c) => c.nom === colonne);
      if (!colonne || !col?.codes) continue;
      const valeurs = [...new Set(proposition.lignes.map((l) => (l[i] ?? '').trim()).filter((v) => v !== '' && !col.codes?.includes(v)))];
      if (valeurs.length > 0) out.push({ colonne, codesPossibles: col.codes, valeurs });
    }
    return out;
  }, [proposition, colonnes, spec]);

  const mapping = useMemo(() => {
    const c: Record<string, string> = {};
    for (const [entete, colonne] of Object.entries(colonnes)) if (colonne !== LIBRE && colonne !== entete) c[entete] = colonne;
    const k: Record<string, Record<string, string>> = {};
    for (const { colonne, valeurs } of valeursCodees) {
      const gardes = valeurs.filter((v) => (codes[colonne]?.[v] ?? LIBRE) !== LIBRE).map((v) => [v, codes[colonne]?.[v] ?? ''] as const);
      if (gardes.length > 0) k[colonne] = Object.fromEntries(gardes);
    }
    return { colonnes: c, codes: k };
  }, [colonnes, codes, valeursCodees]);

  const apercu = useMemo(
    () => (proposition ? apercuCorrespondance({ entetes: proposition.entetes, lignes: proposition.lignes }, mapping, proposition.fichier, 5) : null),
    [proposition, mapping],
  );

  const enregistrer = async () => {
    if (!proposition || nom.trim() === '') return;
    setErreur(null);
    try {
      const corps = { nom: nom.trim(), fichiers: { [proposition.fichier]: { fichiers: [proposition.source], colonnes: mapping.colonnes, codes: mapping.codes } } };
      await envoyer('put', '/api/correspondances/{nom}', { params: { nom: nom.trim() }, corps });
      setEnregistree(nom.trim());
      onEnregistree(nom.trim());
    } catch (error) {
      setErreur(error as Error);
    }
  };

  return (
    <Stack gap="sm">
      <Text>
        Une extraction dont les en-têtes ne sont pas ceux du format (extraction SNE, export d’un bailleur) : Mixité propose pour chaque en-tête une colonne du format, d’après
        son nom et la forme de ses valeurs (dates, codes INSEE, montants, numéros uniques), et un code pour chaque valeur des colonnes codées. Corrigez, vérifiez l’aperçu,
        enregistrez la correspondance sous un nom : elle resservira pour les prochaines extractions.
      </Text>
      <Group align="end">
        <Input.Wrapper label="Extraction à décrire" description="CSV ou XLSX ; seul le début d’un CSV est envoyé" id={ids.fichier}>
          <input id={ids.fichier} type="file" accept=".csv,.txt,.xlsx" onChange={(e) => setExtraction(e.currentTarget.files?.[0] ?? null)} />
        </Input.Wrapper>
        <NativeSelect
          id={ids.table}
          label="Elle contient"
          value={table}
          onChange={(e) => setTable(e.currentTarget.value as FileName)}
          data={format.fichiers.map((f) => ({ value: f.fichier, label: `${f.fichier} — ${f.libelle}` }))}
        />
        <Button onClick={() => void proposer()} disabled={!extraction} loading={enCours}>
          Proposer une correspondance
        </Button>
      </Group>
      {erreur ? <Erreur error={erreur} titre="Correspondance impossible" /> : null}
      {proposition && spec ? (
        <Stack gap="sm">
          <Text size="sm">
            {proposition.source} : {proposition.entetes.length} en-têtes, {proposition.lignes.length} premières lignes lues ({proposition.encodage}, {proposition.separateur}).
          </Text>
          <Defilant nom="En-têtes de l’extraction">
            <Table striped withTableBorder>
              <Table.Caption>En-têtes de l’extraction et colonnes proposées</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">En-tête</Table.Th>
                  <Table.Th scope="col">Exemples</Table.Th>
                  <Table.Th scope="col">Colonne du format</Table.Th>
                  <Table.Th scope="col">Confiance</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {proposition.colonnes.map((c, i) => (
                  <Table.Tr key={c.entete}>
                    <Table.Th scope="row">{c.entete}</Table.Th>
                    <Table.Td>
                      {proposition.lignes
                        .slice(0, 2)
                        .map((l) => l[i] ?? '')
                        .join(' · ')}
                    </Table.Td>
                    <Table.Td>
                      <NativeSelect
                        aria-label={`Colonne du format pour « ${c.entete} »`}
                        value={colonnes[c.entete] ?? LIBRE}
                        onChange={(e) => setColonnes({ ...colonnes, [c.entete]: e.currentTarget.value })}
                        data={[{ value: LIBRE, label: '— attribut libre —' }, ...spec.colonnes.map((k) => ({ value: k.nom, label: k.nom }))]}
                      />
                    </Table.Td>
                    <Table.Td title={c.raison}>{c.colonne === null ? '—' : `${Math.round(c.confiance * 100)} %${c.confiance < 0.6 ? ' (à vérifier)' : ''}`}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Defilant>
          {valeursCodees.map(({ colonne, codesPossibles, valeurs }) => (
            <Table key={colonne} withTableBorder>
              <Table.Caption>Codes de {colonne}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Valeur de l’extraction</Table.Th>
                  <Table.Th scope="col">Code du format</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {valeurs.map((v) => (
                  <Table.Tr key={v}>
                    <Table.Th scope="row">{v}</Table.Th>
                    <Table.Td>
                      <NativeSelect
                        aria-label={`Code de ${colonne} pour « ${v} »`}
                        value={codes[colonne]?.[v] ?? LIBRE}
                        onChange={(e) => setCodes({ ...codes, [colonne]: { ...codes[colonne], [v]: e.currentTarget.value } })}
                        data={[{ value: LIBRE, label: '— aucun —' }, ...codesPossibles.map((k) => ({ value: k, label: k }))]}
                      />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          ))}
          {apercu ? (
            <>
              <Title order={3} size="h4">
                Aperçu : les premières lignes telles que l’import les lira
              </Title>
              {apercu.obligatoiresManquantes.length > 0 ? (
                <Alert color="red.9" variant="outline" title="Colonnes obligatoires sans en-tête">
                  {apercu.obligatoiresManquantes.join(', ')} : choisissez l’en-tête qui les contient, sinon l’import sera refusé.
                </Alert>
              ) : null}
              <Defilant nom="Aperçu de la lecture">
                <Table withTableBorder>
                  <Table.Caption>Aperçu de la lecture</Table.Caption>
                  <Table.Thead>
                    <Table.Tr>
                      {apercu.colonnes.map((c) => (
                        <Table.Th scope="col" key={c.colonne}>
                          {c.colonne}
                        </Table.Th>
                      ))}
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {apercu.lignes.map((ligne, r) => (
                      <Table.Tr key={r}>
                        {ligne.map((cellule, k) => (
                          <Table.Td key={k} c={cellule.erreur ? 'red.9' : undefined}>
                            {cellule.erreur ? `« ${cellule.brut} » refusé — attendu : ${cellule.erreur}` : (cellule.lu ?? '')}
                          </Table.Td>
                        ))}
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Defilant>
            </>
          ) : null}
          <Group align="end">
            <TextInput id={ids.nom} label="Nom de la correspondance" value={nom} onChange={(e) => setNom(e.currentTarget.value)} maxLength={120} />
            <Button onClick={() => void enregistrer()} disabled={nom.trim() === ''}>
              Enregistrer la correspondance
            </Button>
          </Group>
          {enregistree ? (
            <Alert color="teal.9" variant="outline" title={`Correspondance « ${enregistree} » enregistrée`}>
              Choisissez-la au dépôt des fichiers ci-dessus, pour cette extraction et les suivantes.
            </Alert>
          ) : null}
        </Stack>
      ) : null}
    </Stack>
  );
}

/** A wide table that scrolls sideways: a focusable, named region, so that a keyboard user can scroll it (axe). */
function Defilant({ nom, children }: { nom: string; children: ReactNode }) {
  return (
    <div role="region" aria-label={`${nom} (défilement horizontal)`} tabIndex={0} style={{ overflowX: 'auto' }}>
      {children}
    </div>
  );
}
