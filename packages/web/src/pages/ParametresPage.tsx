import { Alert, Button, Group, List, Stack, Text, Title } from '@mantine/core';
import type { Configuration, ProblemeConfiguration } from '@mixite/server/contract';
import { LIBELLES_TYPE_CONTINGENT, intituleDeLaCible } from '@mixite/core';
import type { CSSProperties } from 'react';
import { useEffect, useState } from 'react';
import { DataTable } from '../components/DataTable.tsx';
import { Chargement, Erreur } from '../components/Etat.tsx';
import { ApiError, envoyer } from '../lib/api.ts';
import { lecture } from '../lib/client.ts';
import { formatDate } from '../lib/format.ts';
import { useSession } from '../lib/session.tsx';
import { useTerritoire } from '../lib/territoire.tsx';
import { useApi } from '../lib/use-api.ts';
import type { Brouillon } from './parametres/brouillon.ts';
import { brouillon, contenu, erreursDuBrouillon, erreursParChamp, libelleChemin } from './parametres/brouillon.ts';
import { FaiblesEffectifsSection } from './parametres/FaiblesEffectifsSection.tsx';
import { ObjectifsParPerimetreSection } from './parametres/ObjectifsParPerimetreSection.tsx';
import { ObjectifsSection } from './parametres/ObjectifsSection.tsx';
import { SeuilsSection } from './parametres/SeuilsSection.tsx';
import { TerritoireSection } from './parametres/TerritoireSection.tsx';

/**
 * The CIA's settings: the page holds the draft, saves it and shows the refusals; each section of the form is its own
 * component (./parametres/), as are the thresholds, saved apart.
 */
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
    // The server's refusals were for the values sent: the form's own checks take over as soon as a value changes.
    setProblemes([]);
    setB({ ...b, ...change });
  };
  // Each refusal on its field: out-of-range values stay as typed (never clamped) and are refused there.
  const erreurs = erreursParChamp(erreursDuBrouillon(b), problemes);
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
        // Refusals in the dark red of the app's alerts (red.9): Mantine's default error red is too light to read (axe, contrast).
        style={{ '--mantine-color-error': 'var(--mantine-color-red-9)' } as CSSProperties}
        onSubmit={(event) => {
          event.preventDefault();
          void enregistrer();
        }}
      >
        <fieldset className="fieldset-nu" disabled={!modifiable}>
        <Stack gap="lg">
          <ObjectifsSection b={b} modifier={modifier} libelleCible={libelleCible} erreurs={erreurs} />

          <ObjectifsParPerimetreSection b={b} modifier={modifier} declarations={declarations.data} optionsPerimetre={optionsPerimetre} erreurs={erreurs} />

          <TerritoireSection b={b} modifier={modifier} erreurs={erreurs} />

          <FaiblesEffectifsSection b={b} modifier={modifier} erreurs={erreurs} />

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

      <SeuilsSection onSaved={versions.reload} modifiable={modifiable} />

      {session.droits.partenaire ? (
        <section aria-labelledby="titre-versions">
          <Title order={2} size="h3" id="titre-versions" mb="xs">
            Historique des modifications
          </Title>
          {versions.data ? (
            <DataTable
              tableau={versions.data}
              legende={versions.data.titre}
              rendus={{
                modifications: (v) =>
                  v.modifications.length === 0 ? (
                    'aucun paramètre modifié'
                  ) : (
                    <List size="sm">
                      {v.modifications.map((m, i) => (
                        <List.Item key={i}>{m}</List.Item>
                      ))}
                    </List>
                  ),
              }}
            />
          ) : (
            <Chargement quoi="de l’historique" />
          )}
        </section>
      ) : null}
    </Stack>
  );
}
