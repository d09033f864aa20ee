import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Store } from '@mixite/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** `mixite journal cle|verifier` on a real store file, through the real command line. */
const BIN = fileURLToPath(new URL('../bin/mixite.js', import.meta.url));
const run = (args: string[], input?: string) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', input, env: { ...process.env, MIXITE_PROGRESS: '0', MIXITE_CLE_JOURNAL: '' } });

describe('mixite journal', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mixite-journal-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the key once (mode 0600), then verifies the log and reports an edit', async () => {
    const base = join(dir, 'base.duckdb');
    const cle = run(['journal', 'cle', '--base', base]);
    expect(cle.status).toBe(0);
    expect(cle.stderr).toContain(`Clé du journal d’audit créée : ${join(dir, 'base.cle-journal')}`);
    expect(statSync(join(dir, 'base.cle-journal')).mode & 0o777).toBe(0o600);
    const again = run(['journal', 'cle', '--base', base]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('la clé du journal existe déjà');
    // Two accounts: two entries of the log, written by the command line with that key.
    for (const email of ['a@mixite.test', 'b@mixite.test']) expect(run(['utilisateur', 'ajouter', '--email', email, '--role', 'admin', '--mot-de-passe-stdin', '--base', base], 'un mot de passe assez long\n').status).toBe(0);
    const ok = run(['journal', 'verifier', '--base', base]);
    expect(ok.stdout.trim()).toBe('Journal d’audit : chaîne intacte (2 entrées, 2 ancrages).');
    expect(ok.status).toBe(0);
    const store = await Store.open(base);
    await store.run(`UPDATE journal SET objet = 'c@mixite.test' WHERE objet = 'a@mixite.test'`);
    const [row] = await store.all<{ id: number }>(`SELECT id::INTEGER AS id FROM journal WHERE objet = 'c@mixite.test'`);
    store.close();
    const broken = run(['journal', 'verifier', '--base', base]);
    expect(broken.stdout.trim()).toBe(`Journal d’audit : chaîne rompue à l’entrée n° ${row?.id} : l’entrée a été modifiée, ou son empreinte recalculée sans la clé du journal.`);
    expect(broken.status).toBe(1);
  });
});
