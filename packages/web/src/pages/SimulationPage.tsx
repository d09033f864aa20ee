import { Alert, Button, Group, NumberInput, Progress, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ResultatSimulationApi, TravailSimulation } from '@mixite/contract';
import { TIRAGES_MAX_API } from '@mixite/contract';
import { useCallback, useEffect, useRef, useState } from 'react';
import { BoutonBilan } from '../components/BoutonBilan.tsx';
import { Chargement, Erreur } from '../components/Etat.tsx';
import { envoyer, lire } from '../lib/api.ts';
import { lecture } from '../lib/client.ts';
import { formatEntier } from '../lib/format.ts';
import { useSession } from '../lib/session.tsx';
import { useTerritoire } from '../lib/territoire.tsx';
import { useApi } from '../lib/use-api.ts';
import type { PolitiqueChoisie } from './simulation/ChoixPolitique.tsx';
import { ChoixPolitique } from './simulation/ChoixPolitique.tsx';
import { ResultatsSimulation } from './simulation/ResultatsSimulation.tsx';

/** The result as a file the bilan's annex reads (`mixite bilan --simulation`): built in the page, nothing more is asked of the server. */
function enregistrer(r: ResultatSimulationApi): void {
  const lien = document.createElement('a');
  lien.href = URL.createObjectURL(new Blob([`${JSON.stringify(r, null, 2)}\n`], { type: 'application/json' }));
  lien.download = `simulation-${r.annee}.json`;
  lien.click();
  setTimeout(() => URL.revokeObjectURL(lien.href), 1000);
}

/** The roles the server lets run a simulation (routes/simulation-routes.ts): it reads the whole territory's demand. */
const PILOTES = new Set(['admin', 'epci', 'etat']);

/**
 * « Simulation » (issue 16, docs/simulation.md): pick one or two allocation policies (shipped, or edited in YAML and
 * checked as one types), run the Monte-Carlo on the server as a background job — progress, cancel — and read the
 * targets' intervals against the CIA's targets and the observed values; two policies are compared side by side.
 */
