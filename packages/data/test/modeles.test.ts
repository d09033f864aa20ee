import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FILE_NAMES, FILE_SPECS, modeleCsv, modeleFichier } from '@mixite/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store, importDataset, modeleXlsx } from '../src/index.ts';
import { tempDir } from './helpers.ts';

let store: Store;
let tmp: ReturnType<typeof tempDir>;
beforeEach(async () => {
  store = await Store.open(':memory:');
  tmp = tempDir();
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

describe('modèles de fichiers (en-têtes et une ligne d’exemple)', () => {
  it('les modèles CSV, tels quels, forment un jeu que l’import accepte : une ligne par table', async () => {
    for (const f of FILE_NAMES) writeFileSync(join(tmp.dir, `${f}.csv`), modeleCsv(f));
    const report = await importDataset(store, [tmp.dir]);
    expect(report.statut).toBe('reussi');
    // No column outside the format: the template's headers are exactly the declared columns.
    expect(report.avertissements).toEqual([]);
    for (const f of FILE_NAMES) {
      const [row] = await store.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${f}`);
      expect(row?.n, f).toBe(1);
    }
    // The example allocation names the example dwelling and bailleur, read back through the store.
    const [a] = await store.all<{ logement_id: string; bailleur_id: string; code_insee: string }>(`SELECT logement_id, bailleur_id, code_insee FROM attributions`);
    expect(a).toEqual({ logement_id: 'L1', bailleur_id: 'B1', code_insee: '91228' });
  });

  it('les modèles XLSX (cellules texte) s’importent aussi, et gardent les zéros en tête', async () => {
    for (const f of FILE_NAMES) writeFileSync(join(tmp.dir, `${f}.xlsx`), await modeleXlsx(f));
    const report = await importDataset(store, [tmp.dir]);
    expect(report.statut).toBe('reussi');
    expect(report.fichiers.find((f) => f.table === 'demandes')).toMatchObject({ encodage: 'classeur Excel', separateur: 'feuille « demandes »' });
    const [d] = await store.all<{ nur: string }>(`SELECT nur FROM demandes`);
    expect(d?.nur).toBe('0912024000001');
  });

  it('la liste des fichiers dit lesquels sont facultatifs et à quoi chacun renvoie', () => {
    const attributions = modeleFichier('attributions');
    expect(attributions.renvoieA).toEqual(expect.arrayContaining(['demandes', 'logements', 'bailleurs']));
    expect(modeleFichier('communes').facultatif).toBe(false);
    expect(modeleFichier('logements').facultatif).toBe(true);
    for (const f of FILE_NAMES) expect(modeleFichier(f).colonnes.map((c) => c.nom)).toEqual(Object.keys(FILE_SPECS[f].columns));
  });
});
