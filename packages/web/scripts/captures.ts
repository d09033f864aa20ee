/**
 * Screenshots of the main pages for docs/screenshots/ (the README shows them): the demo territory in a
 * temporary store, the real server, Debian's Chromium. Run from the repository root:
 *   npx tsx packages/web/scripts/captures.ts
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { WEB_DIST, ensureWebBuild, startServer } from '@mixite/server';
import { chromium } from 'playwright-core';

const OUT = resolve(process.argv[2] ?? 'docs/screenshots');
mkdirSync(OUT, { recursive: true });
await ensureWebBuild();
const dir = mkdtempSync(join(tmpdir(), 'mixite-captures-'));
const server = await startServer({ port: 0, basePath: join(dir, 'base.duckdb'), securite: { mode: 'demonstration' }, webDist: WEB_DIST });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 860 }, baseURL: server.url });
  const page = await context.newPage();
  const capture = async (name: string, path: string, prepare?: () => Promise<void>) => {
    await page.goto(path);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.waitForLoadState('networkidle');
    if (prepare) await prepare();
    await page.screenshot({ path: join(OUT, `${name}.png`) });
    console.log(`${name}.png`);
  };
  await capture('tableau-de-bord', '/');
  await capture('objectif', '/objectifs/hors_qpv_q1', async () => {
    await page.getByRole('table').first().waitFor();
  });
  await capture('demande', '/demande', async () => {
    await page.getByRole('heading', { name: 'Tension par typologie' }).scrollIntoViewIfNeeded();
  });
  await capture('donnees', '/donnees', async () => {
    const csv = 'annee;code_epci;seuil_q1;source\n2023;;11160;arrêté\n2024;;onze mille;arrêté\n2025;200059228;12190;\n';
    await page.getByLabel('Fichiers du jeu de données').setInputFiles({ name: 'seuils.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Vérifier les fichiers' }).click();
    await page.getByText(/Import refusé/).waitFor();
  });
  await capture('parametres', '/parametres');
} finally {
  await browser.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}
