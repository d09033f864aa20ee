import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseGrille } from '@mixite/core';
import { Store, cotationDe, importDataset } from '@mixite/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lettrePdf } from '../src/lettre/lettre.ts';
import { lirePdf, pdftotextAbsent } from './lecteurs.ts';

/**
 * The applicant's letter (issue 15 item 5, L441-2-8 CCH), typeset to PDF and read back with pdftotext, over the
 * hand-built territory of packages/data/test/fixtures/refus/territoire with the shipped grid « Équilibre CIA ».
 * Date of the data 10/01/2025; D01 is one of the 8 active requests, all similar (no typology, no commune); the
 * similar requests satisfied in the twelve months to that day waited 800, 903, 912, 1 056 and 1 075 days (filed
 * 10/01/2022, radiated 20/03, 01/07, 10/07, 01/12 and 20/12/2024): mean 949 days = 31,2 months.
 */
const TERRITOIRE = fileURLToPath(new URL('../../data/test/fixtures/refus/territoire', import.meta.url));
const GRILLE = fileURLToPath(new URL('../../../grilles/equilibre-cia.yaml', import.meta.url));
const SKIP = pdftotextAbsent && !process.env['CI'];

let store: Store;
let dir: string;
beforeAll(async () => {
  store = await Store.open(':memory:');
  await importDataset(store, [TERRITOIRE]);
  dir = mkdtempSync(join(tmpdir(), 'mixite-lettre-'));
});
afterAll(() => {
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(SKIP)('the applicant’s letter', () => {
  it('tells the note line by line, the positioning, the similar requests and the average waiting time, in plain French', async () => {
    const grille = parseGrille(readFileSync(GRILLE, 'utf8'), 'equilibre-cia.yaml');
    const e = await cotationDe(store, grille, 'D01');
    expect(e).not.toBeNull();
    if (!e) return;
    const pdf = await lettrePdf({ nur: 'D01', date: e.date, grille: { nom: grille.nom, version: grille.version }, emetteur: 'Communauté d’agglomération de test', cotation: e }, new Date(Date.UTC(2025, 0, 15)));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const chemin = join(dir, 'lettre.pdf');
    writeFileSync(chemin, pdf);
    const texte = lirePdf(chemin).replace(/\s+/g, ' ');
    expect(texte).toContain('Votre demande de logement social : sa cotation');
    expect(texte).toContain('Demande n° D01');
    expect(texte).toContain('Au 10 janvier 2025, votre demande a obtenu la note de');
    expect(texte).toContain('« Équilibre CIA » (version 1)');
    // Every line of the explanation is printed.
    for (const l of e.lignes) expect(texte).toContain(l.libelle);
    expect(texte).toContain('sur 8 demandes similaires');
    expect(texte).toContain('le même nombre de pièces minimal souhaité (inconnue) et la même première commune souhaitée (inconnue)');
    expect(texte).toContain('Délai moyen d’attente des demandes similaires : 31,2 mois (949 jours), moyenne des 5 demandes similaires satisfaites dans les douze derniers mois.');
    expect(texte).toContain('L441-2-8');
  }, 120_000);
});
