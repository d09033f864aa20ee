import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Store } from '@mixite/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { jsonBody } from './helpers.ts';

/** `mixite utilisateur`, run as an administrator runs it on the server (the real binary, a store file). */
const BIN = fileURLToPath(new URL('../../cli/bin/mixite.js', import.meta.url));

function mixite(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', input, env: { ...process.env, MIXITE_PROGRESS: '0' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('mixite utilisateur', () => {
  let dir: string;
  let base: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mixite-comptes-'));
    base = join(dir, 'base.duckdb');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('explains how to create the first administrator when there is no account', async () => {
    // Without a terminal nor --mot-de-passe-stdin, no password can be asked: nothing is created.
    const first = mixite(['utilisateur', 'ajouter', '--email', 'x@y.fr', '--role', 'lecteur', '--base', base], '');
    expect(first.code).toBe(1);
    expect(first.stderr).toContain('--mot-de-passe-stdin');
    (await Store.open(base)).close();
    const liste = mixite(['utilisateur', 'liste', '--base', base]);
    expect(liste.code).toBe(0);
    expect(liste.stderr).toContain('npx mixite utilisateur ajouter --email vous@exemple.fr --role admin');
  });

  it('creates accounts from a password on stdin, refuses bad ones, lists them without their password', () => {
    const ok = mixite(['utilisateur', 'ajouter', '--email', 'Chef@EPCI.fr', '--role', 'admin', '--nom', 'Camille Chef', '--mot-de-passe-stdin', '--base', base], 'un mot de passe assez long\n');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toContain('Compte créé : chef@epci.fr (Administrateur)');
    expect(mixite(['utilisateur', 'ajouter', '--email', 'chef@epci.fr', '--role', 'admin', '--mot-de-passe-stdin', '--base', base], 'un mot de passe assez long\n').stderr).toContain(
      'un compte existe déjà',
    );
    expect(mixite(['utilisateur', 'ajouter', '--email', 'b@hlm.fr', '--role', 'bailleur', '--mot-de-passe-stdin', '--base', base], 'un mot de passe assez long\n').stderr).toContain(
      'le rôle bailleur demande un périmètre',
    );
    expect(mixite(['utilisateur', 'ajouter', '--email', 'b@hlm.fr', '--role', 'roi', '--mot-de-passe-stdin', '--base', base], 'un mot de passe assez long\n').stderr).toContain('rôle inconnu');
    expect(mixite(['utilisateur', 'ajouter', '--email', 'b@hlm.fr', '--role', 'lecteur', '--mot-de-passe-stdin', '--base', base], 'court\n').stderr).toContain('au moins 12 caractères');
    const scoped = mixite(['utilisateur', 'ajouter', '--email', 'b@hlm.fr', '--role', 'bailleur', '--perimetre', 'B1', '--mot-de-passe-stdin', '--base', base], 'un autre mot de passe long\n');
    expect(scoped.code).toBe(0);
    expect(scoped.stderr).toContain('n’est pas (encore) dans la base');
    const liste = mixite(['utilisateur', 'liste', '--base', base]);
    expect(liste.stdout).toMatch(/chef@epci\.fr\s+Camille Chef\s+Administrateur\s+oui/);
    expect(liste.stdout).toMatch(/b@hlm\.fr\s+Bailleur social\s+B1\s+oui/);
    expect(liste.stdout).not.toContain('scrypt');
  });

  it('gives an account the server accepts, and refuses it once deactivated', async () => {
    const tryLogin = async (email: string, motDePasse: string) => {
      const store = await Store.open(base);
      const mixiteApp = createApp(store, { webDist: null, securite: { mode: 'production' } });
      try {
        return (await mixiteApp.app.request('/api/session', jsonBody('POST', { email, mot_de_passe: motDePasse }))).status;
      } finally {
        mixiteApp.close();
        store.close();
      }
    };
    expect(await tryLogin('chef@epci.fr', 'un mot de passe assez long')).toBe(200);
    expect(mixite(['utilisateur', 'mot-de-passe', '--email', 'chef@epci.fr', '--mot-de-passe-stdin', '--base', base], 'le nouveau mot de passe\n').code).toBe(0);
    expect(await tryLogin('chef@epci.fr', 'un mot de passe assez long')).toBe(401);
    expect(await tryLogin('chef@epci.fr', 'le nouveau mot de passe')).toBe(200);
    expect(mixite(['utilisateur', 'desactiver', '--email', 'b@hlm.fr', '--base', base]).code).toBe(0);
    expect(await tryLogin('b@hlm.fr', 'un autre mot de passe long')).toBe(401);
    const store = await Store.open(base);
    try {
      const log = await store.all<{ action: string; objet: string }>(`SELECT action, objet FROM journal WHERE utilisateur = 'ligne de commande' ORDER BY id`);
      expect(log).toEqual([
        { action: 'compte_cree', objet: 'chef@epci.fr' },
        { action: 'compte_cree', objet: 'b@hlm.fr' },
        { action: 'compte_modifie', objet: 'chef@epci.fr' },
        { action: 'compte_desactive', objet: 'b@hlm.fr' },
      ]);
    } finally {
      store.close();
    }
  });

  it('says to stop Mixité when the store is open', async () => {
    const store = await Store.open(base);
    try {
      const busy = mixite(['utilisateur', 'liste', '--base', base]);
      expect(busy.code).toBe(1);
      expect(busy.stderr).toContain('ouverte par un autre programme');
    } finally {
      store.close();
    }
  });
});
