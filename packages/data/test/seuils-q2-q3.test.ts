import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Store, importDataset } from '../src/index.ts';
import { MINI, copyOfMini, tempDir } from './helpers.ts';

/**
 * seuils.csv's optional `seuil_q2`/`seuil_q3` columns (issue 17): read as typed numbers, not as free attributes. The
 * malformed values (a word, a negative amount, q1 > q2, q2 > q3) are in import-corpus.test.ts.
 */
describe('seuils.csv : colonnes seuil_q2 et seuil_q3', () => {
  const seuils = (store: Store) =>
    store.all<Record<string, unknown>>(`SELECT annee, seuil_q1::DOUBLE AS q1, seuil_q2::DOUBLE AS q2, seuil_q3::DOUBLE AS q3, attributs::VARCHAR AS attributs FROM seuils ORDER BY annee`);

  it('importe un seuils.csv sans les colonnes : Q2 et Q3 vides', async () => {
    const store = await Store.open(':memory:');
    try {
      const rapport = await importDataset(store, [MINI]);
      expect(rapport.avertissements.filter((a) => a.fichier === 'seuils.csv')).toEqual([]);
      // The mini seuils.csv: 2023 → 11 000, 2024 → 11 379.
      expect(await seuils(store)).toEqual([
        { annee: 2023, q1: 11000, q2: null, q3: null, attributs: '{}' },
        { annee: 2024, q1: 11379, q2: null, q3: null, attributs: '{}' },
      ]);
    } finally {
      store.close();
    }
  });

  it('importe les colonnes quand elles sont là, en nombres (milliers espacés, virgule décimale), sans avertissement', async () => {
    const dossier = copyOfMini(join(work.dir, 'avec-q2-q3'));
    const chemin = join(dossier, 'seuils.csv');
    const [tete, a, b] = readFileSync(chemin, 'utf8').trimEnd().split('\n');
    // 2023 with both; 2024 with Q2 only, written « 17 796,50 ».
    writeFileSync(chemin, `${tete};seuil_q2;seuil_q3\n${a};16000;21000\n${b};17 796,50;\n`);
    const store = await Store.open(':memory:');
    try {
      const rapport = await importDataset(store, [dossier]);
      expect(rapport.avertissements.filter((p) => p.fichier === 'seuils.csv')).toEqual([]);
      expect(await seuils(store)).toEqual([
        { annee: 2023, q1: 11000, q2: 16000, q3: 21000, attributs: '{}' },
        { annee: 2024, q1: 11379, q2: 17796.5, q3: null, attributs: '{}' },
      ]);
    } finally {
      store.close();
    }
  });
});

/**
 * Migration 12 (issue 17): `seuil_q2` and `seuil_q3` become typed columns of the seuils table. A store written before
 * it kept them as free attributes (the arrêté presets wrote them so): reopened, the values are in the new columns and
 * no longer among the attributes, the other attributes untouched.
 */
const work = tempDir('mixite-migration-12-');
afterAll(() => work.cleanup());

describe('migration 12 : seuils Q2 et Q3 typés', () => {
  it('déplace les seuils Q2 et Q3 gardés en attributs libres vers leurs colonnes', async () => {
    const chemin = join(work.dir, 'base.duckdb');
    const neuve = await Store.open(chemin);
    await importDataset(neuve, [MINI]);
    // As a store written before migration 12: no columns, the values among the attributes of the 2023 line.
    await neuve.run(`DELETE FROM schema_version WHERE version = 12`);
    await neuve.run(`ALTER TABLE seuils DROP COLUMN seuil_q2`);
    await neuve.run(`ALTER TABLE seuils DROP COLUMN seuil_q3`);
    await neuve.run(`UPDATE seuils SET attributs = MAP {'seuil_q2': '16000', 'seuil_q3': '21500.5', 'note': 'gardée'} WHERE annee = 2023`);
    neuve.close();

    const rouverte = await Store.open(chemin);
    const lignes = await rouverte.all<Record<string, unknown>>(
      `SELECT annee, seuil_q1::DOUBLE AS q1, seuil_q2::DOUBLE AS q2, seuil_q3::DOUBLE AS q3, attributs::VARCHAR AS attributs FROM seuils ORDER BY annee`,
    );
    rouverte.close();
    // The mini seuils.csv: 2023 → 11 000, 2024 → 11 379, no Q2/Q3.
    expect(lignes).toEqual([
      { annee: 2023, q1: 11000, q2: 16000, q3: 21500.5, attributs: '{note=gardée}' },
      { annee: 2024, q1: 11379, q2: null, q3: null, attributs: expect.anything() as unknown },
    ]);
  });
});
