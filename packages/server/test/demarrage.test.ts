import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigurationInvalideError, reglesDepuisEnvironnement } from '../src/securite.ts';
import { creerCle } from '../src/services/scellement-journal.ts';
import { startServer } from '../src/start.ts';
import { scalar } from './helpers.ts';

describe('starting the server', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mixite-demarrage-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('seeds nothing in production, requires a session, and says how to create the first administrator', async () => {
    const messages: string[] = [];
    // Production never makes the audit log's key itself: `mixite journal cle` (or the first `mixite utilisateur ajouter`) does.
    creerCle(join(dir, 'production.cle-journal'));
    const server = await startServer({ port: 0, basePath: join(dir, 'production.duckdb'), securite: { mode: 'production' }, webDist: null, log: (m) => messages.push(m) });
    try {
      expect(await scalar<number>(server.store, `SELECT count(*)::INTEGER AS v FROM communes`)).toBe(0);
      expect(messages.join('\n')).toContain('npx mixite utilisateur ajouter --email vous@exemple.fr --role admin');
      expect(messages.join('\n')).not.toContain('démonstration');
      expect((await fetch(`${server.url}api/territoire`)).status).toBe(401);
      expect((await fetch(`${server.url}api/openapi.json`)).status).toBe(200);
      // The hint is in the server's log only: the public health check says nothing about accounts.
      expect(await (await fetch(`${server.url}api/sante`)).json()).toEqual({ statut: 'ok', mode: 'production' });
    } finally {
      await server.close();
    }
  });

  it('refuses to open the demonstration mode, which has no login, beyond the loopback', async () => {
    await expect(startServer({ port: 0, host: '0.0.0.0', basePath: join(dir, 'demo.duckdb'), securite: { mode: 'demonstration' }, webDist: null, log: () => {} })).rejects.toThrow(
      ConfigurationInvalideError,
    );
  });

  it('reads the security settings from the environment, and refuses the unreadable ones', () => {
    expect(reglesDepuisEnvironnement({})).toEqual({ mode: 'demonstration' });
    expect(
      reglesDepuisEnvironnement({
        MIXITE_MODE: 'production',
        MIXITE_SESSION_INACTIVITE_MINUTES: '30',
        MIXITE_TELEVERSEMENT_MAX_MO: '50',
        MIXITE_CONSERVATION_MENAGES_ANS: 'illimitee',
        MIXITE_COOKIE_SECURISE: '1',
        MIXITE_PROXY: '1',
      }),
    ).toEqual({ mode: 'production', inactiviteMs: 30 * 60_000, tailleMaxTeleversement: 50 * 1024 * 1024, conservationMenagesAnnees: null, cookieSecurise: true, derriereProxy: true });
    expect(() => reglesDepuisEnvironnement({ MIXITE_MODE: 'prod' })).toThrow('MIXITE_MODE invalide');
    expect(() => reglesDepuisEnvironnement({ MIXITE_CONSERVATION_JOURNAL_JOURS: '3' })).toThrow('MIXITE_CONSERVATION_JOURNAL_JOURS invalide');
  });
});
