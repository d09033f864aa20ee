import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from './helpers.ts';
import { login, openProductionApp, openTestApp } from './helpers.ts';

/** GET /api/bilan/{annee}/{format}: the bilan of the mini territory, read back with an independent reader (exceljs). */
describe('bilan annuel par l’API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp();
  });
  afterAll(() => t.close());

  it('refuse une année ou un format invalides', async () => {
    expect((await t.request('/api/bilan/2024/odt')).status).toBe(400);
    expect((await t.request('/api/bilan/deux-mille/pdf')).status).toBe(400);
  });

  it('produit les trois fichiers ; le classeur porte l’indicateur hors QPV calculé à la main', async () => {
    const pdf = await t.request('/api/bilan/2024/pdf');
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-disposition')).toContain('bilan-2024-public.pdf');
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    const docx = await t.request('/api/bilan/2024/docx');
    expect(Buffer.from(await docx.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
    const xlsx = await t.request('/api/bilan/2024/xlsx');
    expect(xlsx.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await xlsx.arrayBuffer());
    const values = wb.worksheets.flatMap((ws) => {
      const rows: string[] = [];
      ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map(String).join(';')));
      return rows;
    });
    // Mini territory, 2024: one lease outside QPV (A2, a relocated household) → 1 out of 1. With 1 household the
    // secrecy threshold (11) masks the counts in a published table, so the row is there with « s ».
    expect(values.some((line) => line.includes('hors_qpv_q1') && line.includes('territoire') && line.includes('2024'))).toBe(true);
  });
});

/** Issue 12: two editions; the lecteur only gets the public one, every partner account both. */
describe('éditions du bilan selon le rôle', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openProductionApp();
  });
  afterAll(() => t.close());

  it('refuse une édition inconnue', async () => {
    const epci = await login(t.mixite.app, 'epci@mixite.test');
    expect((await epci.request('/api/bilan/2024/xlsx?edition=confidentielle')).status).toBe(400);
  });

  it('le lecteur reçoit l’édition publique, pas l’édition partenaires', async () => {
    const lecteur = await login(t.mixite.app, 'lecteur@mixite.test');
    const publique = await lecteur.request('/api/bilan/2024/xlsx');
    expect(publique.status).toBe(200);
    expect(publique.headers.get('content-disposition')).toContain('bilan-2024-public.xlsx');
    expect((await lecteur.request('/api/bilan/2024/xlsx?edition=partenaires')).status).toBe(403);
  });

  it('un bailleur reçoit l’édition partenaires, marquée et sans secret', async () => {
    const bailleur = await login(t.mixite.app, 'b1@mixite.test');
    const reponse = await bailleur.request('/api/bilan/2024/xlsx?edition=partenaires');
    expect(reponse.status).toBe(200);
    expect(reponse.headers.get('content-disposition')).toContain('bilan-2024-partenaires.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await reponse.arrayBuffer());
    const lignes = wb.worksheets.flatMap((ws) => {
      const rows: string[] = [];
      ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map(String).join(';')));
      return rows;
    });
    expect(lignes.some((l) => l.includes('Diffusion restreinte aux membres de la CIL'))).toBe(true);
    // The mini territory's one lease outside QPV in 2024 (A2, relocated): 1 of 1, printed in this edition.
    expect(lignes.some((l) => /^hors_qpv_q1;territoire;territoire;2024;1;1;/.test(l))).toBe(true);
  });
});
