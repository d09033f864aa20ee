import { Divider, Group, NativeSelect, Stack, Text, Title } from '@mantine/core';
import { TEXTES_PARC } from '@mixite/graphiques';
import { Suspense, lazy, useDeferredValue, useEffect, useLayoutEffect } from 'react';
import { useSearchParams } from 'wouter';
import { Chargement, Erreur } from '../components/Etat.tsx';
import { masquerCartesServeur, retirerCartesServeur } from '../lib/cartes-serveur.ts';
import { useSession } from '../lib/session.tsx';
import { useTerritoire } from '../lib/territoire.tsx';
import { useApi } from '../lib/use-api.ts';
import { CroisementCommunes } from './parc/CroisementCommunes.tsx';
import { lecturesParc } from './parc/lectures-parc.ts';
import { ListeResidences } from './parc/ListeResidences.tsx';

/**
 * The household calculator, at the bottom of the page, is its own chunk: its number inputs (Mantine's NumberInput,
 * react-number-format) are neither loaded nor drawn before the page's maps, which they would otherwise delay.
 */
const CalculateurMenage = lazy(() => import('./parc/CalculateurMenage.tsx').then((m) => ({ default: m.CalculateurMenage })));

/**
 * « Parc » (issue 14, item 6): where a first-quartile household can be housed. The stock affordable to it after APL,
 * not fragile and outside QPV, by commune (map and table); the residences and their fragility (map, sortable and
 * filterable list, export); the household calculator. Each account reads its perimeter (the server restricts).
 */
export function ParcPage() {
  const territoire = useTerritoire();
  const { session } = useSession();
  const [params, setParams] = useSearchParams();
  // The same reads as those started before this page's code arrived (lib/prechargement.ts): already there, most often.
  const lectures = lecturesParc(session, territoire.data, params.get('annee'));
  const { annee, partenaire } = lectures;
  const parc = useApi(lectures.parc);
  const residences = useApi(lectures.residences);
  // Asked once, at once, in parallel with the figures: both maps and the calculator's list of communes draw on them.
  const contours = useApi(lectures.contours);
  // The residences (a map of several hundred points, a long list) are drawn in a second, interruptible pass: the
  // crossing's map and table at the top of the page show first instead of waiting for everything below them.
  const residencesAffichees = useDeferredValue(residences.data);

  // The maps the server drew into the first paint (lib/cartes-serveur.ts) stay over the page until its own are drawn,
  // and go in the very commit that draws them (a layout effect runs before the browser paints): no frame without
  // maps. They also go when the page will draw none (an error, no year, not a partner), and when it is left (under
  // React's development StrictMode, which mounts twice, at once: the server draws them for the built application only).
  const cartesDessinees = Boolean(parc.data && residencesAffichees && contours.data);
  const sansCartes = (Boolean(territoire.data) && (!annee || !partenaire)) || Boolean(parc.error ?? residences.error ?? contours.error ?? territoire.error);
  useLayoutEffect(() => {
    masquerCartesServeur();
    return retirerCartesServeur;
  }, []);
  useLayoutEffect(() => {
    if (cartesDessinees || sansCartes) retirerCartesServeur();
  }, [cartesDessinees, sansCartes]);

  useEffect(() => {
    document.title = `${TEXTES_PARC.titre(annee)} — Mixité`;
  }, [annee]);

  if (territoire.error) return <Erreur error={territoire.error} />;
  if (!territoire.data) return <Chargement quoi="du territoire" />;
  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>{TEXTES_PARC.titre(annee)}</Title>
        <Text>{TEXTES_PARC.introduction}</Text>
      </div>
      {territoire.data.annees.length > 0 ? (
        <Group>
          <NativeSelect
            label="Année"
            value={String(annee ?? '')}
            data={[...territoire.data.annees].reverse().map(String)}
            onChange={(e) => setParams((prev) => ({ ...Object.fromEntries(prev), annee: e.currentTarget.value }))}
            w={140}
          />
        </Group>
      ) : null}

      {!partenaire ? <Text>Le parc abordable et la fragilité des résidences sont réservés aux partenaires de la CIA ; le calculateur reste ouvert à tous.</Text> : null}
      {parc.error ? <Erreur error={parc.error} titre="Parc abordable indisponible" /> : null}
      {annee && partenaire && !parc.data && !parc.error ? <Chargement quoi="du parc abordable" /> : null}
      {parc.data ? <CroisementCommunes parc={parc.data} contours={contours.data} erreurContours={contours.error} /> : null}

      <Divider />
      {residences.error ? <Erreur error={residences.error} titre="Résidences indisponibles" /> : null}
      {annee && partenaire && !residencesAffichees && !residences.error ? <Chargement quoi="des résidences" /> : null}
      {residencesAffichees ? <ListeResidences residences={residencesAffichees} contours={contours.data} erreurContours={contours.error} /> : null}

      <Divider />
      <Suspense fallback={<Chargement quoi="du calculateur" />}>
        <CalculateurMenage communes={contours.data?.territoire ?? []} />
      </Suspense>
    </Stack>
  );
}
