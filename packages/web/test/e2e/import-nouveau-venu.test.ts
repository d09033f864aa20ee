import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HarnessProduction } from './harness.ts';
import { SKIP_BROWSER, openProductionHarness } from './harness.ts';
import { EXTRACTIONS } from '../../../core/src/correspondance/extractions.test-data.ts';

/**
 * A newcomer's first import (issue 17, item 2), in Chromium, production mode, as the EPCI's account. The store holds
 * the mini territory of packages/data without its dwellings and allocations: uploading the mini's attributions.csv
 * alone (3 allocations naming dwellings L1, L3, L3) must give one cause « logements.csv manquant : 3 lignes… »;
 * adding the mini's logements.csv (4 dwellings) makes it valid, and the preview says 0 → 4 and 0 → 3 rows.
 */
const MINI = fileURLToPath(new URL('../../../data/test/fixtures/mini', import.meta.url));
const normal = (s: string | null) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ');
const fichier = (nom: string) => ({ name: nom, mimeType: 'text/csv', buffer: readFileSync(join(MINI, nom)) });

describe.skipIf(SKIP_BROWSER)('Données : le premier import d’un nouveau venu (Chromium, mode production)', () => {
  let dir: string;
  let h: HarnessProduction;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mixite-e2e-import-'));
    const jeu = join(dir, 'mini');
    cpSync(MINI, jeu, { recursive: true });
    for (const f of ['logements.csv', 'attributions.csv']) rmSync(join(jeu, f));
    h = await openProductionHarness(jeu, [{ email: 'epci@mixite.test', role: 'epci', perimetre: null }]);
  }, 180_000);
  afterAll(async () => {
    await h?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const sansViolation = async (page: Page) => {
    await page.waitForLoadState('networkidle');
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
  };

  // First: it verifies a new demandes file without confirming, while no allocation refers to the stored demands.
  it('propose une correspondance pour une extraction SNE, la fait corriger, l’aperçoit, l’enregistre et la réutilise au dépôt', async () => {
    const { page, context } = await h.newPage();
    await page.goto('/');
    await h.connecter(page, 'epci@mixite.test');
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Données' }).waitFor();
    await page.goto('/donnees');
    const sne = EXTRACTIONS[0]?.csv ?? '';
    await page.getByLabel('Extraction à décrire').setInputFiles({ name: 'extraction_sne_2024.csv', mimeType: 'text/csv', buffer: Buffer.from(sne) });
    await page.getByRole('button', { name: 'Proposer une correspondance' }).click();
    const entetes = page.getByRole('table', { name: 'En-têtes de l’extraction et colonnes proposées' });
    await entetes.waitFor();
    expect(await page.getByLabel('Colonne du format pour « Date de création de la demande »').inputValue()).toBe('date_depot');
    expect(await page.getByLabel('Colonne du format pour « Guichet enregistreur »').inputValue()).toBe('');
    expect(await page.getByLabel('Code de statut pour « Satisfaite »').inputValue()).toBe('attribuee');
    // The preview reads the first row as the import will: 15/01/2023 → 2023-01-15, « Satisfaite » → attribuee.
    const apercu = page.getByRole('table', { name: 'Aperçu de la lecture' });
    const entete = await apercu.getByRole('columnheader').allTextContents();
    const premiere = await apercu.getByRole('row').nth(1).getByRole('cell').allTextContents();
    expect(premiere[entete.indexOf('date_depot')]).toBe('2023-01-15');
    expect(premiere[entete.indexOf('statut')]).toBe('attribuee');
    // A correction shows at once: « Satisfaite » left without a code is refused in the preview.
    await page.getByLabel('Code de statut pour « Satisfaite »').selectOption('');
    expect(await apercu.getByRole('row').nth(1).getByRole('cell').nth(entete.indexOf('statut')).textContent()).toMatch(/« Satisfaite » refusé — attendu : un des codes/);
    await page.getByLabel('Code de statut pour « Satisfaite »').selectOption('attribuee');
    await sansViolation(page);

    await page.getByLabel('Nom de la correspondance').fill('SNE Essonne');
    await page.getByRole('button', { name: 'Enregistrer la correspondance' }).click();
    await page.getByText('Correspondance « SNE Essonne » enregistrée').waitFor();

    // Reused when depositing: the extraction is read as demandes.csv (5 rows of the test extraction, 4 in the store).
    await expect.poll(() => page.getByLabel('Ou une correspondance enregistrée').inputValue()).toBe('SNE Essonne');
    await page.getByLabel('Fichiers du jeu de données').setInputFiles([{ name: 'extraction_sne_2024.csv', mimeType: 'text/csv', buffer: Buffer.from(sne) }]);
    await page.getByRole('button', { name: 'Vérifier les fichiers' }).click();
    await page.getByText('Fichiers valides').waitFor();
    const remplace = page.getByRole('table', { name: 'Ce que l’import remplacera' });
    expect((await remplace.getByRole('row').filter({ hasText: 'demandes' }).getByRole('cell').allTextContents()).map(normal)).toEqual(['demandes', 'extraction_sne_2024.csv', '4', '5', '1']);
    await page.getByRole('button', { name: 'Abandonner' }).click();
    await context.close();
  }, 180_000);

  it('télécharge un modèle, voit une seule cause pour un fichier manquant, corrige, voit ce qui sera remplacé, confirme et rouvre le rapport', async () => {
    const { page, context } = await h.newPage();
    await page.goto('/');
    await h.connecter(page, 'epci@mixite.test');
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Données' }).waitFor();
    await page.goto('/donnees');
    await page.getByRole('heading', { level: 1, name: 'Données' }).waitFor();

    // The list of files: what each is for, what it refers to, the rows in the store now.
    const liste = page.getByRole('table', { name: 'Fichiers d’un jeu de données' });
    const logements = liste.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /^logements/ }) });
    expect(normal(await logements.textContent())).toContain('Les logements du parc social');
    expect(await logements.getByRole('cell').nth(2).textContent()).toBe('0');

    // The empty template of logements.csv: the format's headers and one example row.
    const [modele] = await Promise.all([page.waitForEvent('download'), logements.getByRole('link', { name: 'CSV : modèle de logements' }).click()]);
    expect(modele.suggestedFilename()).toBe('logements.csv');
    const lignes = readFileSync(await modele.path(), 'utf8').trim().split('\n');
    expect(lignes).toHaveLength(2);
    expect(lignes[0]?.startsWith('id;residence_id;bailleur_id;code_insee;code_qpv;nb_pieces;surface;financement;loyer')).toBe(true);

    // attributions.csv alone: its dwellings are nowhere. One cause, counted, not one line per allocation.
    await page.getByLabel('Fichiers du jeu de données').setInputFiles([fichier('attributions.csv')]);
    await page.getByRole('button', { name: 'Vérifier les fichiers' }).click();
    await page.getByText(/Import refusé : \d+ erreurs?/).waitFor();
    const causes = page.getByRole('table', { name: 'Causes du refus' });
    const cause = causes.getByRole('row').filter({ hasText: 'logements.csv manquant' });
    expect(await cause.count()).toBe(1);
    const cellules = (await cause.getByRole('cell').allTextContents()).map(normal);
    expect(cellules.slice(0, 4)).toEqual(['attributions.csv', 'logement_id', 'logements.csv manquant : 3 lignes de attributions.csv y renvoient (colonne logement_id)', '3']);
    // The first located lines: data lines 2 to 4 of the file (header = line 1).
    expect(cellules[4]).toBe('ligne 2 (« L1 »), ligne 3 (« L3 »), ligne 4 (« L3 »)');
    expect(await page.getByRole('button', { name: 'Confirmer l’import' }).count()).toBe(0);
    // axe on the page with the guide, the format and a refused report (each axe pass takes seconds on a loaded machine).
    await sansViolation(page);

    // Fixed: the dwellings come too. Nothing written yet: the preview says what the import will replace.
    await page.getByLabel('Fichiers du jeu de données').setInputFiles([fichier('attributions.csv'), fichier('logements.csv')]);
    await page.getByRole('button', { name: 'Vérifier les fichiers' }).click();
    await page.getByText('Fichiers valides').waitFor();
    const apercu = page.getByRole('table', { name: 'Ce que l’import remplacera' });
    const ligne = async (table: string) => (await apercu.getByRole('row').filter({ hasText: table }).getByRole('cell').allTextContents()).map(normal);
    // Table, file, rows before, rows after, gap: 0 → 4 dwellings, 0 → 3 allocations (the mini's files, counted by hand).
    expect(await ligne('logements')).toEqual(['logements', 'logements.csv', '0', '4', '4']);
    expect(await ligne('attributions')).toEqual(['attributions', 'attributions.csv', '0', '3', '3']);
    await sansViolation(page);

    // Confirmed: the report stays on screen.
    await page.getByRole('button', { name: 'Confirmer l’import' }).click();
    const reussi = page.getByText(/Import n° (\d+) réussi/);
    await reussi.waitFor();
    const numero = /n° (\d+)/.exec((await reussi.textContent()) ?? '')?.[1] ?? '';
    expect(await page.getByRole('table', { name: 'Ce que l’import a remplacé' }).count()).toBe(1);

    // The history reopens it: files, who, counts.
    const historique = page.getByRole('table', { name: 'Historique des imports' });
    const entree = historique.getByRole('row').filter({ hasText: 'attributions.csv' }).first();
    await entree.waitFor();
    expect(await entree.textContent()).toContain('epci@mixite.test');
    await page.reload();
    await page.getByRole('button', { name: `Ouvrir le rapport de l’import n° ${numero}` }).click();
    await page.getByRole('heading', { name: `Rapport de l’import n° ${numero}` }).waitFor();
    const rouvert = page.getByRole('table', { name: 'Ce que l’import a remplacé' });
    expect((await rouvert.getByRole('row').filter({ hasText: 'logements' }).getByRole('cell').allTextContents()).map(normal)).toEqual(['logements', 'logements.csv', '0', '4', '4']);
    expect(normal(await page.getByText(/— par /).last().textContent())).toContain('epci@mixite.test');
    await sansViolation(page);
    await context.close();
  }, 180_000);

  // Issue 17: a refused verification whose report lists only the first rows of a check offers the full list.
  it('télécharge la liste complète des erreurs quand le rapport n’en liste qu’une partie', async () => {
    const { page, context } = await h.newPage();
    await page.goto('/');
    await h.connecter(page, 'epci@mixite.test');
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Données' }).waitFor();
    await page.goto('/donnees');
    // The mini's two bailleurs, then 300 of unknown type on lines 4 to 303: the report lists 50 of them (one check).
    const lignes = ['id;nom;type', 'B1;Essonne Habitat;oph', 'B2;Les Résidences;esh', ...Array.from({ length: 300 }, (_, i) => `BX${i};Bailleur ${i};type${i}`)];
    await page.getByLabel('Fichiers du jeu de données').setInputFiles([{ name: 'bailleurs.csv', mimeType: 'text/csv', buffer: Buffer.from(`${lignes.join('\n')}\n`) }]);
    await page.getByRole('button', { name: 'Vérifier les fichiers' }).click();
    await page.getByText('Import refusé : 300 erreurs').waitFor();
    const lien = page.getByRole('link', { name: 'Télécharger la liste complète des 300 erreurs (CSV)' });
    const [liste] = await Promise.all([page.waitForEvent('download'), lien.click()]);
    expect(liste.suggestedFilename()).toBe('erreurs-import.csv');
    const texte = readFileSync(await liste.path(), 'utf8').replace(/^\uFEFF/, '');
    const rangees = texte.trimEnd().split('\r\n');
    // The header and one row per bad line, the first on line 4, the last on line 303.
    expect(rangees).toHaveLength(301);
    expect(rangees[1]?.split(';').slice(0, 5)).toEqual(['erreur', 'bailleurs.csv', '4', 'type', 'type0']);
    expect(rangees[300]?.split(';').slice(0, 5)).toEqual(['erreur', 'bailleurs.csv', '303', 'type', 'type299']);
    await sansViolation(page);
    await context.close();
  }, 180_000);
});
