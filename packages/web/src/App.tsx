import { AppShell, Burger, Button, Group, NavLink, Stack, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { SessionApi } from '@mixite/server/contract';
import { Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { Route, Switch, useLocation } from 'wouter';
import { Chargement, Erreur } from './components/Etat.tsx';
import { ErreurDePage } from './components/ErreurDePage.tsx';
import { ApiError, envoyer, setCsrf, setOnUnauthorized, setUserName, userName } from './lib/api.ts';
import { retirerCartesServeur } from './lib/cartes-serveur.ts';
import { lecture } from './lib/client.ts';
import { lireEnCommun, oublierLesLectures, prendre, reponsePrete } from './lib/lectures.ts';
import { useLien } from './lib/navigation.ts';
import { pageDifferee } from './lib/pages-differees.ts';
import { chargerParcPage, prechargerPage } from './lib/prechargement.ts';
import type { EtatSession } from './lib/session.tsx';
import { SessionContext } from './lib/session.tsx';
import { TerritoireContext } from './lib/territoire.tsx';
import { useApi } from './lib/use-api.ts';
import { ConnexionPage } from './pages/ConnexionPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';

// Each page is its own chunk, loaded when its address is first opened (lib/pages-differees.ts).
const AttributionsPage = pageDifferee(() => import('./pages/AttributionsPage.tsx'), 'AttributionsPage');
const CaleolPage = pageDifferee(() => import('./pages/CaleolPage.tsx'), 'CaleolPage');
const CotationPage = pageDifferee(() => import('./pages/CotationPage.tsx'), 'CotationPage');
const DemandePage = pageDifferee(() => import('./pages/DemandePage.tsx'), 'DemandePage');
const DonneesPage = pageDifferee(() => import('./pages/DonneesPage.tsx'), 'DonneesPage');
const EspacePage = pageDifferee(() => import('./pages/EspacePage.tsx'), 'EspacePage');
const FichePage = pageDifferee(() => import('./pages/programme/FichePage.tsx'), 'FichePage');
const InstancesPage = pageDifferee(() => import('./pages/InstancesPage.tsx'), 'InstancesPage');
const ReunionPage = pageDifferee(() => import('./pages/programme/ReunionPage.tsx'), 'ReunionPage');
const FluxPage = pageDifferee(() => import('./pages/FluxPage.tsx'), 'FluxPage');
const JournalPage = pageDifferee(() => import('./pages/JournalPage.tsx'), 'JournalPage');
const ObjectifPage = pageDifferee(() => import('./pages/ObjectifPage.tsx'), 'ObjectifPage');
const ParametresPage = pageDifferee(() => import('./pages/ParametresPage.tsx'), 'ParametresPage');
const ParcPage = pageDifferee(chargerParcPage, 'ParcPage');
const ProgrammePage = pageDifferee(() => import('./pages/ProgrammePage.tsx'), 'ProgrammePage');
const RefusMutationsPage = pageDifferee(() => import('./pages/RefusMutationsPage.tsx'), 'RefusMutationsPage');
const SimulationPage = pageDifferee(() => import('./pages/SimulationPage.tsx'), 'SimulationPage');
const TableauDeBordPage = pageDifferee(() => import('./pages/TableauDeBordPage.tsx'), 'TableauDeBordPage');

type Droit = keyof SessionApi['droits'];

const PAGES: readonly { href: string; label: string; actif: (path: string) => boolean; droit?: Droit }[] = [
  { href: '/', label: 'Tableau de bord', actif: (path) => path === '/' || path.startsWith('/objectifs') },
  { href: '/espace', label: 'Mon espace', actif: (path) => path.startsWith('/espace'), droit: 'partenaire' },
  { href: '/demande', label: 'Demande', actif: (path) => path.startsWith('/demande') },
  { href: '/parc', label: 'Parc', actif: (path) => path.startsWith('/parc') },
  { href: '/caleol', label: 'CALEOL', actif: (path) => path.startsWith('/caleol'), droit: 'menages' },
  { href: '/cotation', label: 'Cotation de la demande', actif: (path) => path.startsWith('/cotation') },
  { href: '/flux', label: 'Gestion en flux', actif: (path) => path.startsWith('/flux'), droit: 'partenaire' },
  { href: '/refus', label: 'Refus et mutations', actif: (path) => path.startsWith('/refus'), droit: 'partenaire' },
  { href: '/simulation', label: 'Simulation', actif: (path) => path.startsWith('/simulation'), droit: 'partenaire' },
  { href: '/donnees', label: 'Données', actif: (path) => path.startsWith('/donnees'), droit: 'modification' },
  { href: '/programme', label: 'Programme d’actions', actif: (path) => path.startsWith('/programme') },
  { href: '/parametres', label: 'Paramètres de la CIA', actif: (path) => path.startsWith('/parametres') },
  { href: '/journal', label: 'Journal d’audit', actif: (path) => path.startsWith('/journal'), droit: 'administration' },
];

/**
 * The session decides what is shown: the login page without one (production), the application with one (or in
 * demonstration mode, where the visitor needs none). A 401 from any call — the session expired — brings the login back.
 */
export function App() {
  // The session read ahead by the first module (lib/prechargement.ts) is most often there: the layout is drawn at once.
  const [prete] = useState(() => {
    const s = reponsePrete(lecture('/api/session'))?.valeur ?? null;
    if (s) setCsrf(s.csrf);
    return s;
  });
  const [session, setSession] = useState<SessionApi | null>(prete);
  const [etat, setEtat] = useState<'chargement' | 'connexion' | 'pret'>(prete ? 'pret' : 'chargement');
  const [erreur, setErreur] = useState<Error | null>(null);
  const [location, navigate] = useLocation();

  const ouvrir = useCallback((s: SessionApi) => {
    setCsrf(s.csrf);
    setSession(s);
    setEtat('pret');
  }, []);

  useEffect(() => {
    setOnUnauthorized(() => {
      oublierLesLectures();
      setCsrf('');
      setSession(null);
      setEtat('connexion');
    });
    if (prete) prendre(lecture('/api/session'));
    else
      lireEnCommun(lecture('/api/session'))
        .then(ouvrir)
        .catch((error: unknown) => {
          // A 401 to another read — the territory, asked alongside the session (lib/prechargement.ts) — forgets every
          // read in flight, this one too (onUnauthorized above): it ends aborted, and the login is what to show.
          const oubliee = error instanceof DOMException && error.name === 'AbortError';
          if ((error instanceof ApiError && error.status === 401) || oubliee) setEtat('connexion');
          else setErreur(error as Error);
        });
    return () => setOnUnauthorized(null);
  }, [ouvrir, prete]);

  // The Parc page's maps drawn by the server (lib/cartes-serveur.ts) never stay over the login or an error.
  useEffect(() => {
    if (etat === 'connexion' || erreur) retirerCartesServeur();
  }, [etat, erreur]);

  const deconnecter = useCallback(async () => {
    await envoyer('delete', '/api/session', {}).catch(() => undefined);
    oublierLesLectures();
    setCsrf('');
    setSession(null);
    setEtat('connexion');
  }, []);

  if (erreur) return <Erreur error={erreur} titre="Mixité ne répond pas" />;
  if (etat === 'chargement') return <Chargement quoi="de Mixité" />;
  // A bailleur, réservataire or commune account lands on its own page (« Mon espace ») unless it came for another one.
  const connecte = (s: SessionApi) => {
    ouvrir(s);
    if (s.utilisateur.perimetre !== null && location === '/') navigate('/espace');
  };
  if (etat === 'connexion' || !session) return <ConnexionPage onConnecte={connecte} />;
  const value: EtatSession = { session, deconnecter };
  return (
    <SessionContext.Provider value={value}>
      <Application session={session} deconnecter={deconnecter} />
    </SessionContext.Provider>
  );
}

function Application({ session, deconnecter }: { session: SessionApi; deconnecter: () => Promise<void> }) {
  const territoire = useApi(lecture('/api/territoire'));
  const [opened, { toggle, close }] = useDisclosure();
  const [location] = useLocation();
  const lien = useLien();
  const [nom, setNom] = useState(userName);
  const demonstration = session.mode === 'demonstration';
  const connecte = session.utilisateur.email !== null;
  const pages = PAGES.filter((p) => !p.droit || session.droits[p.droit]);

  // Moving to another page closes the menu on small screens and puts the focus on the new page's content
  // (a screen reader then reads the new page); the first page keeps the natural order, skip link first.
  const precedente = useRef(location);
  useEffect(() => {
    if (precedente.current === location) return;
    precedente.current = location;
    retirerCartesServeur();
    close();
    document.getElementById('contenu')?.focus({ preventScroll: true });
  }, [location, close]);
  // A page opened from the menu reads its figures while its code arrives (the first page's were read ahead by main.tsx).
  const prechargee = useRef(location);
  useEffect(() => {
    if (prechargee.current === location || !territoire.data) return;
    prechargee.current = location;
    prechargerPage(location, window.location.search, session, territoire.data);
  }, [location, session, territoire.data]);

  return (
    <TerritoireContext.Provider value={territoire}>
      <a className="lien-evitement" href="#contenu">
        Aller au contenu
      </a>
      <AppShell header={{ height: demonstration ? 92 : 60 }} navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
        <AppShell.Header>
          {demonstration ? (
            <Text className="bandeau-demonstration" ta="center" fw={700} size="sm" py={6} role="note">
              Mode démonstration — données fictives, sans authentification
            </Text>
          ) : null}
          <Group h={60} px="md" justify="space-between" wrap="nowrap">
            <Group gap="sm" wrap="nowrap">
              <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Ouvrir ou fermer le menu" />
              <Text fw={700} size="xl">
                Mixité
              </Text>
              <Text size="sm" visibleFrom="xs">
                {territoire.data ? territoire.data.nom : ''}
              </Text>
            </Group>
            {connecte ? (
              <Group gap="sm" wrap="nowrap">
                <Text size="sm" visibleFrom="md">
                  {session.utilisateur.nom} — {session.utilisateur.role_libelle}
                  {session.utilisateur.perimetre_libelle ? ` : ${session.utilisateur.perimetre_libelle}` : ''}
                </Text>
                <Button variant="default" size="compact-sm" onClick={() => void deconnecter()}>
                  Se déconnecter
                </Button>
              </Group>
            ) : (
              <Text size="sm" visibleFrom="md">
                Convention Intercommunale d’Attribution
              </Text>
            )}
          </Group>
        </AppShell.Header>
        <AppShell.Navbar p="sm" aria-label="Navigation principale" component="nav">
          <Stack justify="space-between" h="100%">
            <Stack gap={4}>
              {pages.map((page) => {
                const actif = page.actif(location);
                const label = page.href === '/espace' && session.utilisateur.perimetre === null ? 'Espace d’un partenaire' : page.label;
                return <NavLink key={page.href} {...lien(page.href)} label={label} active={actif} aria-current={actif ? 'page' : undefined} />;
              })}
            </Stack>
            {demonstration && !connecte ? (
              <TextInput
                label="Votre nom"
                description="Signe vos modifications dans l’historique"
                value={nom}
                onChange={(event) => {
                  setNom(event.currentTarget.value);
                  setUserName(event.currentTarget.value);
                }}
                size="xs"
              />
            ) : null}
          </Stack>
        </AppShell.Navbar>
        <AppShell.Main id="contenu" tabIndex={-1} style={{ outline: 'none' }}>
          <ErreurDePage adresse={location}>
            <Suspense fallback={<Chargement quoi="de la page" />}>
              <Switch>
                <Route path="/" component={TableauDeBordPage} />
                <Route path="/objectifs/:indicateur/attributions" component={AttributionsPage} />
                <Route path="/objectifs/:indicateur" component={ObjectifPage} />
                <Route path="/espace" component={EspacePage} />
                <Route path="/demande" component={DemandePage} />
                <Route path="/parc" component={ParcPage} />
                <Route path="/caleol" component={CaleolPage} />
                <Route path="/cotation" component={CotationPage} />
                <Route path="/flux" component={FluxPage} />
                <Route path="/refus" component={RefusMutationsPage} />
                <Route path="/simulation" component={SimulationPage} />
                <Route path="/donnees" component={DonneesPage} />
                <Route path="/programme" component={ProgrammePage} />
                <Route path="/programme/fiches/:numero" component={FichePage} />
                <Route path="/programme/instances" component={InstancesPage} />
                <Route path="/programme/reunions/:id" component={ReunionPage} />
                <Route path="/parametres" component={ParametresPage} />
                <Route path="/journal" component={JournalPage} />
                <Route component={NotFoundPage} />
              </Switch>
            </Suspense>
          </ErreurDePage>
        </AppShell.Main>
      </AppShell>
    </TerritoireContext.Provider>
  );
}
