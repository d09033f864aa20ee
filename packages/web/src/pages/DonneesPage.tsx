import { Alert, Button, Group, Input, Paper, Stack, Text, Title } from '@mantine/core';
import type { ImportProblem, ImportReport, Tableau, Televersement } from '@mixite/server/contract';
import { useEffect, useId, useRef, useState } from 'react';
import { DataTable } from '../components/DataTable.tsx';
import { Chargement, Erreur } from '../components/Etat.tsx';
import { envoyer, televerser } from '../lib/api.ts';
import { lecture } from '../lib/client.ts';
import { formatEntier } from '../lib/format.ts';
import { PageReservee } from '../components/Etat.tsx';
import { useSession } from '../lib/session.tsx';
import { useTerritoire } from '../lib/territoire.tsx';
import { useApi } from '../lib/use-api.ts';

const COLONNES_PROBLEMES = [
  { cle: 'fichier', libelle: 'Fichier', type: 'texte' },
  { cle: 'ligne', libelle: 'Ligne', type: 'entier' },
  { cle: 'colonne', libelle: 'Colonne', type: 'texte' },
  { cle: 'valeur', libelle: 'Valeur', type: 'texte' },
  { cle: 'message', libelle: 'Problème', type: 'texte' },
] as const;

const COLONNES_FICHIERS = [
  { cle: 'fichier', libelle: 'Fichier', type: 'texte' },
  { cle: 'table', libelle: 'Contenu', type: 'texte' },
  { cle: 'lignesLues', libelle: 'Lignes', type: 'entier' },
  { cle: 'encodage', libelle: 'Encodage', type: 'texte' },
  { cle: 'separateur', libelle: 'Séparateur', type: 'texte' },
  { cle: 'colonnesLibres', libelle: 'Colonnes hors format conservées', type: 'texte' },
] as const;

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
  const [fichiers, setFichiers] = useState<File[]>([]);
  const [correspondance, setCorrespondance] = useState<File | null>(null);
  const [verification, setVerification] = useState<Televersement | null>(null);
  const [resultat, setResultat] = useState<ImportReport | null>(null);
  const [enCours, setEnCours] = useState<'verification' | 'import' | null>(null);
  const [erreur, setErreur] = useState<Error | null>(null);
  const formulaire = useRef<HTMLFormElement>(null);
  const rapportRef = useRef<HTMLDivElement>(null);
  const ids = { fichiers: useId(), dossier: useId(), correspondance: useId() };

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
        <Text>Charger une extraction au format canonique (CSV ou XLSX, le fichier cia.yaml et, pour les cartes, contours.geojson), vérifier le rapport, puis confirmer l’import.</Text>
      </div>

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
        {verification ? <Rapport rapport={verification.rapport} /> : null}
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
        {resultat ? (
          resultat.statut === 'reussi' ? (
            <Alert color="teal.9" variant="outline" title={`Import n° ${resultat.importId ?? ''} réussi`}>
              {formatEntier(resultat.fichiers.reduce((s, f) => s + f.lignesChargees, 0))} lignes chargées ({resultat.fichiers.map((f) => f.fichier).join(', ')}).
              {resultat.configuration === 'importee' ? ' Les paramètres de la CIA du fichier cia.yaml ont été enregistrés.' : ''}
            </Alert>
          ) : (
            <Rapport rapport={resultat} />
          )
        ) : null}
      </div>

      <section aria-labelledby="titre-historique">
        <Title order={2} id="titre-historique" size="h3" mb="xs">
          Historique des imports
        </Title>
        {historique.error ? <Erreur error={historique.error} /> : null}
        {historique.data ? <DataTable tableau={historique.data} legende={historique.data.titre} vide="Aucun import." /> : <Chargement quoi="de l’historique" />}
      </section>
    </Stack>
  );
}

function Rapport({ rapport }: { rapport: ImportReport }) {
  const erreurs = problemes('Erreurs', rapport.erreurs);
  const avertissements = problemes('Avertissements', rapport.avertissements);
  const n = rapport.erreurs.length + rapport.erreursNonListees;
  return (
    <Stack gap="sm">
      <Title order={2} size="h3">
        Rapport de vérification
      </Title>
      {rapport.statut === 'reussi' ? (
        <Alert color="teal.9" variant="outline" title="Fichiers valides">
          Aucune erreur{rapport.avertissements.length > 0 ? `, ${rapport.avertissements.length} avertissement(s)` : ''}. Rien n’est encore écrit : vérifiez le
          rapport puis confirmez l’import. Les tables des fichiers déposés seront remplacées ; les autres sont conservées.
        </Alert>
      ) : (
        <Alert color="red.9" variant="outline" title={`Import refusé : ${n} erreur${n > 1 ? 's' : ''}`} role="alert">
          La base n’a pas été modifiée. Corrigez les fichiers aux lignes et colonnes indiquées, puis déposez-les à nouveau.
          {rapport.erreursNonListees > 0 ? ` ${rapport.erreursNonListees} autres erreurs ne sont pas listées.` : ''}
        </Alert>
      )}
      {rapport.erreurs.length > 0 ? <DataTable tableau={erreurs} legende={erreurs.titre} /> : null}
      {rapport.avertissements.length > 0 ? <DataTable tableau={avertissements} legende={avertissements.titre} /> : null}
      {rapport.fichiers.length > 0 ? (
        <DataTable
          tableau={{ titre: 'Fichiers lus', colonnes: COLONNES_FICHIERS, lignes: rapport.fichiers.map((f) => ({ ...f, colonnesLibres: f.colonnesLibres.join(', ') })) }}
          legende="Fichiers lus"
        />
      ) : null}
    </Stack>
  );
}

function problemes(titre: string, liste: readonly ImportProblem[]): Tableau {
  return { titre, colonnes: COLONNES_PROBLEMES, lignes: liste.map((p) => ({ fichier: p.fichier, ligne: p.ligne, colonne: p.colonne, valeur: p.valeur, message: p.message })) };
}
