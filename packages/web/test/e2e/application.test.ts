import { readFileSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import type { LigneIndicateur, Tableau, Territoire } from '@mixite/server/contract';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from './harness.ts';
import { SKIP_BROWSER, api, openHarness, pourcent } from './harness.ts';

const PAGES = ['/', '/objectifs/hors_qpv_q1', '/objectifs/prioritaires/attributions?periode=2024&perimetre_type=territoire', '/demande', '/cotation', '/donnees', '/parametres', '/journal'];

describe.skipIf(SKIP_BROWSER)('the application in Chromium, on the demo territory', () => {
  let h: Harness;
  let annee: number;
  const territoire = async (indicateur: string) =>
    (await api<Tableau<LigneIndicateur>>(h, `/api/indicateurs?periode=${annee}&perimetre_type=territoire&indicateur=${indicateur}`)).lignes[0] as LigneIndicateur;
  const carte = (page: Page, indicateur: string) => page.locator(`article[data-indicateur="${indicateur}"]`);

  beforeAll(async () => {
    h = await openHarness();
    annee = (await api<Territoire>(h, '/api/territoire')).annees.at(-1) as number;
  }, 180_000);
  afterAll(async () => {
    await h?.close();
  });

  it('opens the dashboard and reads a target: rate, target, gap and whether it is met', async () => {
    const { page, context } = await h.newPage();
    await page.goto('/');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(`Tableau de bord ${annee}`);
    // Demonstration mode, no login: said on every page.
    expect(await page.getByRole('note').textContent()).toBe('Mode démonstration — données fictives, sans authentification');
    const expected = await territoire('hors_qpv_q1');
    const card = carte(page, 'hors_qpv_q1');
    await card.getByText(pourcent(expected.taux), { exact: true }).waitFor();
    expect(await card.textContent()).toContain(`Objectif : ${pourcent(expected.cible)}`);
    expect(await card.textContent()).toContain(expected.atteint ? 'Atteint' : 'Non atteint');
    // The semester and rolling-twelve-month table is there, with an export.
    await page.getByRole('table', { name: new RegExp(`Suivi ${annee}`) }).waitFor();
    await context.close();
  });

  it('drills down from the dashboard to a bailleur and to the allocations behind its rate', async () => {
    const { page, context } = await h.newPage();
    await page.goto('/');
    await carte(page, 'hors_qpv_q1').getByRole('link', { name: /Détail par bailleur/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Baux hors QPV signés par des ménages du 1er quartile ou relogés' }).waitFor();
    expect(await page.getByRole('tab', { name: 'Bailleur' }).getAttribute('aria-selected')).toBe('true');
    const rows = (await api<Tableau<LigneIndicateur>>(h, `/api/indicateurs?periode=${annee}&perimetre_type=bailleur&indicateur=hors_qpv_q1`)).lignes;
    const biggest = [...rows].sort((a, b) => (b.denominateur ?? 0) - (a.denominateur ?? 0))[0] as LigneIndicateur;
    const table = page.getByRole('table', { name: /par bailleur/ });
    const row = table.getByRole('row').filter({ hasText: biggest.perimetre_libelle }).first();
    expect(await row.textContent()).toContain(pourcent(biggest.taux));
    // Sorting by a header keeps the rows, in another order.
    await table.getByRole('button', { name: /^Taux/ }).click();
    expect(await table.getByRole('columnheader', { name: /^Taux/ }).getAttribute('aria-sort')).toBe('descending');
    await row.getByRole('link', { name: new RegExp(`attributions de ${biggest.perimetre_libelle}`) }).click();
    await page.getByRole('heading', { level: 1, name: `Attributions — ${biggest.perimetre_libelle}` }).waitFor();
    const detail = page.getByRole('table');
    await expect.poll(async () => (await detail.getByRole('row').count()) - 1, { timeout: 30_000 }).toBe(Math.min(biggest.denominateur ?? 0, 100));
    expect(await page.getByText(/forment le dénominateur/).textContent()).toContain(`${biggest.denominateur} baux forment le dénominateur`);
    await context.close();
  });

  it('exports the table on screen to CSV in one click', async () => {
    const { page, context } = await h.newPage();
    await page.goto('/objectifs/hors_qpv_q1');
    const table = page.getByRole('table', { name: /par bailleur/ });
    await table.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Exporter « .*par bailleur.* » en CSV/ }).click()]);
    const text = readFileSync((await download.path()) as string, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text.split('\r\n')[0]).toBe('\uFEFFIndicateur;Périmètre;Code;Période;Numérateur;Dénominateur;Taux;Objectif;Écart;Atteint');
    expect(text.split('\r\n').length - 2).toBe(await table.locator('tbody tr').count());
    await context.close();
  });

  it('has no serious or critical accessibility violation on any page (axe)', async () => {
    const { page, context } = await h.newPage();
    for (const path of PAGES) {
      await page.goto(path);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.waitForLoadState('networkidle');
      const result = await new AxeBuilder({ page }).analyze();
      const blocking = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(blocking.map((v) => `${path} : ${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
    }
    await context.close();
  }, 180_000);

  it('reaches every control of every page with the keyboard, the skip link first', async () => {
    const { page, context } = await h.newPage();
    for (const path of PAGES) {
      await page.goto(path);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.waitForLoadState('networkidle');
      const total = await page.evaluate(() => {
        // A group of radio buttons is one stop of the Tab key (its checked button; the arrows move inside it).
        const autreRadioDuGroupe = (el: HTMLElement) => el instanceof HTMLInputElement && el.type === 'radio' && el.name !== '' && !el.checked;
        const focusable = [...document.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, [tabindex]')].filter(
          (el) =>
            !el.hasAttribute('disabled') && el.tabIndex >= 0 && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden' && !autreRadioDuGroupe(el),
        );
        focusable.forEach((el, i) => el.setAttribute('data-clavier', String(i)));
        return focusable.length;
      });
      const reached = new Set<string>();
      for (let i = 0; i < total + 20 && reached.size < total; i++) {
        await page.keyboard.press('Tab');
        const id = await page.evaluate(() => document.activeElement?.getAttribute('data-clavier') ?? null);
        if (i === 0) expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Aller au contenu');
        if (id !== null) reached.add(id);
      }
      expect([path, reached.size]).toEqual([path, total]);
    }
    await context.close();
  }, 180_000);

  it('follows a drill-down link with the keyboard alone', async () => {
    const { page, context } = await h.newPage();
    await page.goto('/');
    const link = carte(page, 'prioritaires').getByRole('link', { name: /Détail par bailleur/ });
    await link.waitFor();
    await link.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Propositions aux ménages prioritaires (DALO ou prioritaires)' }).waitFor();
    expect(await page.getByRole('tab', { name: 'Contingent', exact: true }).getAttribute('aria-selected')).toBe('true');
    await page.getByRole('tab', { name: 'Contingent', exact: true }).focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('tab', { name: 'Type de contingent' }).getAttribute('aria-selected')).toBe('true');
    await context.close();
  });

  it('shows a malformed file’s located French error and leaves the data unchanged', async () => {
    const before = await api<Tableau>(h, '/api/seuils');
    const imports = (await api<Tableau>(h, '/api/imports')).lignes.length;
    const { page, context } = await h.newPage();
    await page.goto('/donnees');
    const csv = `annee;code_epci;seuil_q1;source\n${annee - 1};;11000;arrêté\n${annee};;onze mille;arrêté\n`;
    await page.getByLabel('Fichiers du jeu de données').setInputFiles({ name: 'seuils.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Vérifier les fichiers' }).click();
    await page.getByText(/Import refusé : 1 erreur/).waitFor();
    const erreurs = page.getByRole('table', { name: 'Erreurs' });
    const row = erreurs.getByRole('row').filter({ hasText: 'onze mille' });
    const cells = await row.getByRole('cell').allTextContents();
    expect(cells.slice(0, 4)).toEqual(['seuils.csv', '3', 'seuil_q1', 'onze mille']);
    expect(cells[4]).toMatch(/nombre/);
    expect(await page.getByRole('button', { name: 'Confirmer l’import' }).count()).toBe(0);
    expect(await api<Tableau>(h, '/api/seuils')).toEqual(before);
    expect((await api<Tableau>(h, '/api/imports')).lignes.length).toBe(imports);
    await context.close();
  });

  it('imports a valid file after confirmation and the figures change', async () => {
    const before = await territoire('qpv_hors_q1');
    expect(before.numerateur).toBeGreaterThan(0);
    const { page, context } = await h.newPage();
    // The highest threshold the format accepts, above every household's resources: every proposal in QPV goes to a Q1 household.
    const seuils = (await api<Tableau<{ annee: number; seuil_q1: number }>>(h, '/api/seuils')).lignes;
    const csv = ['annee;code_epci;seuil_q1;source', ...seuils.map((s) => `${s.annee};;${s.annee === annee ? 100_000 : s.seuil_q1};essai`)].join('\n');
    await page.goto('/donnees');
    await page.getByLabel('Fichiers du jeu de données').setInputFiles({ name: 'seuils.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Vérifier les fichiers' }).click();
    await page.getByText('Fichiers valides').waitFor();
    await page.getByRole('button', { name: 'Confirmer l’import' }).click();
    await page.getByText(/Import n° \d+ réussi/).waitFor();
    await page.getByRole('table', { name: 'Historique des imports' }).getByRole('row').filter({ hasText: 'seuils.csv' }).first().waitFor();

    await page.getByRole('link', { name: 'Tableau de bord' }).click();
    const card = carte(page, 'qpv_hors_q1');
    await card.getByText(pourcent(0), { exact: true }).waitFor();
    expect(await card.textContent()).toContain(`0 sur ${(before.denominateur ?? 0).toLocaleString('fr-FR')}`);
    await context.close();
  });

  it('edits a target in the settings and `atteint` changes on the dashboard', async () => {
    const before = await territoire('mutations');
    expect(before.taux).not.toBeNull();
    const { page, context } = await h.newPage();
    await page.goto('/');
    const card = carte(page, 'mutations');
    await card.getByText(pourcent(before.taux), { exact: true }).waitFor();
    const wasMet = before.atteint === true;
    // A target just below the rate (or above it) flips the outcome.
    const newTarget = wasMet ? Math.min(100, Math.ceil((before.taux as number) * 100) + 5) : Math.max(0, Math.floor((before.taux as number) * 100) - 5);

    await page.getByRole('link', { name: 'Paramètres de la CIA' }).click();
    await page.getByLabel('Votre nom').fill('Agathe Durand');
    const input = page.getByLabel('Propositions aux demandeurs de mutation');
    await input.fill(String(newTarget));
    await page.getByRole('button', { name: 'Enregistrer les paramètres' }).click();
    await page.getByText('Paramètres enregistrés').waitFor();
    await page.getByRole('table', { name: 'Historique des paramètres de la CIA' }).getByRole('row').filter({ hasText: 'Agathe Durand' }).waitFor();

    await page.getByRole('link', { name: 'Tableau de bord' }).click();
    await card.getByText(`Objectif : ${pourcent(newTarget / 100)}`).waitFor();
    expect(await card.getByText(wasMet ? 'Non atteint' : 'Atteint', { exact: true }).count()).toBe(1);
    expect((await territoire('mutations')).atteint).toBe(!wasMet);
    await context.close();
  });

  it('refuses an invalid target with a located message', async () => {
    const { page, context } = await h.newPage();
    await page.goto('/parametres');
    await page.getByLabel('UC : première personne').fill('0');
    await page.getByRole('button', { name: 'Enregistrer les paramètres' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Paramètres refusés' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Unités de consommation (premiere_personne)');
    await context.close();
  });

  it('keeps a 150 % target as typed, refuses it on its field and saves nothing; the history says what each version changed', async () => {
    const avant = await api<{ version: number }>(h, '/api/configuration');
    const { page, context } = await h.newPage();
    await page.goto('/parametres');
    const input = page.getByLabel('Propositions aux demandeurs de mutation');
    await input.fill('150');
    await input.press('Tab');
    // Not clamped to 100: the value stays, with its refusal on the field.
    expect(await input.inputValue()).toBe('150');
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    await page.getByText('une part entre 0 et 100 %', { exact: false }).first().waitFor();
    await page.getByRole('button', { name: 'Enregistrer les paramètres' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Paramètres refusés' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Objectif « Propositions aux demandeurs de mutation »');
    expect((await api<{ version: number }>(h, '/api/configuration')).version).toBe(avant.version);
    // The history lists the changed fields of each version (the settings test above saved one: « … : x % → y % »).
    const historique = page.getByRole('table', { name: 'Historique des paramètres de la CIA' });
    await historique.getByRole('columnheader', { name: /Modifications/ }).waitFor();
    if (avant.version > 1) expect(await historique.textContent()).toMatch(/Propositions aux demandeurs de mutation » : [\d,]+\s% → [\d,]+\s%/);
    expect(await new AxeBuilder({ page }).analyze().then((r) => r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id))).toEqual([]);
    await context.close();
  });

  it('follows a target by quarter on its Objectif page', async () => {
    const { page, context } = await h.newPage();
    await page.goto('/objectifs/hors_qpv_q1');
    const table = page.getByRole('table', { name: /suivi trimestriel/ });
    await table.waitFor();
    const lignes = await table.locator('tbody tr').allTextContents();
    expect(lignes.map((l) => l.match(/^(\d)(?:er|e) trimestre/)?.[1])).toEqual(['1', '2', '3', '4']);
    // The four quarters add up to the year (numerators), as the API gives them.
    const rows = (await api<Tableau<LigneIndicateur>>(h, `/api/indicateurs?annee=${annee}&perimetre_type=territoire&indicateur=hors_qpv_q1`)).lignes;
    const n = (p: string) => rows.find((r) => r.periode === p)?.numerateur ?? 0;
    expect(n(`${annee}-T1`) + n(`${annee}-T2`) + n(`${annee}-T3`) + n(`${annee}-T4`)).toBe(n(String(annee)));
    await context.close();
  });
});
