import { Alert, Anchor, Button, Group, Stack, Text, Title } from '@mantine/core';
import type { ImportProblem, ImportReport, Tableau } from '@mixite/server/contract';
import { DataTable } from '../../components/DataTable.tsx';
import { url } from '../../lib/client.ts';
import { formatDate, formatEntier } from '../../lib/format.ts';
import { csvProblemes, telecharger } from './csv-problemes.ts';

type Cause = NonNullable<ImportReport['causes']>[number];

const COLONNES_PROBLEMES = [
  { cle: 'fichier', libelle: 'Fichier', type: 'texte' },
  { cle: 'ligne', libelle: 'Ligne', type: 'entier' },
  { cle: 'colonne', libelle: 'Colonne', type: 'texte' },
  { cle: 'valeur', libelle: 'Valeur', type: 'texte' },
  { cle: 'message', libelle: 'Problème', type: 'texte' },
] as const;

const COLONNES_CAUSES = [
  { cle: 'fichier', libelle: 'Fichier', type: 'texte' },
  { cle: 'colonne', libelle: 'Colonne', type: 'texte' },
  { cle: 'libelle', libelle: 'Cause', type: 'texte' },
  { cle: 'nombre', libelle: 'Lignes concernées', type: 'entier' },
  { cle: 'exemples', libelle: 'Premières lignes', type: 'texte' },
] as const;

const COLONNES_FICHIERS = [
  { cle: 'fichier', libelle: 'Fichier', type: 'texte' },
  { cle: 'table', libelle: 'Contenu', type: 'texte' },
  { cle: 'lignesLues', libelle: 'Lignes', type: 'entier' },
  { cle: 'encodage', libelle: 'Encodage', type: 'texte' },
  { cle: 'separateur', libelle: 'Séparateur', type: 'texte' },
  { cle: 'colonnesLibres', libelle: 'Colonnes hors format conservées', type: 'texte' },
] as const;

const COLONNES_REMPLACEMENT = [
  { cle: 'table', libelle: 'Table', type: 'texte' },
  { cle: 'fichier', libelle: 'Fichier', type: 'texte' },
  { cle: 'avant', libelle: 'Lignes en base avant', type: 'entier' },
  { cle: 'apres', libelle: 'Lignes après l’import', type: 'entier' },
  { cle: 'ecart', libelle: 'Écart', type: 'entier' },
] as const;

/** Above this many listed errors, the detailed list starts folded: the causes say it all in a few lines. */
const DETAIL_OUVERT_JUSQUA = 20;

/**
 * An import report as the user reads it: the outcome, the problems grouped by cause (count and first located
 * lines), what the import replaces (rows before, rows after, per table), the files read, and the detailed list
 * (on screen and as a CSV). `mode` says whether nothing is written yet (a verification), or the import is done.
 */