export function SimulationPage() {
  const { session } = useSession();
  const territoire = useTerritoire();
  const pilote = PILOTES.has(session.utilisateur.role);
  const livrees = useApi(session.droits.partenaire ? lecture('/api/simulation/politiques') : null);
  const [a, setA] = useState<{ p: PolitiqueChoisie | null; ok: boolean }>({ p: null, ok: false });
  const [b, setB] = useState<{ p: PolitiqueChoisie | null; ok: boolean }>({ p: null, ok: true });
  const [annee, setAnnee] = useState<number | null>(null);
  const [tirages, setTirages] = useState<number>(100);
  const [graine, setGraine] = useState<number>(1);
  const [travail, setTravail] = useState<TravailSimulation | null>(null);
  const [erreur, setErreur] = useState<Error | null>(null);
  const suivi = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    document.title = 'Simulation — Mixité';
    return () => {
      if (suivi.current) clearTimeout(suivi.current);
    };
  }, []);
  const derniere = territoire.data?.annees.at(-1) ?? null;
  useEffect(() => {
    if (annee === null && derniere !== null) setAnnee(derniere);
  }, [annee, derniere]);

  const suivre = useCallback((id: string) => {
    suivi.current = setTimeout(() => {
      lire(lecture('/api/simulations/{id}', { params: { id } })).then((t) => {
        setTravail(t);
        if (t.etat === 'en_attente' || t.etat === 'en_cours') suivre(id);
      }, setErreur);
    }, 500);
  }, []);

  const lancer = async () => {
    if (!a.p || annee === null) return;
    setErreur(null);
    try {
      const politiques = b.p ? [a.p, b.p] : [a.p];
      const t = await envoyer('post', '/api/simulations', { corps: { annee, politiques, tirages, graine } });
      setTravail(t);
      suivre(t.id);
    } catch (e) {
      setErreur(e as Error);
    }
  };

  const annuler = async () => {
    if (!travail) return;
    try {
      setTravail(await envoyer('delete', '/api/simulations/{id}', { params: { id: travail.id } }));
    } catch (e) {
      setErreur(e as Error);
    }
  };

  const enCours = travail?.etat === 'en_attente' || travail?.etat === 'en_cours';
  const pret = a.ok && b.ok && annee !== null && !enCours;
  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>Simulation des politiques d’attribution</Title>
        <Text>
          Qu’aurait donné une politique sur une année ? La simulation rejoue l’année des centaines de fois à partir de l’état de la demande au 1er janvier :
          logements qui se libèrent, nouvelles demandes, radiations, listes de candidats, refus. Elle donne pour chaque objectif de la CIA la moyenne et
          l’intervalle de 5 à 95 % des tirages, à côté de l’objectif et de la valeur observée.
        </Text>
      </div>
      {!session.droits.partenaire ? <Text>La simulation est réservée aux partenaires de la CIA.</Text> : null}
      {session.droits.partenaire && !pilote ? (
        <Alert color="blue" title="Consultation seulement">
          La simulation lit la demande de tout le territoire et rend des effectifs exacts : seuls l’EPCI, l’État et l’administrateur la lancent. Vous pouvez
          consulter les politiques livrées.
        </Alert>
      ) : null}
      {livrees.error ? <Erreur error={livrees.error} titre="Politiques indisponibles" /> : null}
      {session.droits.partenaire && !livrees.data && !livrees.error ? <Chargement quoi="des politiques" /> : null}
      {livrees.data ? (
        <section aria-labelledby="simulation-parametres">
          <Title order={2} id="simulation-parametres">
            Politiques et tirages
          </Title>
          <SimpleGrid cols={{ base: 1, md: 2 }} my="sm">
            <ChoixPolitique lettre="A" livrees={livrees.data.politiques} facultative={false} onChange={(p, ok) => setA({ p, ok })} />
            <ChoixPolitique lettre="B" livrees={livrees.data.politiques} facultative onChange={(p, ok) => setB({ p, ok })} />
          </SimpleGrid>
          <Group align="flex-end">
            <NumberInput label="Année simulée" value={annee ?? ''} onChange={(v) => setAnnee(typeof v === 'number' ? v : null)} min={2001} max={2099} w={140} />
            <NumberInput label="Tirages" value={tirages} onChange={(v) => setTirages(typeof v === 'number' ? v : 1)} min={1} max={TIRAGES_MAX_API} w={120} />
            <NumberInput label="Graine" value={graine} onChange={(v) => setGraine(typeof v === 'number' ? v : 0)} min={0} w={120} />
            {pilote ? (
              <Button onClick={() => void lancer()} disabled={!pret}>
                Lancer la simulation
              </Button>
            ) : null}
            {enCours ? (
              <Button variant="outline" color="red" onClick={() => void annuler()}>
                Annuler
              </Button>
            ) : null}
          </Group>
        </section>
      ) : null}
      {erreur ? <Erreur error={erreur} titre="Simulation refusée" /> : null}
      {travail && enCours ? (
        <div>
          <Text id="simulation-progression">
            {travail.etape} — {formatEntier(travail.faits)} tirages sur {formatEntier(travail.total)}
          </Text>
          <Progress value={travail.total > 0 ? (100 * travail.faits) / travail.total : 0} aria-labelledby="simulation-progression" animated />
        </div>
      ) : null}
      {travail?.etat === 'annule' ? <Text role="status">Simulation annulée.</Text> : null}
      {travail?.etat === 'echec' ? (
        <Alert color="red" title="La simulation a échoué">
          {travail.message}
        </Alert>
      ) : null}
      {travail?.etat === 'pret' && travail.resultat ? (
        <>
          <ResultatsSimulation r={travail.resultat} />
          <Group>
            <Button variant="outline" onClick={() => enregistrer(travail.resultat!)}>
              Enregistrer le résultat pour le bilan (JSON)
            </Button>
            <Text size="sm">Ou en ligne de commande : mixite bilan --annee AAAA --simulation fichier.json.</Text>
          </Group>
          {derniere !== null ? <BoutonBilan annee={derniere} simulation={travail.id} /> : null}
        </>
      ) : null}
    </Stack>
  );
}
