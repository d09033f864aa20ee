import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentBilan, Ligne } from '../src/contenu/modele.ts';
import { nombre, texte } from '../src/contenu/modele.ts';
import { OutilAbsentError } from '@mixite/core';
import { imprimerPdf } from '../src/rendu/pdf.ts';
import { chargerNatif } from '../src/rendu/raster.ts';
import { lirePdf, pdftotextAbsent } from './lecteurs.ts';
import { lireStructurePdf } from './structure-pdf.ts';

/**
 * The PDF renderer on a document built by hand: text that would be markup or code in Typst comes out as written, a
 * long table repeats its header on every page, an orientation block turns the pages, and the date of production is
 * the PDF's own. Read back with pdftotext and pdfinfo (poppler), and the offline tag reader.
 */

const SKIP = pdftotextAbsent && !process.env.CI;
const PIEGE = 'Saint-Denis "#set page(width: 1cm)" \\ *gras* _souligné_ $x$ <a> @ref [crochets] // pas un commentaire';

// 120 rows of one count each: more than one A4 page at 8 pt.
const lignes: Ligne[] = Array.from({ length: 120 }, (_, i) => ({ cellules: [texte(`Commune ${i + 1}`), nombre(i + 1)] }));

const DOCUMENT: DocumentBilan = {
  annee: 2024,
  titre: 'Bilan 2024 d’essai',
  sousTitre: PIEGE,
  mentions: ['Mention « une »'],
  blocs: [
    { kind: 'titre', niveau: 1, texte: 'Premier chapitre' },
    { kind: 'paragraphe', texte: PIEGE },
    { kind: 'tableau', id: 'long', numero: 1, titre: 'Une longue liste', colonnes: ['Commune', 'Baux signés'], lignes, notes: ['Source : essai.'] },
    { kind: 'orientation', paysage: true },
    { kind: 'titre', niveau: 1, texte: 'Chapitre en paysage' },
    { kind: 'liste', items: [{ texte: 'premier point' }, { texte: 'second point', niveau: 'alerte' }] },
  ],
};

describe.skipIf(SKIP)('PDF du bilan (Typst)', () => {
  let dir: string;
  let pdf: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mixite-rendu-pdf-'));
    pdf = join(dir, 'essai.pdf');
    writeFileSync(pdf, await imprimerPdf(DOCUMENT, 'Pied « essai »', new Date('2025-02-15T10:00:00Z')));
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the text as written, never as Typst markup or code', () => {
    // Lines joined: the title page's larger subtitle wraps.
    const t = lirePdf(pdf).replace(/\s+/g, ' ');
    // Twice: the subtitle on the title page and the paragraph.
    expect(t.split(PIEGE).length - 1).toBe(2);
  });

  it('repeats the table header on each page of a long table, and prints every row', () => {
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))?.[1]);
    const t = lirePdf(pdf);
    const entetes = t.split('\n').filter((l) => /^\s*Commune +Baux signés\s*$/.test(l)).length;
    // Title page, then the chapter: 120 rows need at least two pages, each with the header.
    expect(pages).toBeGreaterThanOrEqual(4);
    expect(entetes).toBeGreaterThanOrEqual(2);
    for (const n of [1, 60, 120]) expect(t).toMatch(new RegExp(`Commune ${n} +${n}\\n`));
    expect(t).toMatch(/Pied « essai » +page 1 sur \d+/);
  });

  it('turns the pages after an orientation block: the last page is A4 landscape', () => {
    const info = execFileSync('pdfinfo', ['-f', '1', '-l', '99', pdf], { encoding: 'utf8' });
    const tailles = [...info.matchAll(/Page +\d+ size: +([\d.]+) x ([\d.]+) pts/g)].map((m) => [Number(m[1]), Number(m[2])]);
    // A4 is 595.28 × 841.89 pt (210 × 297 mm at 72 pt per 25,4 mm).
    expect(tailles[0]?.map(Math.round)).toEqual([595, 842]);
    expect(tailles.at(-1)?.map(Math.round)).toEqual([842, 595]);
    expect(lirePdf(pdf)).toContain('Chapitre en paysage');
  });

  it('is tagged, in French, with the document’s title and its production date', () => {
    const s = lireStructurePdf(pdf);
    expect(s.balise).toBe(true);
    expect(new Set(s.langues)).toEqual(new Set(['fr-FR']));
    expect(s.titre).toBe('Bilan 2024 d’essai');
    expect(s.elements.get('H1')).toBeGreaterThanOrEqual(2);
    expect(s.elements.get('TH')).toBeGreaterThanOrEqual(2);
    expect(s.elements.get('L')).toBeGreaterThanOrEqual(1);
    expect(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' })).toMatch(/CreationDate: +Sat Feb 15 10:00:00 2025/);
  });
});

describe('binaire de rendu absent', () => {
  it('says in French which package has no binary for this machine, as an OutilAbsentError', async () => {
    // A module that does not exist stands for a native package npm installed without a binary for this platform.
    const echec = chargerNatif('@myriaddreamin/typst-ts-node-compiler', () => import('@mixite/paquet-inexistant' as string));
    await expect(echec).rejects.toBeInstanceOf(OutilAbsentError);
    await expect(echec).rejects.toThrow(
      `@myriaddreamin/typst-ts-node-compiler n’a pas de binaire pour cette machine (${process.platform}-${process.arch}) : relancez « npm install » sur elle`,
    );
  });
});
