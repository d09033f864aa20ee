import { Alert, Group, NativeSelect, Stack, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import { useSearchParams } from 'wouter';
import { DataTable } from '../components/DataTable.tsx';
import { Chargement, Erreur, PageReservee } from '../components/Etat.tsx';
import { useSession } from '../lib/session.tsx';
import { lecture } from '../lib/client.ts';
import { formatEntier } from '../lib/format.ts';
import { useApi } from '../lib/use-api.ts';

/** The administrator's view of the audit log (who saw, exported or changed what, and when) and of the accounts. */
export function JournalPage() {
  const { session } = useSession();
  if (!session.droits.administration) return <PageReservee titre="Journal d’audit" />;
  return <Journal />;
}

function Journal() {
  const [params, setParams] = useSearchParams();
  const action = params.get('action') ?? '';
  const journal = useApi(lecture('/api/journal', { query: { action, limite: 1000 } }));
  const comptes = useApi(lecture('/api/utilisateurs'));

  useEffect(() => {
    document.title = 'Journal d’audit — Mixité';
  }, []);

  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>Journal d’audit</Title>
        <Text>
          Consultations et exports des données des ménages, imports, modifications des paramètres, connexions. Le journal ne s’efface pas ; il est conservé
          pendant la durée fixée par le déploiement, puis purgé (la purge y est inscrite).
        </Text>
      </div>
      <Group align="flex-end">
        <NativeSelect
          label="Action"
          value={action}
          data={[{ value: '', label: 'Toutes les actions' }, ...(journal.data?.actions ?? []).map((a) => ({ value: a.id, label: a.libelle }))]}
          onChange={(e) => setParams(e.currentTarget.value ? { action: e.currentTarget.value } : {})}
          w={360}
        />
      </Group>
      {journal.error ? <Erreur error={journal.error} /> : null}
      {journal.loading && !journal.data ? <Chargement quoi="du journal" /> : null}
      {journal.data ? (
        <>
          {journal.data.integre ? (
            <Text size="sm">
              Chaînage des entrées vérifié avec la clé du journal et ses ancrages, gardés hors de la base : aucune entrée modifiée, déplacée ni retirée
              (chaîne {journal.data.integrite}). {formatEntier(journal.data.total)} entrée{journal.data.total > 1 ? 's' : ''}
              {journal.data.total > journal.data.lignes.length ? `, les ${formatEntier(journal.data.lignes.length)} plus récentes affichées` : ''}.
            </Text>
          ) : (
            <Alert color="red.9" variant="outline" title="Journal altéré" role="alert">
              La chaîne des entrées est {journal.data.integrite}. Le journal a été modifié hors de l’application : conservez la base, la clé et le fichier
              d’ancrage en l’état et prévenez le délégué à la protection des données.
            </Alert>
          )}
          <DataTable tableau={journal.data} legende={journal.data.titre} masquees={['code_action']} vide="Aucune entrée." />
        </>
      ) : null}
      <section aria-labelledby="titre-comptes">
        <Title order={2} id="titre-comptes" mb="xs">
          Comptes
        </Title>
        <Text size="sm" mb="xs">
          Les comptes se créent et se désactivent sur le serveur : <code>npx mixite utilisateur --aide</code>.
        </Text>
        {comptes.error ? <Erreur error={comptes.error} /> : null}
        {comptes.data ? <DataTable tableau={comptes.data} legende={comptes.data.titre} vide="Aucun compte." /> : <Chargement quoi="des comptes" />}
      </section>
    </Stack>
  );
}
