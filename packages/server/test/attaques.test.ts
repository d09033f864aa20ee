import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store, importDataset } from '@mixite/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListeAttributions } from '../src/contract.ts';
import { openApiDocument } from '../src/openapi.ts';
import type { RunningServer } from '../src/start.ts';
import { startServer } from '../src/start.ts';
import { zip } from '../../data/test/fichiers-pieges.ts';
import { ACCOUNTS, MINI, MOT_DE_PASSE, clientHttp, createAccounts, fingerprint, sessionCookie } from './helpers.ts';

/**
 * Attacks on the real server, listening on a free port in production mode: none may succeed, none may crash the
 * server, and the store must be unchanged (a fingerprint of every table, in plain SQL, compared before and after;
 * only the sessions and the audit log may grow).
 */
const MO = 1024 * 1024;
const SECRET = 'CONTENU-SECRET-HORS-DU-SITE';

interface RawResponse {
  readonly status: number;
  readonly body: string;
  readonly headers: Record<string, string | string[] | undefined>;
}

describe('attacks on the real server (production mode)', () => {
  let dir: string;
  let server: RunningServer;
  let before: Record<string, string>;
  let admin: { cookie: string; csrf: string };
  let b1: { cookie: string; csrf: string };
  const port = () => server.port;

  /** A request as written, path untouched (fetch would normalise `..` and percent-encoded dots). */
  const raw = (method: string, path: string, headers: Record<string, string> = {}, body?: Buffer | string): Promise<RawResponse> =>
    new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: port(), method, path, headers: { ...headers, ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
      });
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });

  const { http, as, loginAs } = clientHttp(port);
  const alive = async () => expect((await http('/api/sante')).status).toBe(200);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mixite-attaques-'));
    const basePath = join(dir, 'base.duckdb');
    const store = await Store.open(basePath);
    await importDataset(store, [MINI], { auteur: 'test' });
    await createAccounts(store, ACCOUNTS);
    store.close();
    // A stand-in for the built front end, with a secret file beside it that no URL may reach.
    const dist = join(dir, 'site');
    mkdirSync(join(dist, 'assets'), { recursive: true });
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Mixité</title>');
    writeFileSync(join(dist, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(dir, 'secret.txt'), SECRET);
    server = await startServer({
      port: 0,
      basePath,
      webDist: dist,
      log: () => {},
      // No retention purge at start: the mini territory's 2024 must stay, whatever the year the tests run.
      securite: { mode: 'production', tailleMaxTeleversement: 1 * MO, tailleMaxDecompressee: 4 * MO, conservationMenagesAnnees: null },
    });
    admin = await loginAs('admin@mixite.test');
    b1 = await loginAs('b1@mixite.test');
    // The warm-up keeps figures and the public edition in the background (issue 18): done before the state to keep.
    await server.mixite.deps.indicateurs.warmUp();
    before = await fingerprint(server.store);
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('SQL injection in every parameter of every documented operation changes nothing and leaks nothing', async () => {
    const payloads = [
      "' OR '1'='1",
      "B1' OR 1=1 --",
      "'; DROP TABLE attributions; --",
      "1; DELETE FROM utilisateurs",
      "B2' UNION SELECT mot_de_passe FROM utilisateurs --",
      "\") OR 1=1 --",
      "'||(SELECT mot_de_passe FROM utilisateurs LIMIT 1)||'",
      '$1',
      "\\'; COPY utilisateurs TO '/tmp/x.csv'; --",
      '%27%20OR%201%3D1',
      'B1\u0000',
    ];
    const doc = openApiDocument() as { paths: Record<string, Record<string, { parameters?: { name: string; in: string; example?: unknown }[]; 'x-mixite-acces': string }>> };
    let sent = 0;
    for (const [template, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const params = op.parameters ?? [];
        for (const target of params) {
          for (const payload of payloads) {
            let path = template;
            const search = new URLSearchParams();
            for (const p of params) {
              const value = p === target ? payload : String(p.example ?? '');
              if (p.in === 'path') path = path.replace(`{${p.name}}`, encodeURIComponent(value));
              else if (p.example !== undefined || p === target) search.set(p.name, value);
            }
            // As the administrator (every route) and as a scoped bailleur (the one whose rows could leak).
            for (const who of [admin, b1]) {
              const response = await as(who, `${path}?${search}`, { method: method.toUpperCase() });
              expect([method, template, target.name, payload, response.status < 500]).toEqual([method, template, target.name, payload, true]);
              const text = await response.text();
              expect(text).not.toContain('scrypt$');
              if (who === b1 && response.status === 200 && template.endsWith('/attributions')) {
                const liste = JSON.parse(text) as ListeAttributions;
                expect(liste.lignes.every((l) => l.bailleur === 'Essonne Habitat')).toBe(true);
              }
              sent += 1;
            }
          }
        }
      }
    }
    expect(sent).toBeGreaterThan(200);
    await alive();
    expect(await fingerprint(server.store)).toEqual(before);
  }, 300_000);

  it('path traversal reaches no file outside the site, and no upload writes outside its folder', async () => {
    const paths = [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E%2Fsecret.txt',
      '/assets/../../secret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/..%5c..%5csecret.txt',
      '/assets/%2e%2e%5c%2e%2e%5csecret.txt',
      '/%2e%2e/base.duckdb',
      '//secret.txt',
      '/assets/..%252f..%252fsecret.txt',
      '/api/imports/..%2F..%2Fsecret.txt',
      '/api/../secret.txt',
    ];
    for (const path of paths) {
      const response = await raw('GET', path, { cookie: admin.cookie });
      expect([path, response.body.includes(SECRET), response.body.includes('DUCK')]).toEqual([path, false, false]);
      expect([path, response.status < 500]).toEqual([path, true]);
    }
    const listing = readdirSync(dir).sort();
    const tmpListing = readdirSync(tmpdir()).filter((f) => f.startsWith('evil')).sort();
    const form = new FormData();
    for (const name of ['../../evil.csv', '..\\..\\evil2.csv', '/etc/evil3.csv', '....//evil4.csv', 'a\u0000b.csv', '.hidden.csv', 'seuils.csv']) {
      form.append('fichiers', new File(['annee;code_epci;seuil_q1;source\n2024;;onze;x\n'], name));
    }
    const upload = await as(admin, '/api/televersements', { method: 'POST', body: form });
    expect(upload.status).toBe(200);
    expect(readdirSync(dir).sort()).toEqual(listing);
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith('evil')).sort()).toEqual(tmpListing);
    expect(server.mixite.deps.uploads.heldFolders()).toEqual([]);
    await alive();
    expect(await fingerprint(server.store)).toEqual(before);
  });

  it('refuses an oversized upload (413), announced or streamed, and stays up', async () => {
    const big = Buffer.alloc(3 * MO, 'a');
    const form = new FormData();
    form.append('fichiers', new File([big], 'attributions.csv'));
    const announced = await refused(as(admin, '/api/televersements', { method: 'POST', body: form }));
    expect([413, 'fermée']).toContain(announced.status);
    if (announced.message !== null) expect(announced.message).toContain('dépasse 1 Mo');
    // Without Content-Length (chunked): the limit is counted while the body arrives.
    const boundary = '----mixite';
    const chunks = [`--${boundary}\r\nContent-Disposition: form-data; name="fichiers"; filename="attributions.csv"\r\n\r\n`, big.toString(), `\r\n--${boundary}--\r\n`];
    const stream = new ReadableStream({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
        controller.close();
      },
    });
    const streamed = await refused(
      as(admin, '/api/televersements', {
        method: 'POST',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        body: stream,
        duplex: 'half',
      } as RequestInit),
    );
    expect([413, 'fermée']).toContain(streamed.status);
    // A JSON body beyond its own limit (2 Mo), even on the login.
    const login = await refused(http('/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'x'.repeat(3 * MO), mot_de_passe: 'x' }) }));
    expect([413, 'fermée']).toContain(login.status);
    await alive();
    expect(server.mixite.deps.uploads.heldFolders()).toEqual([]);
    expect(await fingerprint(server.store)).toEqual(before);
  });

  it('refuses zip-bomb XLSX files before the importer opens them', async () => {
    // 64 Mo of zeros deflate to some 64 Ko: under the upload limit, far over the inflated limit (4 Mo here).
    const zeros = Buffer.alloc(64 * MO);
    const ratio = zip([{ name: 'xl/worksheets/sheet1.xml', data: zeros }]);
    expect(ratio.length).toBeLessThan(1 * MO);
    // Many entries pointing at the same deflated data (an overlapping-files bomb): each small, together huge.
    const overlapping = zip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(1 * MO) }], 40);
    for (const [name, bytes] of [['ratio', ratio], ['overlapping', overlapping]] as const) {
      const form = new FormData();
      form.append('fichiers', new File([new Uint8Array(bytes)], 'attributions.xlsx'));
      const response = await as(admin, '/api/televersements', { method: 'POST', body: form });
      expect([name, response.status]).toEqual([name, 413]);
      expect(((await response.json()) as { message: string }).message).toContain('se décompresse au-delà de 4 Mo');
    }
    const garbage = new FormData();
    garbage.append('fichiers', new File([Buffer.from('PK\u0003\u0004 pas une archive')], 'attributions.xlsx'));
    expect((await as(admin, '/api/televersements', { method: 'POST', body: garbage })).status).toBe(400);
    await alive();
    expect(server.mixite.deps.uploads.heldFolders()).toEqual([]);
    expect(await fingerprint(server.store)).toEqual(before);
  });

  it('refuses mutating requests without the CSRF token, or from another origin', async () => {
    const config = await (await as(admin, '/api/configuration')).text();
    const put = (headers: Record<string, string>) =>
      http('/api/configuration', { method: 'PUT', headers: { cookie: admin.cookie, 'content-type': 'application/json', ...headers }, body: config });
    expect((await put({})).status).toBe(403);
    expect((await put({ 'x-mixite-csrf': b1.csrf })).status).toBe(403);
    expect((await put({ 'x-mixite-csrf': admin.csrf, origin: 'https://evil.example' })).status).toBe(403);
    expect((await put({ 'x-mixite-csrf': admin.csrf, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    // A cross-site form: no custom header, form encoding.
    const form = await raw('POST', '/api/seuils', { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' }, 'seuils=');
    expect(form.status).toBe(403);
    const del = await raw('DELETE', '/api/session', { cookie: admin.cookie });
    expect(del.status).toBe(403);
    expect((await as(admin, '/api/territoire')).status).toBe(200);
    await alive();
    expect(await fingerprint(server.store)).toEqual(before);
  });

  it('never keeps a planted session token (session fixation)', async () => {
    const planted = 'mixite_session=planted_by_the_attacker_0123456789';
    const response = await http('/api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: planted },
      body: JSON.stringify({ email: 'epci@mixite.test', mot_de_passe: MOT_DE_PASSE }),
    });
    expect(response.status).toBe(200);
    const issued = sessionCookie(response) as string;
    expect(issued).not.toBe(planted);
    expect((await http('/api/territoire', { headers: { cookie: planted } })).status).toBe(401);
    expect((await http('/api/territoire', { headers: { cookie: issued } })).status).toBe(200);
  });

  it('throttles brute force: the right password is refused once the account is blocked', async () => {
    const attempt = (mot_de_passe: string) =>
      http('/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'etat@mixite.test', mot_de_passe }) });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await attempt(`mot de passe ${i} devine`)).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(new Set(statuses.slice(5))).toEqual(new Set([429]));
    expect((await attempt(MOT_DE_PASSE)).status).toBe(429);
    // Then the address: 20 failures over several accounts block it for every account.
    const others = ['epci', 'b2', 'al', 'evry', 'corbeil', 'lecteur'];
    for (let i = 0; i < 15; i++) {
      await http('/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: `${others[i % others.length]}@mixite.test`, mot_de_passe: 'faux mais long' }) });
    }
    const blocked = await http('/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'prefet@mixite.test', mot_de_passe: MOT_DE_PASSE }) });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    await alive();
    expect(await fingerprint(server.store)).toEqual(before);
  });

  it('keeps no personal data in the responses’ caches', async () => {
    const response = await as(admin, '/api/objectifs/prioritaires/attributions?periode=2024');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });
});

/**
 * The server answers 413 as soon as a body passes its limit and closes the connection while the client may still be
 * sending: the client then sees either the answer or the closed connection — never an accepted upload.
 */
async function refused(pending: Promise<Response>): Promise<{ status: number | 'fermée'; message: string | null }> {
  try {
    const response = await pending;
    return { status: response.status, message: ((await response.json()) as { message: string }).message };
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE') return { status: 'fermée', message: null };
    throw error;
  }
}
