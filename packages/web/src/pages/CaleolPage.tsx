import { Alert, Button, Divider, Group, NativeSelect, NumberInput, Stack, Text, TextInput, Title } from '@mantine/core';
import type { ListeCaleol } from '@mixite/contract';
import { useEffect, useState } from 'react';
import { Chargement, Erreur, PageReservee } from '../components/Etat.tsx';
import { envoyer } from '../lib/api.ts';
import { lecture } from '../lib/client.ts';
import { formatEntier } from '../lib/format.ts';
import { useSession } from '../lib/session.tsx';
import { useApi } from '../lib/use-api.ts';
import { DecisionsEnregistrees } from './caleol/DecisionsEnregistrees.tsx';
import { FormulaireDecision } from './caleol/FormulaireDecision.tsx';
import { ListeCandidats } from './caleol/ListeCandidats.tsx';
import { OrdreDuJour } from './caleol/OrdreDuJour.tsx';

/** The roles whose accounts record a commission's decision (the server decides: the dwelling's bailleur, the EPCI). */
const DECIDEURS = new Set(['admin', 'epci', 'bailleur']);

/**
 * « CALEOL » (issue 15): prepare a commission one dwelling at a time. Pick a dwelling of your perimeter, see the
 * candidates the CIA's grid ranks first with what each would bring to the targets, the rules of the CIA's lists
 * (a first-quartile candidate outside QPV, a priority one on the State's contingent) and the contingent's gap, then
 * record the decision. The server narrows everything to the account's perimeter and audits each consultation.
 */
export function CaleolPage() {
  const { session } = useSession();
  const [recherche, setRecherche] = useState('');
  const [logement, setLogement] = useState('');
  const [date, setDate] = useState('');
  const [nombre, setNombre] = useState<string | number>(3);
  const [liste, setListe] = useState<ListeCaleol | null>(null);
  const [erreur, setErreur] = useState<string | null>(null);
  const [calcul, setCalcul] = useState(false);
  const menages = session.droits.menages;
  const logements = useApi(menages ? lecture('/api/caleol/logements', { query: recherche ? { recherche } : {} }) : null);
  const decisions = useApi(liste ? lecture('/api/caleol/decisions', { query: { logement_id: liste.logement.id } }) : null);

  useEffect(() => {
    document.title = 'CALEOL — Mixité';
  }, []);
  useEffect(() => {
    const premier = logements.data?.logements[0]?.id;
    if (premier && !logements.data?.logements.some((l) => l.id === logement)) setLogement(premier);
  }, [logements.data, logement]);

  if (!menages) return <PageReservee titre="CALEOL" />;

  const preparer = async () => {
    setErreur(null);
    setCalcul(true);
    try {
      setListe(
        await envoyer('post', '/api/caleol/liste', {
          corps: { logement_id: logement, ...(date ? { date } : {}), ...(nombre === '' ? {} : { nombre: Number(nombre) }) },
        }),
      );
    } catch (error) {
      setListe(null);
      setErreur((error as Error).message);
    } finally {
      setCalcul(false);
    }
  };

  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>CALEOL</Title>
        <Text>
          Préparer une commission d’attribution, logement par logement : les demandes actives qui conviennent au logement (typologie, commune, accessibilité,
          plafond de ressources, taux d’effort après APL), classées par la grille de cotation de la CIA, ce que chaque candidat apporterait aux objectifs, et les
          règles de la CIA pour la liste. La commission reste souveraine : la note éclaire, elle ne décide pas. Méthode : docs/caleol.md.
        </Text>
      </div>

      <form
        onSubmit={(e) => {
          e.preventDefault();
          void preparer();
        }}
      >
        <Group gap="sm" align="flex-end">
          <TextInput label="Chercher un logement (identifiant ou code INSEE)" value={recherche} onChange={(e) => setRecherche(e.currentTarget.value)} w={280} />
          <NativeSelect
            label="Logement"
            value={logement}
            onChange={(e) => setLogement(e.currentTarget.value)}
            data={(logements.data?.logements ?? []).map((l) => ({
              value: l.id,
              label: `${l.id} — T${l.nb_pieces}, ${l.commune}${l.en_qpv ? ' (QPV)' : ''}, ${l.bailleur}, ${l.contingent}`,
            }))}
            w={420}
          />
          <TextInput label="Date de la commission" type="date" value={date} onChange={(e) => setDate(e.currentTarget.value)} w={180} description="vide : date des données" />
          <NumberInput label="Candidats" min={1} max={10} value={nombre} onChange={setNombre} w={110} />
          <Button type="submit" loading={calcul} disabled={!logement}>
            Préparer la liste
          </Button>
        </Group>
      </form>
      {logements.error ? <Erreur error={logements.error} titre="Logements indisponibles" /> : null}
      {logements.data && logements.data.total > logements.data.logements.length ? (
        <Text size="sm">
          {formatEntier(logements.data.logements.length)} logements affichés sur {formatEntier(logements.data.total)} : précisez la recherche.
        </Text>
      ) : null}
      {logements.data && logements.data.total === 0 ? <Text>Aucun logement dans votre périmètre ne correspond à la recherche.</Text> : null}

      {erreur ? (
        <Alert color="red.9" variant="outline" title="Liste impossible" role="alert">
          {erreur}
        </Alert>
      ) : null}
      {calcul && !liste ? <Chargement quoi="de la liste des candidats" /> : null}
      {liste ? (
        <>
          <ListeCandidats liste={liste} />
          {DECIDEURS.has(session.utilisateur.role) && liste.candidats.length > 0 ? (
            <>
              <Divider />
              <FormulaireDecision key={`${liste.logement.id}-${liste.date}`} liste={liste} onEnregistre={decisions.reload} />
            </>
          ) : null}
          <Divider />
          {decisions.error ? <Erreur error={decisions.error} titre="Décisions indisponibles" /> : null}
          {decisions.data ? <DecisionsEnregistrees decisions={decisions.data.decisions} /> : null}
        </>
      ) : null}

      <Divider />
      {logements.data && logements.data.logements.length > 0 ? <OrdreDuJour logements={logements.data.logements} /> : null}
    </Stack>
  );
}
