import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportProblem, ImportReport } from '../src/index.ts';
import { ImportFailedError, Store, importDataset } from '../src/index.ts';
import { copyOfMini, tempDir } from './helpers.ts';

/**
 * The checks across files are counted first, one join per pair of files (cross-file-probe.ts), and located only when
 * the count says a row breaks them. Several broken at once must each be located, with the messages the located
 * queries always gave (written here by hand from the mini territory), whichever way the files were read.
 */

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

const setCell = (dir: string, file: string, line: number, column: string, value: string) => {
  const path = join(dir, file);
  const lines = readFileSync(path, 'utf8').split('\n');
  const idx = (lines[0] ?? '').split(';').indexOf(column);
  if (idx < 0) throw new Error(`no column ${column} in ${file}`);
  lines[line - 1] = (lines[line - 1] ?? '').split(';').map((c, i) => (i === idx ? value : c)).join(';');
  writeFileSync(path, lines.join('\n'));
};

async function refused(dir: string, lectureRapide: boolean): Promise<ImportReport> {
  try {
    await importDataset(store, [dir], { lectureRapide });
  } catch (error) {
    if (error instanceof ImportFailedError) return error.report;
    throw error;
  }
  throw new Error('import accepté');
}

const located = (problems: readonly ImportProblem[]) =>
  problems.map((p) => ({ severite: p.severite, fichier: p.fichier, ligne: p.ligne, colonne: p.colonne, valeur: p.valeur, message: p.message }));

describe.each([true, false])('contrôles entre fichiers comptés puis localisés (lecture rapide : %s)', (lectureRapide) => {
  it('localise chaque contradiction entre fichiers quand plusieurs se produisent à la fois, avertissements compris', async () => {
    const dir = copyOfMini(tmp.dir);
    setCell(dir, 'attributions.csv', 3, 'bailleur_id', 'B1');
    setCell(dir, 'attributions.csv', 4, 'date_cal', '2022-01-10');
    setCell(dir, 'logements.csv', 5, 'bailleur_id', 'B1');
    // Same département (91): a warning on each file citing the QPV with its former commune.
    setCell(dir, 'qpv.csv', 2, 'code_insee', '91174');

    const report = await refused(dir, lectureRapide);

    expect(located(report.erreurs)).toEqual([
      {
        severite: 'erreur',
        fichier: 'attributions.csv',
        ligne: 3,
        colonne: 'bailleur_id',
        valeur: 'B1',
        message: 'contredit le logement L3 (logements.csv, ligne 4) : bailleur_id « B2 »',
      },
      {
        severite: 'erreur',
        fichier: 'logements.csv',
        ligne: 5,
        colonne: 'bailleur_id',
        valeur: 'B1',
        message: 'contredit la résidence R2 (residences.csv, ligne 3) : bailleur_id « B2 »',
      },
      {
        severite: 'erreur',
        fichier: 'attributions.csv',
        ligne: 4,
        colonne: 'date_cal',
        valeur: '2022-01-10',
        message: 'la CALEOL précède le dépôt de la demande 0912023000002 (demandes.csv, ligne 3 : date_depot 2022-06-01) : une décision suit la demande',
      },
    ]);
    const qpv = located(report.avertissements).filter((p) => p.colonne === 'code_qpv');
    expect(qpv).toEqual([
      {
        severite: 'avertissement',
        fichier: 'residences.csv',
        ligne: 2,
        colonne: 'code_qpv',
        valeur: 'QN09101M',
        message: 'le QPV QN09101M a pour commune 91174 dans qpv.csv, mais est cité avec la commune 91228 : normal s’il s’étend sur plusieurs communes, sinon corrigez',
      },
      {
        severite: 'avertissement',
        fichier: 'logements.csv',
        ligne: 2,
        colonne: 'code_qpv',
        valeur: 'QN09101M',
        message:
          'le QPV QN09101M a pour commune 91174 dans qpv.csv, mais est cité avec la commune 91228 (2 lignes, la première ici) : normal s’il s’étend sur plusieurs communes, sinon corrigez',
      },
    ]);
  });

  it('localise chaque référence inconnue quand plusieurs fichiers en ont, sans chercher de contradiction', async () => {
    const dir = copyOfMini(tmp.dir);
    setCell(dir, 'logements.csv', 5, 'bailleur_id', 'B9');
    setCell(dir, 'attributions.csv', 2, 'logement_id', 'L9');
    setCell(dir, 'attributions.csv', 3, 'nur', '0912023000009');

    const report = await refused(dir, lectureRapide);

    expect(located(report.erreurs)).toEqual([
      { severite: 'erreur', fichier: 'logements.csv', ligne: 5, colonne: 'bailleur_id', valeur: 'B9', message: 'référence inconnue : absent de bailleurs.csv (colonne id)' },
      { severite: 'erreur', fichier: 'attributions.csv', ligne: 3, colonne: 'nur', valeur: '0912023000009', message: 'référence inconnue : absent de demandes.csv (colonne nur)' },
      { severite: 'erreur', fichier: 'attributions.csv', ligne: 2, colonne: 'logement_id', valeur: 'L9', message: 'référence inconnue : absent de logements.csv (colonne id)' },
    ]);
  });

  it('localise un second bail signé le même jour pour le même logement (l’unicité des baux est comptée avant d’être localisée)', async () => {
    const dir = copyOfMini(tmp.dir);
    // A3 (line 4) signs for L3 on the day A2 (line 3) did.
    setCell(dir, 'attributions.csv', 4, 'issue', 'bail_signe');
    setCell(dir, 'attributions.csv', 4, 'date_bail', '2024-05-20');

    const report = await refused(dir, lectureRapide);

    expect(located(report.erreurs)).toEqual([
      {
        severite: 'erreur',
        fichier: 'attributions.csv',
        ligne: 4,
        colonne: 'logement_id + date_bail',
        valeur: 'L3 / 2024-05-20',
        message: 'deuxième bail signé le même jour pour le même logement (premier ligne 3)',
      },
    ]);
  });

  it('un jeu cohérent ne rapporte rien entre fichiers', async () => {
    const dir = copyOfMini(tmp.dir);
    const report = await importDataset(store, [dir], { lectureRapide, simulation: true });
    expect(report.erreurs).toEqual([]);
    expect(report.avertissements.filter((p) => /contredit|QPV|référence|CALEOL|bail signé|14 ans/.test(p.message))).toEqual([]);
  });
});
