import { Button, Group, Input, NativeSelect, Paper, Stack, Text, Title } from '@mantine/core';
import type { ImportReport, Televersement } from '@mixite/server/contract';
import { useEffect, useId, useRef, useState } from 'react';
import { Chargement, Erreur } from '../components/Etat.tsx';
import { envoyer, televerser } from '../lib/api.ts';
import { lecture } from '../lib/client.ts';
import { CorrespondanceGuidee } from './donnees/CorrespondanceGuidee.tsx';
import { FormatDesFichiers, GuideFichiers } from './donnees/GuideFichiers.tsx';
import { HistoriqueImports } from './donnees/HistoriqueImports.tsx';
import { RapportImport } from './donnees/RapportImport.tsx';
import { PageReservee } from '../components/Etat.tsx';
import { useSession } from '../lib/session.tsx';
import { useTerritoire } from '../lib/territoire.tsx';
import { useApi } from '../lib/use-api.ts';

/**
 * Upload → the importer's report (nothing written) → confirmation → import. The report is the importer's own,
 * so the located errors are those the command line prints.
 */
export function DonneesPage() {
  const { session } = useSession();
  if (!session.droits.modification) return <PageReservee titre="Données" />;
  return <Donnees />;
}

function Donnees() {
  const territoire = useTerritoire();
  const historique = useApi(lecture('/api/imports'));
  const format = useApi(lecture('/api/format-donnees'));
  const correspondances = useApi(lecture('/api/correspondances'));
  const [enregistree, setEnregistree] = useState('');
  const [fichiers, setFichiers] = useState<File[]>([]);
  const [correspondance, setCorrespondance] = useState<File | null>(null);
  const [verification, setVerification] = useState<Televersement | null>(null);
  const [resultat, setResultat] = useState<ImportReport | null>(null);
  const [enCours, setEnCours] = useState<'verification' | 'import' | null>(null);
  const [erreur, setErreur] = useState<Error | null>(null);
  const formulaire = useRef<HTMLFormElement>(null);
  const rapportRef = useRef<HTMLDivElement>(null);
  const ids = { fichiers: useId(), dossier: useId(), correspondance: useId(), enregistree: useId() };

  useEffect(() => {
    document.title = 'Données — Mixité';
  }, []);

  // The report appears below the form: the focus goes to it so that a screen reader reads the outcome.
  useEffect(() => {
    if (verification || resultat) rapportRef.current?.focus();
  }, [verification, resultat]);

  const verifier = async () => {
    setEnCours('verification');
    setErreur(null);
    setResultat(null);
    setVerification(null);
    try {
      const form = new FormData();
      for (const f of fichiers) form.append('fichiers', f, f.name);
      if (correspondance) form.append('correspondance', correspondance, correspondance.name);
      else if (enregistree) form.append('correspondanceEnregistree', enregistree);
      setVerification(await televerser(form));
    } catch (error) {
      setErreur(error as Error);
    } finally {
      setEnCours(null);
    }
  };

  const confirmer = async () => {
    if (!verification?.jeton) return;
    setEnCours('import');
    setErreur(null);
    try {
      const rapport = await envoyer('post', '/api/televersements/{jeton}/confirmation', { params: { jeton: verification.jeton } });
      setResultat(rapport);
      setVerification(null);
      setFichiers([]);
      setCorrespondance(null);
      formulaire.current?.reset();
      historique.reload();
      format.reload();
      territoire.reload();
    } catch (error) {
      setErreur(error as Error);
    } finally {
      setEnCours(null);
    }
  };

  const abandonner = async () => {
    if (verification?.jeton) await envoyer('delete', '/api/televersements/{jeton}', { params: { jeton: verification.jeton } }).catch(() => undefined);
    setVerification(null);
  };

  const choisir = (list: FileList | null) => setFichiers(list ? [...list].filter((f) => /\.(csv|xlsx|ya?ml)$/i.test(f.name)) : []);

  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>Données</Title>
        <Text>
          Charger une extraction au format canonique (CSV ou XLSX, le fichier cia.yaml et, pour les cartes, contours.geojson), vérifier le rapport et ce que l’import
          remplacera, puis confirmer l’import.
        </Text>
      </div>

      <Paper withBorder p="md" component="section" aria-labelledby="titre-fichiers">
        <Title order={2} id="titre-fichiers" size="h3" mb="sm">
          Les fichiers d’un jeu de données
        </Title>
        {format.error ? <Erreur error={format.error} /> : null}
        {format.data ? <GuideFichiers format={format.data} /> : <Chargement quoi="de la liste des fichiers" />}
      </Paper>

      <Paper withBorder p="md" component="section" aria-labelledby="titre-correspondance">
        <Title order={2} id="titre-correspondance" size="h3" mb="sm">
          Correspondance guidée (extraction SNE ou autre)
        </Title>
        {format.data ? (
          <CorrespondanceGuidee
            format={format.data}
            onEnregistree={(nom) => {
              correspondances.reload();
              setEnregistree(nom);
            }}
          />
        ) : null}
      </Paper>

      <Paper withBorder p="md" component="section" aria-labelledby="titre-depot">
        <Title order={2} id="titre-depot" size="h3" mb="sm">
          Déposer des fichiers
        </Title>
        <form
          ref={formulaire}
          onSubmit={(event) => {
            event.preventDefault();
            void verifier();
          }}
        >
          <Stack gap="sm">
            <Input.Wrapper label="Fichiers du jeu de données" description="communes.csv, bailleurs.csv, attributions.csv… ; plusieurs fichiers possibles" id={ids.fichiers}>
              <input id={ids.fichiers} name="fichiers" type="file" multiple accept=".csv,.xlsx,.yaml,.yml,.geojson" onChange={(e) => choisir(e.currentTarget.files)} />
            </Input.Wrapper>
            <Input.Wrapper label="Ou un dossier entier" description="le dossier d’une extraction" id={ids.dossier}>
              <input id={ids.dossier} name="dossier" type="file" multiple {...{ webkitdirectory: '' }} onChange={(e) => choisir(e.currentTarget.files)} />
            </Input.Wrapper>
            <Input.Wrapper
              label="Correspondance des en-têtes (facultatif)"
              description="fichier YAML décrivant les en-têtes d’une extraction SNE, RPLS ou d’un bailleur"
              id={ids.correspondance}
            >
              <input id={ids.correspondance} name="correspondance" type="file" accept=".yaml,.yml" onChange={(e) => setCorrespondance(e.currentTarget.files?.[0] ?? null)} />
            </Input.Wrapper>
            <NativeSelect
              id={ids.enregistree}
              label="Ou une correspondance enregistrée"
              description="enregistrée avec la correspondance guidée ci-dessus"
              value={enregistree}
              onChange={(e) => setEnregistree(e.currentTarget.value)}
              data={[{ value: '', label: '— aucune —' }, ...(correspondances.data?.correspondances ?? []).map((c) => ({ value: c.nom, label: `${c.nom} (${c.fichiers})` }))]}
            />
            {fichiers.length > 0 ? (
              <Text size="sm">
                {fichiers.length} fichier{fichiers.length > 1 ? 's' : ''} choisi{fichiers.length > 1 ? 's' : ''} : {fichiers.map((f) => f.name).join(', ')}
              </Text>
            ) : null}
            <Group>
              <Button type="submit" disabled={fichiers.length === 0} loading={enCours === 'verification'}>
                Vérifier les fichiers
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>

      {erreur ? <Erreur error={erreur} titre="Opération impossible" /> : null}

      <div ref={rapportRef} tabIndex={-1} style={{ outline: 'none' }} aria-live="polite">
        {verification ? <RapportImport rapport={verification.rapport} titre="Rapport de vérification" mode="verification" listeComplete={verification.listeComplete} /> : null}
        {verification?.jeton ? (
          <Group mt="md">
            <Button onClick={() => void confirmer()} loading={enCours === 'import'} color="teal.9">
              Confirmer l’import
            </Button>
            <Button variant="default" onClick={() => void abandonner()} disabled={enCours === 'import'}>
              Abandonner
            </Button>
          </Group>
        ) : null}
        {/* The confirmed import's report stays on screen (counts, what was replaced, warnings) until the next verification. */}
        {resultat ? <RapportImport rapport={resultat} titre={resultat.statut === 'reussi' ? 'Rapport de l’import' : 'Rapport de l’import refusé'} mode="import" /> : null}
      </div>

      <section aria-labelledby="titre-historique">
        <HistoriqueImports historique={historique} />
      </section>

      {format.data ? (
        <section aria-labelledby="format-des-fichiers">
          <FormatDesFichiers format={format.data} />
        </section>
      ) : null}
    </Stack>
  );
}
