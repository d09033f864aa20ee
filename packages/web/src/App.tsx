import { AppShell, Burger, Group, NavLink, Stack, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { Territoire } from '@mixite/server/contract';
import { useEffect, useRef, useState } from 'react';
import { Route, Switch, useLocation } from 'wouter';
import { setUserName, userName } from './lib/api.ts';
import { useLien } from './lib/navigation.ts';
import { TerritoireContext } from './lib/territoire.tsx';
import { useApi } from './lib/use-api.ts';
import { AttributionsPage } from './pages/AttributionsPage.tsx';
import { DemandePage } from './pages/DemandePage.tsx';
import { DonneesPage } from './pages/DonneesPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { ObjectifPage } from './pages/ObjectifPage.tsx';
import { ParametresPage } from './pages/ParametresPage.tsx';
import { TableauDeBordPage } from './pages/TableauDeBordPage.tsx';

const PAGES = [
  { href: '/', label: 'Tableau de bord', actif: (path: string) => path === '/' || path.startsWith('/objectifs') },
  { href: '/demande', label: 'Demande', actif: (path: string) => path.startsWith('/demande') },
  { href: '/donnees', label: 'Données', actif: (path: string) => path.startsWith('/donnees') },
  { href: '/parametres', label: 'Paramètres de la CIA', actif: (path: string) => path.startsWith('/parametres') },
] as const;

export function App() {
  const territoire = useApi<Territoire>('/api/territoire');
  const [opened, { toggle, close }] = useDisclosure();
  const [location] = useLocation();
  const lien = useLien();
  const [nom, setNom] = useState(userName);

  // Moving to another page closes the menu on small screens and puts the focus on the new page's content
  // (a screen reader then reads the new page); the first page keeps the natural order, skip link first.
  const precedente = useRef(location);
  useEffect(() => {
    if (precedente.current === location) return;
    precedente.current = location;
    close();
    document.getElementById('contenu')?.focus({ preventScroll: true });
  }, [location, close]);

  return (
    <TerritoireContext.Provider value={territoire}>
      <a className="lien-evitement" href="#contenu">
        Aller au contenu
      </a>
      <AppShell header={{ height: 60 }} navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap">
            <Group gap="sm" wrap="nowrap">
              <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Ouvrir ou fermer le menu" />
              <Text fw={700} size="xl">
                Mixité
              </Text>
              <Text size="sm" visibleFrom="xs">
                {territoire.data ? territoire.data.nom : ''}
              </Text>
            </Group>
            <Text size="sm" visibleFrom="md">
              Convention Intercommunale d’Attribution
            </Text>
          </Group>
        </AppShell.Header>
        <AppShell.Navbar p="sm" aria-label="Navigation principale" component="nav">
          <Stack justify="space-between" h="100%">
            <Stack gap={4}>
              {PAGES.map((page) => {
                const actif = page.actif(location);
                return <NavLink key={page.href} {...lien(page.href)} label={page.label} active={actif} aria-current={actif ? 'page' : undefined} />;
              })}
            </Stack>
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
          </Stack>
        </AppShell.Navbar>
        <AppShell.Main id="contenu" tabIndex={-1} style={{ outline: 'none' }}>
          <Switch>
            <Route path="/" component={TableauDeBordPage} />
            <Route path="/objectifs/:indicateur/attributions" component={AttributionsPage} />
            <Route path="/objectifs/:indicateur" component={ObjectifPage} />
            <Route path="/demande" component={DemandePage} />
            <Route path="/donnees" component={DonneesPage} />
            <Route path="/parametres" component={ParametresPage} />
            <Route component={NotFoundPage} />
          </Switch>
        </AppShell.Main>
      </AppShell>
    </TerritoireContext.Provider>
  );
}
