import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, TestApp } from './helpers.ts';
import { jsonBody, login, openProductionApp } from './helpers.ts';

/**
 * POST /api/cotation/lettre on the real server (production mode) over packages/data/test/fixtures/refus/territoire:
 * the EPCI gets D01's letter as a PDF that pdftotext reads back (8 similar requests; 949 days = 31,2 months, counted
 * by hand in packages/reports/test/lettre.test.ts); a commune (pseudonyms only) and the public reader are refused.
 */
const FIXTURE = fileURLToPath(new URL('../../data/test/fixtures/refus/territoire', import.meta.url));
const GRILLE = readFileSync(fileURLToPath(new URL('../../../grilles/equilibre-cia.yaml', import.meta.url)), 'utf8');
const PDFTOTEXT = '/usr/bin/pdftotext';

describe('the applicant’s letter over HTTP', () => {
  let t: TestApp;
  let dir: string;
  const c: Record<string, Client> = {};
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mixite-lettre-http-'));
    t = await openProductionApp({ dataset: FIXTURE, securite: { maintenant: () => Date.UTC(2026, 0, 15) } });
    for (const who of ['epci', 'evry', 'lecteur']) c[who] = await login(t.mixite.app, `${who}@mixite.test`);
  }, 120_000);
  afterAll(() => {
    t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('gives the EPCI the letter of D01 as a PDF', async () => {
    const r = await (c['epci'] as Client).request('/api/cotation/lettre', jsonBody('POST', { grille: GRILLE, nur: 'D01' }));
    expect(r.status, await r.clone().text()).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/pdf');
    expect(r.headers.get('content-disposition')).toContain('lettre-cotation-D01.pdf');
    const pdf = Buffer.from(await r.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    if (!existsSync(PDFTOTEXT)) return;
    writeFileSync(join(dir, 'l.pdf'), pdf);
    const texte = execFileSync(PDFTOTEXT, [join(dir, 'l.pdf'), '-'], { encoding: 'utf8' }).replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ');
    expect(texte).toContain('Demande n° D01');
    expect(texte).toContain('sur 8 demandes similaires');
    expect(texte).toContain('31,2 mois (949 jours)');
  }, 120_000);

  it('refuses a commune (pseudonyms only) and the public reader; an unknown request is a 404', async () => {
    expect((await (c['evry'] as Client).request('/api/cotation/lettre', jsonBody('POST', { grille: GRILLE, nur: 'D01' }))).status).toBe(403);
    expect((await (c['lecteur'] as Client).request('/api/cotation/lettre', jsonBody('POST', { grille: GRILLE, nur: 'D01' }))).status).toBe(403);
    expect((await (c['epci'] as Client).request('/api/cotation/lettre', jsonBody('POST', { grille: GRILLE, nur: 'INCONNU' }))).status).toBe(404);
  });
});
