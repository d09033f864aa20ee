import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImportFailedError, Store, importDataset } from '../src/index.ts';
import type { ImportReport } from '../src/index.ts';
import { grouperParCause } from '../src/import/causes.ts';
import { problem } from '../src/import/problems.ts';
import { MINI, copyOfMini, tempDir } from './helpers.ts';

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

async function refused(sources: string[]): Promise<ImportReport> {
  try {
    await importDataset(store, sources, { auteur: 'Agent EPCI' });
  } catch (error) {
    if (error instanceof ImportFailedError) return error.report;
    throw error;
  }
  throw new Error('import accepté');
}

/** 260 allocations (more than the 200 errors listed per file, and the 50 listed per check), each naming a dwelling. */
const N = 260;
function manyAllocations(dir: string): void {
  const header =
    'id;nur;logement_id;bailleur_id;code_insee;code_qpv;nb_pieces;financement;loyer;premiere_mise_en_location;contingent;date_cal;decision;rang;issue;date_bail;motif_refus;ressources_mensuelles;nb_personnes;nb_moins_14_ans;dalo;prioritaire;mutation;relogement_anru;travailleur_essentiel;q1';
  const rows = Array.from({ length: N }, (_, i) => `A${i + 1};0912023000001;L${i + 1};;;;;;;;;2024-02-20;attribution;1;;;;;;;;;;;;`);
  writeFileSync(join(dir, 'attributions.csv'), `${header}\n${rows.join('\n')}\n`);
}

describe('erreurs regroupées par cause', () => {
  it('un fichier de référence manquant est une seule cause, comptée en entier, avec ses premières lignes', async () => {
    const dir = copyOfMini(tmp.dir);
    rmSync(join(dir, 'logements.csv'));
    rmSync(join(dir, 'occupation.csv'));
    manyAllocations(dir);
    const report = await refused([dir]);
    const causes = report.causes ?? [];
    const logements = causes.filter((c) => c.libelle.startsWith('logements.csv manquant'));
    // One cause: every one of the 260 allocations names a dwelling, and no logements.csv is given nor stored.
    expect(logements).toHaveLength(1);
    expect(logements[0]).toMatchObject({ severite: 'erreur', fichier: 'attributions.csv', colonne: 'logement_id', nombre: 260 });
    expect(logements[0]?.libelle).toBe('logements.csv manquant : 260 lignes de attributions.csv y renvoient (colonne logement_id)');
    // The first five located examples: data lines 2 to 6 (header = line 1), dwellings L1 to L5.
    expect(logements[0]?.exemples.map((e) => [e.ligne, e.valeur])).toEqual([
      [2, 'L1'],
      [3, 'L2'],
      [4, 'L3'],
      [5, 'L4'],
      [6, 'L5'],
    ]);
    // The located errors are kept: the first 50 of the check (MAX_PROBLEMS_PER_CHECK), unchanged apart from the cause.
    const listed = report.erreurs.filter((e) => e.colonne === 'logement_id');
    expect(listed).toHaveLength(50);
    expect(listed[0]?.message).toBe('référence inconnue : aucun fichier logements.csv n’est importé ni en base');
    expect(report.auteur).toBe('Agent EPCI');
    expect(await store.all(`SELECT * FROM attributions`)).toHaveLength(0);
  });

  it('regroupe les cellules fautives d’une même colonne et compte les lignes au-delà de celles listées', async () => {
    const dir = copyOfMini(tmp.dir);
    // 60 dwellings, each with a surface « beaucoup »: 60 errors on one column, 50 listed by the check.
    const lines = Array.from({ length: 60 }, (_, i) => `L${i + 1};R1;B1;91228;QN09101M;3;beaucoup;plus;420.3;80;1972;1972-09-01;ETAT;0;2;1`);
    writeFileSync(
      join(dir, 'logements.csv'),
      `id;residence_id;bailleur_id;code_insee;code_qpv;nb_pieces;surface;financement;loyer;charges;annee_construction;date_mise_en_service;contingent;pmr;etage;ascenseur\n${lines.join('\n')}\n`,
    );
    const report = await refused([join(dir, 'logements.csv')]);
    const surface = (report.causes ?? []).filter((c) => c.colonne === 'surface');
    expect(surface).toHaveLength(1);
    expect(surface[0]?.nombre).toBe(60);
    expect(surface[0]?.exemples).toHaveLength(5);
    expect(report.erreurs.filter((e) => e.colonne === 'surface')).toHaveLength(50);
  });

  it('grouperParCause : erreurs d’abord, puis les causes les plus nombreuses ; doublons d’identifiant en une cause', () => {
    const causes = grouperParCause([
      problem({ severite: 'avertissement', fichier: 'a.csv', ligne: 2, colonne: 'x', message: 'm' }),
      problem({ fichier: 'a.csv', ligne: 3, colonne: 'id', message: 'identifiant en double : déjà présent ligne 2', cause: 'identifiant en double', nombre: 2 }),
      problem({ fichier: 'a.csv', ligne: 4, colonne: 'id', message: 'identifiant en double : déjà présent ligne 1', cause: 'identifiant en double', nombre: 2 }),
      problem({ fichier: 'a.csv', ligne: 5, colonne: 'y', message: 'n' }),
    ]);
    expect(causes.map((c) => [c.severite, c.libelle, c.nombre])).toEqual([
      ['erreur', 'identifiant en double', 2],
      ['erreur', 'n', 1],
      ['avertissement', 'm', 1],
    ]);
  });
});

describe('rapport pour un nouveau venu', () => {
  it('dit ce que l’import remplace : lignes en base avant, lignes après', async () => {
    await importDataset(store, [MINI]);
    // The mini logements.csv has 4 data lines (L1 to L4); the new file keeps the two the stored allocations name (L1, L3).
    const path = join(tmp.dir, 'logements.csv');
    writeFileSync(
      path,
      'id;residence_id;bailleur_id;code_insee;code_qpv;nb_pieces;surface;financement;loyer;charges;annee_construction;date_mise_en_service;contingent;pmr;etage;ascenseur\n' +
        'L1;R1;B1;91228;QN09101M;3;65.5;plus;420.3;80;1972;1972-09-01;ETAT;0;2;1\nL3;R2;B2;91174;;4;82;plus;610;95;2015;2015-06-15;AL;1;0;1\n',
    );
    const report = await importDataset(store, [path], { simulation: true });
    const logements = report.fichiers.find((f) => f.table === 'logements');
    expect(logements).toMatchObject({ lignesAvant: 4, lignesChargees: 2 });
  });

  it('un classeur XLSX est décrit comme un classeur et sa feuille, pas comme un CSV UTF-8 à point-virgule', async () => {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('Bailleurs 2024');
    sheet.addRow(['id', 'nom', 'type']);
    sheet.addRow(['B1', 'Essonne Habitat', 'oph']);
    sheet.addRow(['B2', 'Les Résidences', 'esh']);
    const path = join(tmp.dir, 'bailleurs.xlsx');
    await wb.xlsx.writeFile(path);
    const report = await importDataset(store, [path], { simulation: true });
    expect(report.fichiers[0]).toMatchObject({ fichier: 'bailleurs.xlsx', encodage: 'classeur Excel', separateur: 'feuille « Bailleurs 2024 »', lignesAvant: 0, lignesLues: 2 });
  });
});
