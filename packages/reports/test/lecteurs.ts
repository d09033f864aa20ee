import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';

/**
 * Independent readers of the three outputs, written apart from the renderers: the Word XML read from the zip
 * with regular expressions, the workbook read back by exceljs, the PDF turned into text by poppler's pdftotext.
 */

export const PDFTOTEXT = '/usr/bin/pdftotext';

/** Spaces as a reader types them: no-break and narrow no-break spaces become plain spaces, runs collapse. */
export const normaliser = (s: string): string => s.replace(/[\u00a0\u202f]/g, ' ').replace(/[ \t]+/g, ' ');

const decoder = (s: string) =>
  s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&#39;/g, "'").replace(/&amp;/g, '&');

const texteXml = (xml: string): string => [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => decoder(m[1] ?? '')).join('');

export interface TableauWord {
  /** The paragraph just before the table (its caption, « Tableau n : … »). */
  readonly legende: string;
  readonly lignes: readonly (readonly string[])[];
}

export interface DocumentWord {
  readonly xml: string;
  readonly paragraphes: readonly string[];
  readonly tableaux: readonly TableauWord[];
  /** Files under word/media/ (the charts). */
  readonly medias: readonly string[];
  /** Alternative texts of the images (wp:docPr descr). */
  readonly descriptions: readonly string[];
}

export async function lireDocx(chemin: string): Promise<DocumentWord> {
  const zip = await JSZip.loadAsync(readFileSync(chemin));
  const fichier = zip.file('word/document.xml');
  if (!fichier) throw new Error('word/document.xml absent du fichier Word');
  const xml = await fichier.async('string');
  const corps = xml.slice(xml.indexOf('<w:body>'));
  const paragraphes: string[] = [];
  const tableaux: TableauWord[] = [];
  let dernier = '';
  for (const m of corps.matchAll(/<w:tbl>[\s\S]*?<\/w:tbl>|<w:p\b[^>]*?(?:\/>|>[\s\S]*?<\/w:p>)/g)) {
    const bloc = m[0];
    if (bloc.startsWith('<w:tbl>')) {
      const lignes = [...bloc.matchAll(/<w:tr\b[^>]*>([\s\S]*?)<\/w:tr>/g)].map((tr) => [...(tr[1] ?? '').matchAll(/<w:tc>([\s\S]*?)<\/w:tc>/g)].map((tc) => texteXml(tc[1] ?? '')));
      tableaux.push({ legende: dernier, lignes });
    } else {
      dernier = texteXml(bloc);
      paragraphes.push(dernier);
    }
  }
  const medias = Object.keys(zip.files).filter((f) => f.startsWith('word/media/'));
  const descriptions = [...xml.matchAll(/<wp:docPr\b[^>]*\bdescr="([^"]*)"/g)].map((d) => decoder(d[1] ?? ''));
  return { xml, paragraphes, tableaux, medias, descriptions };
}

/** The Word table whose caption starts with the text (e.g. « Tableau 1 : »). */
export function tableauWord(doc: DocumentWord, debutLegende: string): TableauWord {
  // Without « Tableau n : », the title alone: numbers move when a table is added before.
  const legende = (x: TableauWord) => (debutLegende.startsWith('Tableau ') ? normaliser(x.legende) : normaliser(x.legende).replace(/^Tableau \d+ : /, ''));
  const t = doc.tableaux.find((x) => legende(x).startsWith(debutLegende));
  if (!t) throw new Error(`tableau introuvable dans le Word : ${debutLegende}`);
  return t;
}

export async function lireXlsx(chemin: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(chemin);
  return wb;
}

/** The values of a sheet, row by row (1-based rows kept as array indices − 1), formulas and rich text flattened. */
export function valeursFeuille(ws: ExcelJS.Worksheet): (string | number | null)[][] {
  const out: (string | number | null)[][] = [];
  ws.eachRow({ includeEmpty: true }, (row, n) => {
    const cells: (string | number | null)[] = [];
    row.eachCell({ includeEmpty: true }, (cell, c) => {
      const v = cell.value;
      cells[c - 1] =
        v === null || v === undefined
          ? null
          : typeof v === 'number' || typeof v === 'string'
            ? v
            : typeof v === 'object' && 'text' in v
              ? String(v.text)
              : typeof v === 'boolean'
                ? String(v)
                : String(v);
    });
    out[n - 1] = cells;
  });
  return out;
}

export function lirePdf(chemin: string): string {
  return normaliser(execFileSync(PDFTOTEXT, ['-layout', chemin, '-'], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 }));
}

export const pdftotextAbsent = !existsSync(PDFTOTEXT);
