import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Comptes } from '../src/comptes.ts';
import type { Sante, SessionApi } from '../src/contract.ts';
import type { TestApp } from './helpers.ts';
import { MOT_DE_PASSE, createAccounts, jsonBody, login, openProductionApp, openTestApp, scalar, sessionCookie } from './helpers.ts';

const credentials = (email: string, mot_de_passe = MOT_DE_PASSE) => jsonBody('POST', { email, mot_de_passe });
const MINUTE = 60_000;

describe('login, sessions and logout (production mode)', () => {
  let t: TestApp;
  let now: number;
  beforeEach(async () => {
    now = Date.parse('2026-01-15T09:00:00Z');
    t = await openProductionApp({ securite: { maintenant: () => now } });
  });
  afterEach(() => t.close());
  const app = () => t.mixite.app;

  it('opens a session in an HttpOnly, SameSite=Strict cookie and gives the CSRF token', async () => {
    const response = await app().request('/api/session', credentials('epci@mixite.test'));
    expect(response.status).toBe(200);
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('mixite_session=')) as string;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\//);
    // Plain HTTP on the loopback: no Secure flag, or the browser would never send the cookie back.
    expect(cookie).not.toMatch(/Secure/);
    const session = (await response.json()) as SessionApi;
    expect(session).toMatchObject({ mode: 'production', utilisateur: { email: 'epci@mixite.test', role: 'epci' }, droits: { modification: true, administration: false } });
    expect(session.csrf).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    // The store keeps only a hash of the token.
    const token = (sessionCookie(response) as string).split('=')[1] as string;
    expect(await scalar<number>(t.store, `SELECT count(*)::INTEGER AS v FROM sessions WHERE empreinte = '${token}'`)).toBe(0);
    expect(await scalar<number>(t.store, `SELECT count(*)::INTEGER AS v FROM sessions`)).toBe(1);
  });

  it('marks the cookie Secure over HTTPS, behind a proxy that says so, or when configured', async () => {
    const https = await app().request('https://mixite.example/api/session', credentials('epci@mixite.test'));
    expect(https.headers.getSetCookie().join()).toMatch(/Secure/);
    const forced = await openProductionApp({ securite: { cookieSecurise: true } });
    try {
      expect((await forced.mixite.app.request('/api/session', credentials('epci@mixite.test'))).headers.getSetCookie().join()).toMatch(/Secure/);
    } finally {
      forced.close();
    }
    const proxied = await openProductionApp({ securite: { derriereProxy: true } });
    try {
      const response = await proxied.mixite.app.request('/api/session', { ...credentials('epci@mixite.test'), headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' } });
      expect(response.headers.getSetCookie().join()).toMatch(/Secure/);
    } finally {
      proxied.close();
    }
  });

  it('stores only scrypt hashes of the passwords', async () => {
    const rows = await t.store.all<{ mot_de_passe: string }>(`SELECT mot_de_passe FROM utilisateurs`);
    expect(rows.length).toBeGreaterThan(5);
    for (const row of rows) {
      expect(row.mot_de_passe).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
      expect(row.mot_de_passe).not.toContain(MOT_DE_PASSE);
    }
    // Salted: the same password gives different hashes.
    expect(new Set(rows.map((r) => r.mot_de_passe)).size).toBe(rows.length);
  });

  it('answers a wrong password and an unknown account alike, and logs the refusal without the typed address', async () => {
    const wrong = await app().request('/api/session', credentials('epci@mixite.test', 'pas le bon mot de passe'));
    const unknown = await app().request('/api/session', credentials('personne@mixite.test'));
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(await wrong.json()).toEqual(await unknown.json());
    expect(wrong.headers.getSetCookie()).toEqual([]);
    const refusals = await t.store.all<{ utilisateur: string; objet: string }>(`SELECT utilisateur, objet FROM journal WHERE action = 'connexion_refusee' ORDER BY id`);
    expect(refusals).toEqual([
      { utilisateur: 'epci@mixite.test', objet: 'epci@mixite.test' },
      { utilisateur: 'inconnu', objet: 'compte inconnu' },
    ]);
  });

  it('logs out: the session is deleted and its cookie no longer opens anything', async () => {
    const client = await login(app(), 'etat@mixite.test');
    expect((await client.request('/api/territoire')).status).toBe(200);
    const out = await client.request('/api/session', { method: 'DELETE' });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().join()).toMatch(/mixite_session=;.*Max-Age=0/);
    expect((await client.request('/api/territoire')).status).toBe(401);
    expect(await scalar<number>(t.store, `SELECT count(*)::INTEGER AS v FROM sessions`)).toBe(0);
    expect(await scalar<number>(t.store, `SELECT count(*)::INTEGER AS v FROM journal WHERE action = 'deconnexion' AND utilisateur = 'etat@mixite.test'`)).toBe(1);
  });

  it('ends a session after an hour without activity, and after ten hours in any case', async () => {
    const idle = await login(app(), 'etat@mixite.test');
    now += 59 * MINUTE;
    expect((await idle.request('/api/territoire')).status).toBe(200);
    now += 59 * MINUTE;
    expect((await idle.request('/api/territoire')).status).toBe(200);
    now += 61 * MINUTE;
    const expired = await idle.request('/api/territoire');
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as { message: string }).message).toContain('session expirée');

    const busy = await login(app(), 'etat@mixite.test');
    // Ten hours after the login (eleven requests 50 minutes apart keep it active until then).
    for (let h = 0; h < 11; h++) {
      now += 50 * MINUTE;
      expect((await busy.request('/api/territoire')).status).toBe(200);
    }
    now += 50 * MINUTE;
    expect((await busy.request('/api/territoire')).status).toBe(401);
  });

  it('slows down an account guessed from one address by doubling delays, never locks it for other addresses', async () => {
    const proxied = await openProductionApp({ securite: { derriereProxy: true, maintenant: () => now } });
    try {
      const from = (ip: string, email: string, mdp = MOT_DE_PASSE) =>
        proxied.mixite.app.request('/api/session', { ...credentials(email, mdp), headers: { 'content-type': 'application/json', 'x-forwarded-for': ip } });
      const attaquant = '203.0.113.7';
      for (let i = 0; i < 5; i++) expect((await from(attaquant, 'admin@mixite.test', `essai ${i} de mot de passe`)).status).toBe(401);
      // Past five failures the address waits 1 s, then 2, 4… — even the right password is refused meanwhile, unchecked.
      const blocked = await from(attaquant, 'admin@mixite.test');
      expect(blocked.status).toBe(429);
      expect(blocked.headers.get('retry-after')).toBe('1');
      // Upper or lower case, it is the same account.
      expect((await from(attaquant, 'ADMIN@mixite.test')).status).toBe(429);
      // The real administrator, from another address, logs in at once: an attacker cannot lock anyone out.
      expect((await from('198.51.100.4', 'admin@mixite.test')).status).toBe(200);
      for (const attente of [1, 2, 4, 8]) {
        now += attente * 1000;
        expect((await from(attaquant, 'admin@mixite.test', 'encore un essai')).status).toBe(401);
        expect((await from(attaquant, 'admin@mixite.test')).headers.get('retry-after')).toBe(String(attente * 2));
      }
      // The delay ends: the right password from that address works again, and clears its failures.
      now += 16 * 1000;
      expect((await from(attaquant, 'admin@mixite.test')).status).toBe(200);
      for (let i = 0; i < 5; i++) expect((await from(attaquant, 'admin@mixite.test', `essai ${i} après succès`)).status).toBe(401);
    } finally {
      proxied.close();
    }
  });

  it('caps the delay at 15 minutes and forgets the failures after an hour without any', async () => {
    for (let i = 0; i < 5; i++) expect((await app().request('/api/session', credentials('etat@mixite.test', `essai ${i} de mot de passe`))).status).toBe(401);
    for (let i = 0; i < 12; i++) {
      now += 15 * MINUTE;
      expect((await app().request('/api/session', credentials('etat@mixite.test', 'toujours faux'))).status).toBe(401);
    }
    const plafond = await app().request('/api/session', credentials('etat@mixite.test'));
    expect(plafond.status).toBe(429);
    expect(Number(plafond.headers.get('retry-after'))).toBe(15 * 60);
    now += 61 * MINUTE;
    for (let i = 0; i < 5; i++) expect((await app().request('/api/session', credentials('etat@mixite.test', `essai ${i} plus tard`))).status).toBe(401);
    expect((await app().request('/api/session', credentials('etat@mixite.test'))).status).toBe(429);
  });

  it('lets an administrator lift the delays of an account, through the API only', async () => {
    for (let i = 0; i < 5; i++) expect((await app().request('/api/session', credentials('b2@mixite.test', `essai ${i} de mot de passe`))).status).toBe(401);
    expect((await app().request('/api/session', credentials('b2@mixite.test'))).status).toBe(429);
    const epci = await login(app(), 'epci@mixite.test');
    expect((await epci.request('/api/connexions/blocages?email=B2@mixite.test', { method: 'DELETE' })).status).toBe(403);
    const admin = await login(app(), 'admin@mixite.test');
    const leve = await admin.request('/api/connexions/blocages?email=B2@mixite.test', { method: 'DELETE' });
    expect(leve.status).toBe(200);
    expect(await leve.json()).toEqual({ levees: 1 });
    expect(await scalar<number>(t.store, `SELECT count(*)::INTEGER AS v FROM journal WHERE action = 'compte_modifie' AND objet LIKE 'déblocage des connexions : B2@mixite.test%'`)).toBe(1);
    expect((await app().request('/api/session', credentials('b2@mixite.test'))).status).toBe(200);
    expect((await admin.request('/api/connexions/blocages?adresse=pas-une-adresse', { method: 'DELETE' })).status).toBe(400);
  });

  it('throttles an address trying many accounts, whatever accounts it tries next', async () => {
    const proxied = await openProductionApp({ securite: { derriereProxy: true, maintenant: () => now } });
    try {
      const from = (ip: string, email: string, mdp = MOT_DE_PASSE) =>
        proxied.mixite.app.request('/api/session', { ...credentials(email, mdp), headers: { 'content-type': 'application/json', 'x-forwarded-for': ip } });
      const emails = ['admin', 'epci', 'etat', 'b1', 'b2', 'al', 'prefet', 'evry', 'corbeil', 'lecteur'].map((n) => `${n}@mixite.test`);
      for (let i = 0; i < 20; i++) expect((await from('203.0.113.7', emails[i % emails.length] as string, 'mauvais mot de passe')).status).toBe(401);
      expect((await from('203.0.113.7', 'lecteur@mixite.test')).status).toBe(429);
      // Another address logs in to an account the first one tried (each account saw two failures only).
      expect((await from('198.51.100.4', 'lecteur@mixite.test')).status).toBe(200);
    } finally {
      proxied.close();
    }
  });

  it('lets a burst of parallel guesses check at most five passwords', async () => {
    const burst = await Promise.all(Array.from({ length: 30 }, (_, i) => app().request('/api/session', credentials('b1@mixite.test', `devinette numéro ${i}`))));
    const statuses = burst.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(25);
  });

  it('never keeps a session token chosen or held before the login (session fixation)', async () => {
    const planted = 'mixite_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    const response = await app().request('/api/session', { ...credentials('epci@mixite.test'), headers: { 'content-type': 'application/json', cookie: planted } });
    expect(response.status).toBe(200);
    const issued = sessionCookie(response) as string;
    expect(issued).not.toBe(planted);
    expect((await app().request('/api/territoire', { headers: { cookie: planted } })).status).toBe(401);
    expect((await app().request('/api/territoire', { headers: { cookie: issued } })).status).toBe(200);

    // An attacker's own valid session, planted in the victim's browser, is revoked when the victim logs in.
    const attacker = await login(app(), 'lecteur@mixite.test');
    const victim = await app().request('/api/session', { ...credentials('epci@mixite.test'), headers: { 'content-type': 'application/json', cookie: attacker.cookie } });
    expect(victim.status).toBe(200);
    expect(sessionCookie(victim)).not.toBe(attacker.cookie);
    expect((await app().request('/api/territoire', { headers: { cookie: attacker.cookie } })).status).toBe(401);
  });

  it('refuses a login that is not JSON (a cross-site form cannot send JSON) or comes from another origin', async () => {
    const form = await app().request('/api/session', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'email=epci%40mixite.test&mot_de_passe=x' });
    expect(form.status).toBe(400);
    const cross = await app().request('/api/session', { ...credentials('epci@mixite.test'), headers: { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' } });
    expect(cross.status).toBe(403);
    const origin = await app().request('http://127.0.0.1:3000/api/session', {
      ...credentials('epci@mixite.test'),
      headers: { 'content-type': 'application/json', origin: 'https://evil.example', host: '127.0.0.1:3000' },
    });
    expect(origin.status).toBe(403);
  });

  it('refuses a mutating request from another site even with the right token', async () => {
    const client = await login(app(), 'epci@mixite.test');
    const config = await (await client.request('/api/configuration')).json();
    const response = await client.request('/api/configuration', { ...jsonBody('PUT', config), headers: { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' } });
    expect(response.status).toBe(403);
    expect(await scalar<number>(t.store, `SELECT max(version)::INTEGER AS v FROM configuration`)).toBe(1);
  });

  it('ends the sessions of a deactivated account and refuses its login', async () => {
    await login(app(), 'b2@mixite.test');
    expect(await scalar<number>(t.store, `SELECT count(*)::INTEGER AS v FROM sessions`)).toBe(1);
    // The command line works on the store while the server is stopped (DuckDB lets one program at a time open it).
    await t.mixite.deps.lock.alone(() => new Comptes(t.store).desactiver('b2@mixite.test'));
    expect(await scalar<number>(t.store, `SELECT count(*)::INTEGER AS v FROM sessions`)).toBe(0);
    expect((await app().request('/api/session', credentials('b2@mixite.test'))).status).toBe(401);
    expect(await scalar<string>(t.store, `SELECT action AS v FROM journal WHERE objet = 'b2@mixite.test' ORDER BY id DESC LIMIT 1`)).toBe('connexion_refusee');
  });

  it('answers the health check without a session, saying nothing about accounts', async () => {
    expect(await (await app().request('/api/sante')).json()).toEqual({ statut: 'ok', mode: 'production' } satisfies Sante);
    const empty = await openTestApp({ dataset: null, securite: { mode: 'production' } });
    try {
      // Same answer with no account at all: whether an administrator exists is no one's business but the server's log.
      expect(await (await empty.mixite.app.request('/api/sante')).json()).toEqual({ statut: 'ok', mode: 'production' });
      expect((await empty.mixite.app.request('/api/territoire')).status).toBe(401);
    } finally {
      empty.close();
    }
  });
});

describe('demonstration mode', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await openTestApp();
  });
  afterEach(() => t.close());

  it('opens without login, as an administrator of the demo territory, and says so', async () => {
    const session = (await (await t.mixite.app.request('/api/session')).json()) as SessionApi;
    expect(session).toMatchObject({ mode: 'demonstration', utilisateur: { role: 'admin', email: null }, expiration: null, droits: { administration: true } });
    expect((await t.mixite.app.request('/api/journal')).status).toBe(200);
  });

  it('still refuses a mutating request without the page’s token (a cross-site form)', async () => {
    const response = await t.mixite.app.request('/api/seuils', jsonBody('PUT', { seuils: [] }));
    expect(response.status).toBe(403);
    expect(await scalar<number>(t.store, `SELECT count(*)::INTEGER AS v FROM seuils`)).toBe(2);
  });

  it('uses an account when someone logs in', async () => {
    await createAccounts(t.store, [{ email: 'b1@mixite.test', role: 'bailleur', perimetre: 'B1' }]);
    const client = await login(t.mixite.app, 'b1@mixite.test');
    expect((await client.request('/api/journal')).status).toBe(403);
    expect(((await (await client.request('/api/session')).json()) as SessionApi).utilisateur).toMatchObject({ role: 'bailleur', perimetre_libelle: 'Essonne Habitat (B1)' });
  });
});
