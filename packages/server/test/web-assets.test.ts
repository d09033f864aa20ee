import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { webRoutes } from '../src/web-assets.ts';

/**
 * The built front end as the server gives it (issue 14): the bundle's scripts and styles from memory once read, with
 * their type and a year's cache; the rest as files; index.html for a page's address. Over a real folder.
 */
describe('web assets', () => {
  const dossier = mkdtempSync(join(tmpdir(), 'mixite-web-assets-'));
  const dist = join(dossier, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Mixité</title>');
  writeFileSync(join(dist, 'assets', 'application-abc123.js'), 'console.log("é");');
  writeFileSync(join(dist, 'assets', 'application-abc123.css'), 'body{margin:0}');
  writeFileSync(join(dist, 'assets', 'logo-abc123.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  // Beside the build, not in it: never served.
  writeFileSync(join(dossier, 'secret.js'), 'not an asset');
  const app = webRoutes(dist);
  afterAll(() => rmSync(dossier, { recursive: true, force: true }));

  it('serves a script and a style sheet with their type and an immutable cache, the same bytes once kept in memory', async () => {
    for (let fois = 0; fois < 2; fois++) {
      const js = await app.request('/assets/application-abc123.js');
      expect(js.status).toBe(200);
      expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(await js.text()).toBe('console.log("é");');
      const css = await app.request('/assets/application-abc123.css');
      expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
      expect(await css.text()).toBe('body{margin:0}');
    }
  });

  it('keeps a file it has served even once the build replaced it (its hashed name names that content)', async () => {
    writeFileSync(join(dist, 'assets', 'garde-abc123.js'), 'export const v = 1;');
    expect(await (await app.request('/assets/garde-abc123.js')).text()).toBe('export const v = 1;');
    rmSync(join(dist, 'assets', 'garde-abc123.js'));
    expect(await (await app.request('/assets/garde-abc123.js')).text()).toBe('export const v = 1;');
  });

  it('leaves other files to the static server, and never serves a file outside the assets folder from memory', async () => {
    const svg = await app.request('/assets/logo-abc123.svg');
    expect(svg.status).toBe(200);
    expect(await svg.text()).toContain('<svg');
    // A missing script is not kept: the page's address fallback answers (index.html), as before.
    const absent = await app.request('/assets/absent-000.js');
    expect(await absent.text()).not.toContain('console.log');
    for (const chemin of ['/assets/..%2F..%2Fsecret.js', '/assets/../../secret.js', '/assets/%2e%2e/%2e%2e/secret.js', '/assets/..%5C..%5Csecret.js']) {
      expect(await (await app.request(chemin)).text()).not.toBe('not an asset');
    }
  });

  it('answers index.html for a page’s address', async () => {
    const page = await app.request('/parc');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Mixité</title>');
  });
});
