import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Territoire } from '../src/contract.ts';
import type { TestApp } from './helpers.ts';
import { MINI, openTestApp } from './helpers.ts';

/**
 * A store that holds several EPCI (a département or a region observed together, as the IDF demo) is named by its
 * size: before, the name of whichever EPCI DuckDB read first headed every page.
 */
describe('GET /api/territoire on a store of two EPCI', () => {
  let t: TestApp;
  let dossier: string;
  beforeAll(async () => {
    dossier = mkdtempSync(join(tmpdir(), 'mixite-epci-'));
    const jeu = join(dossier, 'jeu');
    cpSync(MINI, jeu, { recursive: true });
    // Grigny moved, for the test, into another EPCI: 2 EPCI, 3 communes.
    const communes = readFileSync(join(jeu, 'communes.csv'), 'utf8');
    expect(communes).toContain('91286;Grigny;200059228;CA Grand Paris Sud;');
    writeFileSync(join(jeu, 'communes.csv'), communes.replace('91286;Grigny;200059228;CA Grand Paris Sud;', '91286;Grigny;249100074;CC Autre;'));
    t = await openTestApp({ dataset: jeu });
  }, 120_000);
  afterAll(() => {
    t?.close();
    rmSync(dossier, { recursive: true, force: true });
  });

  it('names the territory by its number of EPCI and communes, without an EPCI code', async () => {
    const territoire = await t.json<Territoire>('/api/territoire');
    expect(territoire).toMatchObject({ nom: '2 EPCI, 3 communes', code_epci: null, donnees: true });
  });
});