export function RapportImport({
  rapport,
  titre,
  mode,
  listeComplete,
}: {
  rapport: ImportReport;
  titre: string;
  mode: 'verification' | 'import';
  /** The token of the full list of errors, when the server kept one (a refused verification listing only some). */
  listeComplete?: string | undefined;
}) {
  const n = rapport.erreurs.length + rapport.erreursNonListees;
  const causes = rapport.causes ?? [];
  const causesErreurs = causes.filter((c) => c.severite === 'erreur');
  const causesAvertissements = causes.filter((c) => c.severite === 'avertissement');
  const lignesChargees = rapport.fichiers.reduce((s, f) => s + f.lignesChargees, 0);
  return (
    <Stack gap="sm">
      <Title order={2} size="h3">
        {titre}
      </Title>
      <Text size="sm">
        {formatDate(rapport.date.slice(0, 10))} à {rapport.date.slice(11, 16)} UTC{rapport.auteur ? ` — par ${rapport.auteur}` : ''}
        {rapport.fichiers.length > 0 ? ` — fichiers : ${rapport.fichiers.map((f) => f.fichier).join(', ')}` : ''}
      </Text>
      {rapport.statut === 'reussi' ? (
        mode === 'verification' ? (
          <Alert color="teal.9" variant="outline" title="Fichiers valides">
            Aucune erreur{rapport.avertissements.length > 0 ? `, ${rapport.avertissements.length} avertissement(s)` : ''}. Rien n’est encore écrit : vérifiez ce que l’import
            remplacera, puis confirmez. Les tables des fichiers déposés seront remplacées en entier ; les autres sont conservées.
          </Alert>
        ) : (
          <Alert color="teal.9" variant="outline" title={`Import n° ${rapport.importId ?? ''} réussi`}>
            {formatEntier(lignesChargees)} lignes chargées ({rapport.fichiers.map((f) => f.fichier).join(', ')}).
            {rapport.configuration === 'importee' ? ' Les paramètres de la CIA du fichier cia.yaml ont été enregistrés.' : ''}
          </Alert>
        )
      ) : (
        <Alert color="red.9" variant="outline" title={`Import refusé : ${n} erreur${n > 1 ? 's' : ''}`} role="alert">
          La base n’a pas été modifiée.{' '}
          {causesErreurs.length > 0
            ? `${causesErreurs.length} cause${causesErreurs.length > 1 ? 's' : ''} : corrigez chacune (les premières lignes en sont données), puis déposez à nouveau les fichiers.`
            : 'Corrigez les fichiers aux lignes et colonnes indiquées, puis déposez-les à nouveau.'}
          {rapport.erreursNonListees > 0 ? ` ${formatEntier(rapport.erreursNonListees)} autres erreurs ne sont pas listées ligne à ligne : leurs causes les comptent.` : ''}
        </Alert>
      )}
      {causesErreurs.length > 0 ? <TableCauses titre="Causes du refus" causes={causesErreurs} /> : null}
      {rapport.fichiers.length > 0 ? <Remplacement rapport={rapport} mode={mode} /> : null}
      {causesAvertissements.length > 0 ? (
        <TableCauses titre="Causes des avertissements" causes={causesAvertissements} />
      ) : rapport.avertissements.length > 0 ? (
        <DataTable tableau={problemes('Avertissements', rapport.avertissements)} legende="Avertissements" />
      ) : null}
      {rapport.erreurs.length + rapport.avertissements.length > 0 ? (
        <Group>
          <Button variant="default" size="xs" onClick={() => telecharger(`rapport-import${rapport.importId ? `-${rapport.importId}` : ''}.csv`, csvProblemes(rapport))}>
            {listeComplete ? 'Télécharger les problèmes listés ici (CSV)' : 'Télécharger la liste des problèmes (CSV)'}
          </Button>
          {listeComplete ? (
            <Anchor href={url('/api/televersements/{jeton}/erreurs', { params: { jeton: listeComplete } })} download="erreurs-import.csv" size="sm">
              Télécharger la liste complète des {formatEntier(n)} erreurs (CSV)
            </Anchor>
          ) : null}
        </Group>
      ) : null}
      {rapport.erreurs.length > 0 ? (
        <details open={rapport.erreurs.length <= DETAIL_OUVERT_JUSQUA}>
          <summary>Liste détaillée des erreurs ({formatEntier(rapport.erreurs.length)} lignes listées)</summary>
          <DataTable tableau={problemes('Erreurs', rapport.erreurs)} legende="Erreurs" />
        </details>
      ) : null}
      {rapport.fichiers.length > 0 ? (
        <DataTable
          tableau={{ titre: 'Fichiers lus', colonnes: COLONNES_FICHIERS, lignes: rapport.fichiers.map((f) => ({ ...f, colonnesLibres: f.colonnesLibres.join(', ') })) }}
          legende="Fichiers lus"
        />
      ) : null}
    </Stack>
  );
}

function TableCauses({ titre, causes }: { titre: string; causes: readonly Cause[] }) {
  const tableau: Tableau = {
    titre,
    colonnes: COLONNES_CAUSES,
    lignes: causes.map((c) => ({
      fichier: c.fichier,
      colonne: c.colonne,
      libelle: c.libelle,
      nombre: c.nombre,
      exemples: c.exemples.map((e) => `${e.ligne === null ? 'fichier' : `ligne ${e.ligne}`}${e.valeur === null ? '' : ` (« ${e.valeur.slice(0, 40)} »)`}`).join(', '),
    })),
  };
  return <DataTable tableau={tableau} legende={titre} />;
}

/** What the import replaces: per table, the rows now and after (a whole table is replaced by its file). */
function Remplacement({ rapport, mode }: { rapport: ImportReport; mode: 'verification' | 'import' }) {
  const lignes = rapport.fichiers
    .filter((f) => f.lignesAvant !== undefined)
    .map((f) => ({ table: f.table, fichier: f.fichier, avant: f.lignesAvant ?? 0, apres: f.lignesChargees, ecart: f.lignesChargees - (f.lignesAvant ?? 0) }));
  if (lignes.length === 0) return null;
  const titre = mode === 'verification' ? 'Ce que l’import remplacera' : 'Ce que l’import a remplacé';
  return <DataTable tableau={{ titre, colonnes: COLONNES_REMPLACEMENT, lignes }} legende={titre} />;
}

function problemes(titre: string, liste: readonly ImportProblem[]): Tableau {
  return { titre, colonnes: COLONNES_PROBLEMES, lignes: liste.map((p) => ({ fichier: p.fichier, ligne: p.ligne, colonne: p.colonne, valeur: p.valeur, message: p.message })) };
}
