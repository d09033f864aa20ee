import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cheminsAbsolus } from '../src/serveur-local.ts';

/** A command sent to the server (decision 0007) names its files absolutely: the server does not run in this folder. */
describe('the arguments of a command sent to the server', () => {
  let dir: string;
  const cwd = process.cwd();
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mixite-chemins-'));
    writeFileSync(join(dir, 'grille.txt'), '');
    process.chdir(dir);
  });
  afterAll(() => {
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  });

  it('makes files and outputs absolute, and leaves the other values as typed', () => {
    expect(
      cheminsAbsolus(['cotation', '--grille', 'grille.txt', '--out', 'sortie', '--date', '2024-12-31', '--base=base.duckdb', 'export/parquet', '--email', 'agent@epci.fr', '--annee', '2024', 'cotation.csv']),
    ).toEqual(['cotation', '--grille', join(dir, 'grille.txt'), '--out', join(dir, 'sortie'), '--date', '2024-12-31', `--base=${join(dir, 'base.duckdb')}`, join(dir, 'export/parquet'), '--email', 'agent@epci.fr', '--annee', '2024', join(dir, 'cotation.csv')]);
  });
});
