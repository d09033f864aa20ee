import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store, exportDataset, importDataset } from '../src/index.ts';
import { MINI, copyOfMini, tempDir } from './helpers.ts';

const MAPPING = fileURLToPath(new URL('../../../mappings/sne-exemple.yaml', import.meta.url));
const SNE = fileURLToPath(new URL('./fixtures/sne/extraction_sne_2024-12-31.csv', import.meta.url));

/** Data lines of a CSV, counted by hand: lines after the header that are not blank. */
const dataLines = (path: string) => readFileSync(path, 'utf8').split(/\r?\n/).slice(1).filter((l) => l.trim() !== '').length;

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

const count = async (table: string) => (await store.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${table}`))[0]?.n;
/** A fingerprint of a table's content, in plain SQL, to prove it was not touched. */
const fingerprint = async (table: string) =>
  (await store.all<{ h: string }>(`SELECT md5(coalesce(string_agg(t::VARCHAR, '|' ORDER BY t::VARCHAR), '')) AS h FROM ${table} t`))[0]?.h;

describe('import d’un jeu de données valide', () => {
  it('charge chaque fichier avec autant de lignes que le CSV', async () => {
    const report = await importDataset(store, [MINI]);
    expect(report.statut).toBe('reussi');
    for (const file of readdirSync(MINI).filter((f) => f.endsWith('.csv'))) {
      expect(await count(file.replace('.csv', '')), file).toBe(dataLines(join(MINI, file)));
    }
  });

  it('type les valeurs : dates françaises, décimales à virgule, booléens, zéros en tête', async () => {
    await importDataset(store, [MINI]);
    const rows = await store.all<{ nur: string; d: string; loyer: string; mutation: boolean; dalo: boolean }>(
      `SELECT nur, date_depot::VARCHAR AS d, loyer_actuel::VARCHAR AS loyer, mutation, dalo FROM demandes ORDER BY nur`,
    );
    expect(rows[1]).toEqual({ nur: '0912023000002', d: '2022-06-01', loyer: '390.50', mutation: true, dalo: true });
    expect(rows[2]?.d).toBe('2021-03-15');
  });

  it('conserve les colonnes hors format comme attributs libres et le signale', async () => {
    const report = await importDataset(store, [MINI]);
    const [row] = await store.all<{ p: string }>(`SELECT attributs['profession'] AS p FROM demandes WHERE nur = '0912023000001'`);
    expect(row?.p).toBe('aide-soignante');
    expect(report.avertissements.some((w) => w.fichier === 'demandes.csv' && w.colonne === 'profession')).toBe(true);
  });

  it('garde le rapport d’import et la configuration de la CIA dans la base', async () => {
    const report = await importDataset(store, [MINI]);
    const imports = await store.all<{ id: number; statut: string; rapport: string }>(`SELECT id, statut, rapport::VARCHAR AS rapport FROM imports`);
    expect(imports).toHaveLength(1);
    expect(imports[0]?.id).toBe(report.importId);
    expect(JSON.parse(imports[0]?.rapport ?? '{}').fichiers).toHaveLength(10);
    const [config] = await store.all<{ c: string }>(`SELECT contenu::VARCHAR AS c FROM configuration ORDER BY version DESC LIMIT 1`);
    expect(JSON.parse(config?.c ?? '{}').cibles.qpv_hors_q1).toBe(0.81);
  });

  it('signale le drapeau q1 du fichier quand il contredit le calcul (seuil inclus)', async () => {
    const dir = copyOfMini(tmp.dir);
    const demandes = join(dir, 'demandes.csv');
    // Seuil 2024 : 11 379 €/UC. Une personne seule à 948,25 €/mois a 948,25 × 12 = 11 379 € : exactement au seuil, donc Q1.
    writeFileSync(
      demandes,
      `${readFileSync(demandes, 'utf8')}0912024000010;2024-01-10;active;;91228;30;1;0;personne_seule;948.25;1;2;91228;0;;heberge_famille;;sans_logement;0;0;;0;0;0;0;0;1;\n` +
        `0912024000011;2024-01-10;active;;91228;30;1;0;personne_seule;948.25;1;2;91228;0;;heberge_famille;;sans_logement;0;0;;0;0;0;0;0;0;\n`,
    );
    const report = await importDataset(store, [dir]);
    const q1 = report.avertissements.filter((w) => w.colonne === 'q1').map((w) => w.ligne);
    // Ligne 2 : 1 500 € pour 3 personnes dont 1 enfant, UC = 1 + 0,5 + 0,3 = 1,8 ; 1 500 × 12 ÷ 1,8 = 10 000 ≤ 11 379 → Q1, le fichier dit 0.
    // Ligne 7 : au seuil exactement, le fichier dit 0. La ligne 6 (au seuil, le fichier dit 1) est cohérente.
    expect(q1).toEqual([2, 7]);
  });

  it('lit un CSV Windows-1252 à virgules, avec BOM absent, et un autre en UTF-8 avec BOM', async () => {
    const dir = copyOfMini(tmp.dir);
    const communes = readFileSync(join(dir, 'communes.csv'), 'utf8').replaceAll(';', ',');
    writeFileSync(join(dir, 'communes.csv'), Buffer.from(communes, 'latin1'));
    writeFileSync(join(dir, 'bailleurs.csv'), `\uFEFF${readFileSync(join(dir, 'bailleurs.csv'), 'utf8')}`);
    const report = await importDataset(store, [dir]);
    expect(report.fichiers.find((f) => f.table === 'communes')).toMatchObject({ encodage: 'windows-1252', separateur: 'virgule' });
    expect(report.fichiers.find((f) => f.table === 'bailleurs')?.encodage).toBe('utf-8-bom');
    const [evry] = await store.all<{ nom: string }>(`SELECT nom FROM communes WHERE code_insee = '91228'`);
    expect(evry?.nom).toBe('Évry-Courcouronnes');
    expect(await store.all(`SELECT id FROM bailleurs ORDER BY id`)).toEqual([{ id: 'B1' }, { id: 'B2' }]);
  });

  it('lit un classeur XLSX (dates en cellules date)', async () => {
    const dir = copyOfMini(tmp.dir);
    const lines = readFileSync(join(dir, 'seuils.csv'), 'utf8').trim().split('\n');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('seuils');
    ws.addRow((lines[0] ?? '').split(';'));
    ws.addRow([2023, null, 11000, 'arrêté du 8 mars 2023']);
    ws.addRow([2024, null, 11379.5, 'arrêté du 11 mars 2024']);
    const path = join(tmp.dir, 'seuils.xlsx');
    await wb.xlsx.writeFile(path);
    await importDataset(store, [MINI]);
    await importDataset(store, [path]);
    expect(await store.all(`SELECT annee, seuil_q1::VARCHAR AS s FROM seuils ORDER BY annee`)).toEqual([
      { annee: 2023, s: '11000.00' },
      { annee: 2024, s: '11379.50' },
    ]);
  });

  it('XLSX : identifiants saisis en nombres relus en texte (zéros du format gardés, ni « .0 » ni exposant)', async () => {
    await importDataset(store, [MINI]);
    const header = readFileSync(join(MINI, 'communes.csv'), 'utf8').split('\n')[0] ?? '';
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('communes');
    ws.addRow(header.split(';'));
    ws.addRow([91228, 'Évry-Courcouronnes', 200059228, 'CA Grand Paris Sud', 'a', 1]);
    ws.addRow([91174, 'Corbeil-Essonnes', 200059228, 'CA Grand Paris Sud', 'a', 1]);
    ws.addRow([91286, 'Grigny', 200059228, 'CA Grand Paris Sud', 'a', 1]);
    ws.addRow([1004, 'Ambérieu-en-Bugey', 200059228, 'CA Grand Paris Sud', 'b2', 3]);
    ws.getCell('A5').numFmt = '00000';
    const path = join(tmp.dir, 'communes.xlsx');
    await wb.xlsx.writeFile(path);
    await importDataset(store, [path]);
    expect(await store.all(`SELECT code_insee, code_epci, zone_apl FROM communes ORDER BY code_insee`)).toEqual([
      { code_insee: '01004', code_epci: '200059228', zone_apl: '3' },
      { code_insee: '91174', code_epci: '200059228', zone_apl: '1' },
      { code_insee: '91228', code_epci: '200059228', zone_apl: '1' },
      { code_insee: '91286', code_epci: '200059228', zone_apl: '1' },
    ]);
  });

  it('lit les milliers sans ambiguïté (espaces, espaces insécables, points avec virgule décimale et inversement)', async () => {
    const dir = copyOfMini(tmp.dir);
    const path = join(dir, 'demandes.csv');
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    const header = (lines[0] ?? '').split(';');
    const col = header.indexOf('ressources_mensuelles');
    const values = ['1 500', '12\u00A0345,67', '1.500,50', '1,500.25'];
    const out = lines.map((l, i) => (i === 0 ? l : l.split(';').map((c, j) => (j === col ? (values[i - 1] ?? c) : c)).join(';')));
    writeFileSync(path, `${out.join('\n')}\n`);
    const loyers = join(dir, 'logements.csv');
    writeFileSync(loyers, readFileSync(loyers, 'utf8').replace(';420.3;', ';0,500;').replace(';480;', ';1 000.5;'));
    await importDataset(store, [dir]);
    expect(await store.all(`SELECT nur, ressources_mensuelles::VARCHAR AS r FROM demandes ORDER BY nur`)).toEqual([
      { nur: '0912023000001', r: '1500.00' },
      { nur: '0912023000002', r: '12345.67' },
      { nur: '0912023000003', r: '1500.50' },
      { nur: '0912023000004', r: '1500.25' },
    ]);
    expect(await store.all(`SELECT id, loyer::VARCHAR AS loyer FROM logements WHERE id IN ('L1', 'L4') ORDER BY id`)).toEqual([
      { id: 'L1', loyer: '0.50' },
      { id: 'L4', loyer: '1000.50' },
    ]);
  });

  it('accepte un QPV cité avec une autre commune du même département, en avertissant', async () => {
    const dir = copyOfMini(tmp.dir);
    writeFileSync(join(dir, 'logements.csv'), readFileSync(join(dir, 'logements.csv'), 'utf8').replace('L4;R2;B2;91174;;', 'L4;R2;B2;91174;QN09102M;'));
    const report = await importDataset(store, [dir]);
    expect(await store.all(`SELECT id, code_insee, code_qpv FROM logements WHERE code_qpv = 'QN09102M'`)).toEqual([{ id: 'L4', code_insee: '91174', code_qpv: 'QN09102M' }]);
    expect(report.avertissements.find((w) => w.fichier === 'logements.csv' && w.colonne === 'code_qpv')).toMatchObject({ ligne: 5, valeur: 'QN09102M' });
  });

  it('un réimport remplace les lignes de ce fichier sans toucher aux autres', async () => {
    await importDataset(store, [MINI]);
    const before = { logements: await fingerprint('logements'), attributions: await fingerprint('attributions') };
    const dir = copyOfMini(tmp.dir);
    const demandes = join(dir, 'demandes.csv');
    writeFileSync(demandes, `${readFileSync(demandes, 'utf8')}0912024000009;2024-09-01;active;;91228;22;1;0;personne_seule;1100;1;2;91228;0;;heberge_famille;;sans_logement;0;0;;0;1;0;0;0;0;\n`);
    await importDataset(store, [demandes]);
    expect(await count('demandes')).toBe(5);
    expect(await fingerprint('logements')).toBe(before.logements);
    expect(await fingerprint('attributions')).toBe(before.attributions);
    expect(await count('imports')).toBe(2);
  });

  it('applique un fichier de correspondance (en-têtes et codes d’une extraction SNE)', async () => {
    await importDataset(store, [MINI]);
    const report = await importDataset(store, [SNE], { correspondance: MAPPING });
    expect(report.fichiers[0]).toMatchObject({ table: 'demandes', lignesChargees: 4, separateur: 'virgule', colonnesLibres: ["Guichet d'enregistrement"] });
    const rows = await store.all(
      `SELECT nur, statut, composition, logement_actuel, mutation, ressources_mensuelles::VARCHAR AS r, attributs['Guichet d''enregistrement'] AS guichet FROM demandes ORDER BY nur LIMIT 2`,
    );
    expect(rows).toEqual([
      { nur: '0912023000001', statut: 'attribuee', composition: 'monoparentale', logement_actuel: 'heberge_tiers', mutation: false, r: '1500.00', guichet: "Mairie d'Évry" },
      { nur: '0912023000002', statut: 'active', composition: 'personne_seule', logement_actuel: 'locataire_social', mutation: true, r: '800.00', guichet: 'Bailleur' },
    ]);
  });

  it('aller-retour : export puis réimport puis export redonne les mêmes fichiers', async () => {
    await importDataset(store, [MINI]);
    const first = join(tmp.dir, 'export1');
    await exportDataset(store, first);
    const other = await Store.open(':memory:');
    try {
      await importDataset(other, [first]);
      const second = join(tmp.dir, 'export2');
      await exportDataset(other, second);
      for (const file of readdirSync(first)) expect(readFileSync(join(second, file), 'utf8'), file).toBe(readFileSync(join(first, file), 'utf8'));
    } finally {
      other.close();
    }
    // The export is the canonical form of the input: same rows, dates and decimals normalised.
    const demandes = readFileSync(join(first, 'demandes.csv'), 'utf8');
    expect(demandes).toContain('0912023000003;2021-03-15;attribuee');
    expect(demandes).toContain(';390.5;');
  });
});
