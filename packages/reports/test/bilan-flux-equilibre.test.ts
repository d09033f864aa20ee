import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Store, importDataset } from '@mixite/data';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ecrireBilansFlux } from '../src/flux/bilan-flux-fichiers.ts';

/**
 * The balance columns of the conventions in the R441-5-1 bilan files, on the hand-built flux territory
 * (packages/data/test/fixtures/flux/territoire; its 2024 conventions given minima here). B1's dwellings allocated in
 * 2024 (leases of the year, flow or not), by hand: ETAT L1 (QPV, T2) and L4 (hors QPV, T4) → 2; AL L2 (hors QPV,
 * T3) → 1; COM L6 (hors QPV, T2; an ANRU relocation, out of the flow but allocated) → 1.
 */
const FIXTURE = fileURLToPath(new URL('../../data/test/fixtures/flux/territoire', import.meta.url));
const dossier = mkdtempSync(join(tmpdir(), 'mixite-bilan-equilibre-'));
let store: Store;

beforeAll(async () => {
  cpSync(FIXTURE, join(dossier, 'jeu'), { recursive: true });
  writeFileSync(
    join(dossier, 'jeu', 'conventions.csv'),
    [
      'bailleur_id;reservataire_id;annee;part;part_qpv_min;part_hors_qpv_min;part_t1_t2_min;part_t4_plus_min',
      'B1;ETAT;2023;0.25;;;;',
      'B1;AL;2023;0.30;;;;',
      'B1;COM;2023;0.10;;;;',
      'B1;ETAT;2024;0.25;0.6;;;0.5',
      'B1;AL;2024;0.30;;1;0.2;',
      'B1;COM;2024;0.10;0.5;;;',
      'B2;AL;2024;0.5;;;;',
    ].join('\n'),
  );
  store = await Store.open(':memory:');
  await importDataset(store, [join(dossier, 'jeu')]);
}, 120_000);
afterAll(() => {
  store?.close();
  rmSync(dossier, { recursive: true, force: true });
});

const espaces = (v: unknown) => String(v).replace(/\s/g, ' ');

describe('balance of the conventions in the R441-5-1 bilan', () => {
  it('writes, per réservataire, the allocated share in each modality against its convention’s minimum', async () => {
    const [xlsx] = await ecrireBilansFlux(store, { annee: 2024, bailleur: 'B1', format: 'xlsx', dossier: join(dossier, 'xlsx') });
    const classeur = new ExcelJS.Workbook();
    await classeur.xlsx.readFile(xlsx as string);
    const lignes = (feuille: string) => {
      const ws = classeur.getWorksheet(feuille) as ExcelJS.Worksheet;
      const toutes: string[][] = [];
      ws.eachRow((r) => toutes.push((r.values as unknown[]).slice(1).map(espaces)));
      const i = toutes.findIndex((l) => l[0] === 'Équilibre fixé par la convention');
      return i < 0 ? [] : toutes.slice(i + 2);
    };
    // ETAT: 1 of 2 in QPV = 50 % < 60 %; 1 of 2 in T4+ = 50 %, the minimum exactly: met.
    expect(lignes('ETAT')).toEqual([
      ['Part des logements attribués en QPV', '60,0 %', '50,0 % (1 sur 2)', 'Sous le minimum'],
      ['Part des logements attribués en T4 et plus', '50,0 %', '50,0 % (1 sur 2)', 'Atteint'],
    ]);
    // AL: 1 of 1 hors QPV = 100 %; 0 of 1 in T1–T2 = 0 % < 20 %.
    expect(lignes('AL')).toEqual([
      ['Part des logements attribués hors QPV', '100,0 %', '100,0 % (1 sur 1)', 'Atteint'],
      ['Part des logements attribués en T1–T2', '20,0 %', '0,0 % (0 sur 1)', 'Sous le minimum'],
    ]);
    // COM: its one dwelling allocated (L6) is outside QPV: 0 % < 50 % (the flux page, which counts the flow, has none).
    expect(lignes('COM')).toEqual([['Part des logements attribués en QPV', '50,0 %', '0,0 % (0 sur 1)', 'Sous le minimum']]);
    expect(lignes('Non réservé')).toEqual([]);

    const [docx] = await ecrireBilansFlux(store, { annee: 2024, bailleur: 'B1', format: 'docx', dossier: join(dossier, 'docx') });
    const xml = espaces(await (await JSZip.loadAsync(readFileSync(docx as string))).file('word/document.xml')?.async('string'));
    expect(xml.match(/Équilibre fixé par la convention/g)).toHaveLength(3);
    expect(xml).toContain('0,0 % (0 sur 1)');
  });
});
