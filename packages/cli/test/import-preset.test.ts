import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '@mixite/data';

/** The real `mixite import … --preset rpls --bailleur ID` on the hand-written RPLS sample (data/test/fixtures/presets). */
const BIN = fileURLToPath(new URL('../bin/mixite.js', import.meta.url));
const F = (nom: string) => fileURLToPath(new URL(`../../data/test/fixtures/presets/${nom}`, import.meta.url));

function mixite(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, MIXITE_PROGRESS: '0' }, timeout: 120_000 });
  return { code: result.status, stderr: result.stderr };
}

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'mixite-cli-preset-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('mixite import --preset', () => {
  it('imports an RPLS file for one bailleur, then refuses a bad one with its line and column', async () => {
    const base = join(work, 'base.duckdb');
    expect(mixite('import', F('territoire'), '--base', base).code).toBe(0);
    const ok = mixite('import', F('rpls-2023-loi.csv'), '--preset', 'rpls', '--bailleur', 'B2', '--base', base);
    expect(ok.stderr).toContain('Import réussi');
    // The let dwelling of line 5 without rent (LOYERPRINC 9999) is a warning on its source line.
    expect(ok.stderr).toContain('Avertissement — rpls-2023-loi.csv, ligne 5, colonne LOYERPRINC : valeur « 9999 »');
    expect(ok.code).toBe(0);
    const ko = mixite('import', F('rpls-finan-inconnu.csv'), '--preset', 'rpls', '--bailleur', 'B2', '--base', base);
    expect(ko.stderr).toContain('rpls-finan-inconnu.csv, ligne 3, colonne FINAN_CODE : valeur « 42 » — code de financement inconnu');
    expect(ko.code).toBe(1);
    // Six dwellings of the first file (by hand: Évry 2, Corbeil 1, Grigny 3), all of bailleur B2: the refused file changed nothing.
    const store = await Store.open(base);
    try {
      expect(await store.all(`SELECT bailleur_id, count(*)::INTEGER AS n FROM logements GROUP BY ALL`)).toEqual([{ bailleur_id: 'B2', n: 6 }]);
    } finally {
      store.close();
    }
  }, 240_000);
});
