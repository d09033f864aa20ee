/**
 * Pages of the bilan for the documentation (docs/bilan/): the bilan 2024 of the demo territory (Grand Paris Sud,
 * `mixite demo --echelle epci --graine 1`), PDF pages rendered by poppler's pdftoppm at 50 dpi, and the workbook's
 * synthesis sheet as read back by exceljs, drawn as a grid by Chromium. The Word document has no image: without
 * LibreOffice nothing here lays it out; it is the same document as the PDF (one model, two renderers).
 *
 *   npx tsx packages/reports/scripts/captures.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store, importDataset } from '@mixite/data';
import { generateDemo } from '@mixite/demo';
import ExcelJS from 'exceljs';
import { chromium } from 'playwright-core';
import { produireBilan } from '../src/index.ts';
import { echapperXml } from '../src/graphiques/svg.ts';

/** Chromium here only draws the workbook's grid for the documentation (the bilan itself needs no browser). */
const CHROMIUM = process.env.MIXITE_CHROMIUM ?? '/usr/bin/chromium';
const DOCS = new URL('../../../docs/bilan/', import.meta.url).pathname;
const travail = mkdtempSync(join(tmpdir(), 'mixite-captures-bilan-'));
try {
  mkdirSync(DOCS, { recursive: true });
  await generateDemo({ out: join(travail, 'demo'), echelle: 'epci', graine: 1 });
  const store = await Store.open(':memory:');
  await importDataset(store, [join(travail, 'demo')]);
  const fichiers = await produireBilan(store, { annee: 2024, out: travail, dateProduction: new Date('2025-02-15T10:00:00Z') });
  store.close();

  // The first page holding each marker, rendered at 50 dpi.
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [fichiers.pdf], { encoding: 'utf8' }))?.[1] ?? 0);
  const texteDe = (p: number) => execFileSync('pdftotext', ['-f', String(p), '-l', String(p), '-layout', fichiers.pdf, '-'], { encoding: 'utf8' });
  const captures: [string, string][] = [
    ['bilan-pdf-synthese', 'Synthèse et points d’attention'],
    ['bilan-pdf-demande', 'Tableau 8 : '],
    ['bilan-pdf-objectif', 'Baux hors QPV au 1er quartile ou relogés : évolution par année'],
    ['bilan-pdf-ventilation', 'par type de contingent, 2024'],
  ];
  for (const [nom, repere] of captures) {
    let page = 0;
    for (let p = 2; p <= pages && page === 0; p++) if (texteDe(p).replace(/\s+/g, ' ').includes(repere)) page = p;
    if (page === 0) throw new Error(`page introuvable : ${repere}`);
    execFileSync('pdftoppm', ['-r', '50', '-png', '-singlefile', '-f', String(page), '-l', String(page), fichiers.pdf, join(DOCS, nom)]);
    console.log(`${nom}.png : page ${page} sur ${pages}`);
  }

  // The synthesis sheet of the workbook, read back and drawn as a grid.
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(fichiers.xlsx);
  const ws = wb.worksheets.find((w) => w.name.startsWith('T01 '));
  if (!ws) throw new Error('feuille T01 absente du classeur');
  // Cells shown with their number formats, as a spreadsheet would (exceljs keeps the raw numbers).
  const nombre = (v: number, format: string | undefined) =>
    format?.includes('%')
      ? `${(v * 100).toLocaleString('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} %`
      : format?.includes(' pt')
        ? `${v > 0 ? '+' : ''}${v.toLocaleString('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} pt`
        : v.toLocaleString('fr-FR');
  const lignes: string[] = [];
  let fin = false;
  ws.eachRow({ includeEmpty: true }, (row, n) => {
    if (fin || (n > 3 && row.getCell(1).value === null)) {
      fin = true;
      return;
    }
    const cells: string[] = [];
    for (let c = 1; c <= 10; c++) {
      const cell = row.getCell(c);
      const v = cell.value;
      const gras = cell.font?.bold ? 'font-weight:bold;' : '';
      const droite = typeof v === 'number' || v === 's' ? 'text-align:right;' : '';
      const texte = v === null || v === undefined ? '' : typeof v === 'number' ? nombre(v, cell.numFmt) : cell.text;
      cells.push(`<td style="${gras}${droite}">${echapperXml(texte)}</td>`);
    }
    lignes.push(`<tr>${cells.join('')}</tr>`);
  });
  const html = `<!doctype html><html><body style="margin:0;font:11px 'Liberation Sans',Arial,sans-serif">
<div style="background:#f1f3f5;padding:4px 8px;border-bottom:1px solid #adb5bd">bilan-2024.xlsx · feuille « ${echapperXml(ws.name)} » (relue par exceljs)</div>
<table style="border-collapse:collapse">${lignes.join('')}</table></body></html>`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  try {
    const page = await browser.newPage({ viewport: { width: 980, height: 210 } });
    await page.setContent(html.replace('<table', '<style>td{border:1px solid #dee2e6;padding:2px 5px;white-space:nowrap}</style><table'));
    await page.screenshot({ path: join(DOCS, 'bilan-xlsx-synthese.png') });
    console.log('bilan-xlsx-synthese.png');
  } finally {
    await browser.close();
  }
} finally {
  rmSync(travail, { recursive: true, force: true });
}
