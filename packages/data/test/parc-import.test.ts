import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImportFailedError, Store, importDataset } from '../src/index.ts';
import { sha256, tempDir } from './helpers.ts';

/**
 * Bad occupation surveys (issue 14): more households under 40 % of the ceilings than households, a survey of a
 * residence that does not exist — each a French error naming file, line and column, and nothing loaded (the store's
 * file unchanged byte for byte).
 */

const FIXTURE = fileURLToPath(new URL('./fixtures/parc/territoire', import.meta.url));

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir('mixite-parc-import-'));
});
afterEach(() => cleanup());

async function refus(occupation: string) {
  const jeu = join(dir, 'jeu');
  cpSync(FIXTURE, jeu, { recursive: true });
  const base = join(dir, 'base.duckdb');
  const store = await Store.open(base);
  await importDataset(store, [FIXTURE]);
  store.close();
  const avant = sha256(base);
  writeFileSync(join(jeu, 'occupation.csv'), occupation);
  const s = await Store.open(base);
  try {
    const erreur = await importDataset(s, [jeu]).then(
      () => null,
      (e: unknown) => e,
    );
    expect(erreur).toBeInstanceOf(ImportFailedError);
    const lignes = await s.all<{ n: number }>('SELECT count(*)::INTEGER AS n FROM occupation');
    expect(lignes[0]?.n).toBe(6); // the survey of the first import, untouched
    return (erreur as ImportFailedError).report.erreurs;
  } finally {
    s.close();
    expect(sha256(base)).toBe(avant);
  }
}

describe('occupation.csv checks', () => {
  it('more households under 40 % of the ceilings than households: located, nothing loaded', async () => {
    const erreurs = await refus('residence_id;annee;menages;menages_sous_40pct_plafonds;menages_sous_60pct_plafonds\nR1;2024;100;24;40\nR2;2024;10;12;12\n');
    expect(erreurs).toContainEqual(
      // The rule between two columns (files.ts, kind lte) is reported on its right-hand column, the message naming the other.
      expect.objectContaining({ fichier: 'occupation.csv', ligne: 3, colonne: 'menages', valeur: '10', message: 'menages_sous_40pct_plafonds ne peut pas dépasser le nombre de ménages' }),
    );
  });

  it('a survey of an unknown residence: located, nothing loaded', async () => {
    const erreurs = await refus('residence_id;annee;menages;menages_sous_40pct_plafonds\nR1;2024;100;24\nR9;2024;50;10\n');
    expect(erreurs).toContainEqual(expect.objectContaining({ fichier: 'occupation.csv', ligne: 3, colonne: 'residence_id', valeur: 'R9' }));
  });
});
