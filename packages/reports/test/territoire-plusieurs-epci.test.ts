import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Store, importDataset } from '@mixite/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collecterDonnees } from '../src/donnees/collecte.ts';

const MINI = fileURLToPath(new URL('../../data/test/fixtures/mini', import.meta.url));

/**
 * The bilan names a store of several EPCI as the screens do (`nomDuTerritoire`, one rule): before, the bilan took the
 * name of the EPCI of cia.yaml ("CA Grand Paris Sud") for figures that covered every EPCI of the store, and the
 * screens said "2 EPCI, 3 communes".
 */
describe('the bilan of a store of two EPCI', () => {
  let dossier: string;
  let store: Store;
  beforeAll(async () => {
    dossier = mkdtempSync(join(tmpdir(), 'mixite-bilan-epci-'));
    const jeu = join(dossier, 'jeu');
    cpSync(MINI, jeu, { recursive: true });
    // Grigny moved, for the test, into another EPCI: 2 EPCI, 3 communes; cia.yaml still names CA Grand Paris Sud.
    const communes = readFileSync(join(jeu, 'communes.csv'), 'utf8');
    expect(communes).toContain('91286;Grigny;200059228;CA Grand Paris Sud;');
    expect(readFileSync(join(jeu, 'cia.yaml'), 'utf8')).toContain('code_epci: "200059228"');
    writeFileSync(join(jeu, 'communes.csv'), communes.replace('91286;Grigny;200059228;CA Grand Paris Sud;', '91286;Grigny;249100074;CC Autre;'));
    store = await Store.open(':memory:');
    await importDataset(store, [jeu], { auteur: 'test' });
  }, 120_000);
  afterAll(() => {
    store?.close();
    rmSync(dossier, { recursive: true, force: true });
  });

  it('is named by its size, without the code of the EPCI whose thresholds apply', async () => {
    const { referentiel } = await collecterDonnees(store, 2024, 1, () => undefined);
    expect(referentiel.nomTerritoire).toBe('2 EPCI, 3 communes');
    expect(referentiel.designation).toBe('2 EPCI, 3 communes');
    // The thresholds stay those of the EPCI named in cia.yaml.
    expect(referentiel.codeEpci).toBe('200059228');
  }, 120_000);
});
