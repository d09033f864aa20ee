import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HarnessProduction } from './harness.ts';
import { SKIP_BROWSER, openProductionHarness } from './harness.ts';

/** The production mode in the browser: login, what each role is shown, logout. Over the mini territory of packages/data. */
const MINI = fileURLToPath(new URL('../../../data/test/fixtures/mini', import.meta.url));

describe.skipIf(SKIP_BROWSER)('access control in Chromium (production mode)', () => {
  let h: HarnessProduction;
  beforeAll(async () => {
    h = await openProductionHarness(MINI, [
      { email: 'admin@mixite.test', role: 'admin', perimetre: null },
      { email: 'b1@mixite.test', role: 'bailleur', perimetre: 'B1' },
      { email: 'lecteur@mixite.test', role: 'lecteur', perimetre: null },
    ]);
  }, 180_000);
  afterAll(() => h?.close());

  const newPage = () => h.newPage();
  const connecter = (page: Page, email: string, motDePasse?: string) => h.connecter(page, email, motDePasse);

  it('asks to log in, refuses a wrong password in French, and has no accessibility violation', async () => {
    const { page, context } = await newPage();
    await page.goto('/objectifs/hors_qpv_q1');
    await page.getByRole('heading', { level: 1, name: 'Connexion' }).waitFor();
    expect(await page.getByText('Mode démonstration').count()).toBe(0);
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary ?? ''}`).join(', ')})`)).toEqual([]);
    await connecter(page, 'b1@mixite.test', 'pas le bon mot de passe');
    const alerte = page.getByRole('alert').filter({ hasText: 'Connexion refusée' });
    await alerte.waitFor();
    expect(await alerte.textContent()).toContain('Adresse e-mail ou mot de passe incorrect.');
    await context.close();
  });

  it('shows the login, not an error, when another read is refused before the session answers', async () => {
    // The first module asks the session and the territory at once; held back here, the session answers after the
    // territory's 401, which forgets every read in flight — the session's too. The login must still come.
    const { page, context } = await newPage();
    await page.route('**/api/session', async (route) => {
      await new Promise((r) => setTimeout(r, 2_000));
      await route.continue();
    });
    await page.goto('/objectifs/hors_qpv_q1');
    await page.getByRole('heading', { level: 1, name: 'Connexion' }).waitFor();
    expect(await page.getByText('Mixité ne répond pas').count()).toBe(0);
    await context.close();
  });

  it('shows a bailleur its own allocations only, hides what it cannot use, and logs out', async () => {
    const { page, context } = await newPage();
    await page.goto('/');
    await connecter(page, 'b1@mixite.test');
    // A partner account lands on its own page (issue 12: « Mon espace »).
    await page.getByRole('heading', { level: 1, name: /^Mon espace/ }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Navigation principale' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Tableau de bord', 'Mon espace', 'Demande', 'Parc', 'CALEOL', 'Cotation de la demande', 'Gestion en flux', 'Refus et mutations', 'Simulation', 'Programme d’actions', 'Paramètres de la CIA']);
    expect(await page.getByText('Bailleur social : Essonne Habitat (B1)').count()).toBe(1);

    await page.goto('/objectifs/prioritaires?perimetre=bailleur');
    const table = page.getByRole('table', { name: /par bailleur/ });
    await table.waitFor();
    // A link for its own row only.
    expect(await table.getByRole('link').allTextContents()).toEqual(['Voir les attributions de Essonne Habitat']);
    await page.getByRole('link', { name: 'Voir les attributions de votre périmètre' }).click();
    await page.getByText('Vous ne voyez que les attributions de votre périmètre : bailleur Essonne Habitat.').waitFor();
    expect(await page.getByRole('table').getByRole('row').count()).toBe(2);

    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.getByRole('heading', { level: 1, name: 'Connexion' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Connexion' }).waitFor();
    await context.close();
  });

  it('gives the lecteur masked tables and read-only settings', async () => {
    const { page, context } = await newPage();
    await page.goto('/');
    await connecter(page, 'lecteur@mixite.test');
    await page.getByText(/Secret statistique : les effectifs de moins de 11 ménages/).waitFor();
    await page.goto('/objectifs/hors_qpv_q1');
    await page.getByRole('table', { name: /par bailleur/ }).waitFor();
    expect(await page.getByRole('link', { name: /attributions/ }).count()).toBe(0);
    await page.goto('/parametres');
    await page.getByText('Lecture seule : seuls l’EPCI et l’administrateur de Mixité modifient les paramètres.').waitFor();
    expect(await page.getByRole('button', { name: 'Enregistrer les paramètres' }).count()).toBe(0);
    expect(await page.getByLabel('UC : première personne').isDisabled()).toBe(true);
    await context.close();
  });

  it('shows the administrator the audit log and the accounts', async () => {
    const { page, context } = await newPage();
    await page.goto('/');
    await connecter(page, 'admin@mixite.test');
    await page.getByRole('link', { name: 'Journal d’audit' }).click();
    const journal = page.getByRole('table', { name: 'Journal d’audit' });
    await journal.waitFor();
    expect(await journal.getByRole('row').filter({ hasText: 'admin@mixite.test' }).filter({ hasText: 'Connexion' }).count()).toBeGreaterThan(0);
    expect(await page.getByText('Chaînage des entrées vérifié').count()).toBe(1);
    await page.getByRole('table', { name: 'Comptes' }).getByRole('row').filter({ hasText: 'lecteur@mixite.test' }).waitFor();
    // The pointer left on the link it clicked would be checked in its hover colours: move it away, as the other pages are checked.
    await page.mouse.move(1200, 880);
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary ?? ''}`).join(', ')})`)).toEqual([]);
    await context.close();
  });
});
