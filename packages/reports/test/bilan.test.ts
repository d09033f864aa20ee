import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PublishedIndicatorRow } from '@mixite/core';
import { LEGAL_INDICATORS, LEGAL_INDICATOR_IDS, indicateursCsv } from '@mixite/core';
import { Store, anneesDuSecret, calculerIndicateurs, importDataset, publierLesAnnees } from '@mixite/data';
import type ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FichiersBilan } from '../src/index.ts';
import { FEUILLE_ATTENTION, FEUILLE_INDICATEURS, produireBilan } from '../src/index.ts';
import type { DocumentWord } from './lecteurs.ts';
import { lireDocx, lirePdf, lireXlsx, normaliser, pdftotextAbsent, tableauWord, valeursFeuille } from './lecteurs.ts';
import { recuperables } from './secret-independant.ts';

/**
 * The bilan of the hand-built territory (test/fixtures/territoire, figures computed by hand in its README),
 * produced once and read back with independent readers: the Word XML from the zip, exceljs, pdftotext.
 * Secrecy at 3 households: counts of 1 and 2 are masked.
 */

const FIXTURE = new URL('./fixtures/territoire', import.meta.url).pathname;
const SKIP_PDF = pdftotextAbsent && !process.env.CI;
if (SKIP_PDF) console.warn('Lecture du PDF ignorée : pdftotext est absent (apt-get install -y poppler-utils). En CI (CI=true) elle s’exécute toujours.');

/** Word and PDF cells as a reader sees them (no-break spaces made plain). */
const ligne = (cells: readonly string[]) => cells.map(normaliser);

describe('bilan 2024 du territoire d’essai', () => {
  let dir: string;
  let store: Store;
  let fichiers: FichiersBilan;
  let word: DocumentWord;
  let classeur: ExcelJS.Workbook;
  let publies2024: PublishedIndicatorRow[];
  const etapes: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mixite-bilan-'));
    store = await Store.open(':memory:');
    await importDataset(store, [FIXTURE]);
    fichiers = await produireBilan(store, { annee: 2024, out: dir, dateProduction: new Date('2025-02-15T10:00:00Z'), onProgress: (p) => etapes.push(p.etape) });
    // As `mixite indicateurs --secret` publishes it (issue 12): masked together with every year of the store.
    const tous = [];
    for (const a of await anneesDuSecret(store, 2024)) tous.push(await calculerIndicateurs(store, { annee: a }));
    publies2024 = publierLesAnnees(tous).get(2024) ?? [];
    word = await lireDocx(fichiers.docx);
    classeur = await lireXlsx(fichiers.xlsx);
  });

  afterAll(() => {
    store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes the three files, named after the year, and reports its progress', () => {
    expect(fichiers).toEqual({ docx: join(dir, 'bilan-2024-public.docx'), pdf: join(dir, 'bilan-2024-public.pdf'), xlsx: join(dir, 'bilan-2024-public.xlsx') });
    for (const f of Object.values(fichiers)) expect(statSync(f).size).toBeGreaterThan(1000);
    expect(readFileSync(fichiers.pdf).subarray(0, 5).toString()).toBe('%PDF-');
    expect(etapes).toContain('Calcul des indicateurs 2024');
    expect(etapes).toContain('Calcul des indicateurs 2023');
    expect(etapes.at(-1)).toBe('Bilan produit');
  });

  describe('Word', () => {
    it('has the chapters of a CIL document, in order', () => {
      const chapitres = [
        'Synthèse et points d’attention',
        'Territoire et sources',
        'La demande de logement social',
        'Les attributions',
        'Les objectifs d’attribution',
        'Les objectifs par réservataire, bailleur, commune et QPV',
        'Annexe méthodologique',
      ];
      const positions = chapitres.map((c) => word.paragraphes.indexOf(c));
      expect(positions.every((p) => p >= 0)).toBe(true);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    });

    it('gives the targets of the year with numerators and denominators (synthesis)', () => {
      const t = tableauWord(word, 'Tableau 1 : Objectifs d’attribution du territoire en 2024');
      expect(ligne(t.lignes[0] ?? [])).toEqual(['Objectif', 'Numérateur', 'Dénominateur', 'Taux', 'Cible', 'Écart', 'Atteint', 'Taux 2023', 'Évolution']);
      // 8 of 24 leases hors QPV: ETAT 4 + non réservé B2 1 + CA 3 (relocated + 2 Q1); 2023: 3 of 12.
      expect(ligne(t.lignes[1] ?? [])).toEqual(['Baux hors QPV au 1er quartile ou relogés', '8', '24', '33,3 %', '25,0 %', '+8,3 pt', 'oui', '25,0 %', '+8,3 pt']);
      // 7 of 10 QPV proposals to households above the threshold (ETAT 2 + non réservé B1 5); no QPV proposal in 2023.
      expect(ligne(t.lignes[2] ?? [])).toEqual(['Propositions en QPV aux quartiles 2 à 4', '7', '10', '70,0 %', '60,0 %', '+10,0 pt', 'oui', '–', '–']);
      // 9 priority households among 34 proposals (ETAT 6, AL 1, CA 2); no target on the territory; 2023: 7 of 12.
      expect(ligne(t.lignes[4] ?? [])).toEqual(['Propositions aux ménages prioritaires', '9', '34', '26,5 %', '–', '–', '–', '58,3 %', '−31,9 pt']);
    });

    it('gives the year, the semesters and the rolling twelve months of each target', () => {
      const t = tableauWord(word, 'Baux hors QPV au 1er quartile ou relogés : année 2024, semestres');
      expect(t.lignes.slice(1).map(ligne)).toEqual([
        ['Année 2024', '8', '24', '33,3 %', '25,0 %', '+8,3 pt', 'oui'],
        // Issue 12, leak (a): H2 2023 has 1 Q1 lease of 6 (masked, threshold 3), and the twelve months to 30/06/2024
        // (5) minus H1 2024 (4) would give it back: the semesters' numerators (4 and 4; 8 − 4) are masked.
        ['1er semestre 2024', 's', '12', 's', '25,0 %', 's', 's'],
        ['2d semestre 2024', 's', '12', 's', '25,0 %', 's', 's'],
        // H2 2023 (1 Q1 of 6) + H1 2024 (4 of 12).
        ['12 mois au 30/06/2024', '5', '18', '27,8 %', '25,0 %', '+2,8 pt', 'oui'],
        ['12 mois au 31/12/2024', '8', '24', '33,3 %', '25,0 %', '+8,3 pt', 'oui'],
      ]);
    });

    it('breaks every target down by commune, with the territorialised target and the rate met at equality', () => {
      const t = word.tableaux.find((x) => normaliser(x.legende).includes('Baux hors QPV au 1er quartile ou relogés, par commune, 2024'));
      expect(t).toBeDefined();
      const lignes = (t?.lignes ?? []).map(ligne);
      expect(lignes[0]?.slice(0, 8)).toEqual(['Commune', 'Baux Q1 ou relogés', 'Baux hors QPV', 'Taux', 'Cible', 'Écart', 'Atteint', 'Taux S1']);
      // Bourg-Bas: 5 of 12 for its own 30 % target (missed in 2023: 3 of 12); Val-Haut: 3 of 12 = 25 %, met at equality.
      expect(lignes.find((l) => l[0] === 'Bourg-Bas (95002)')?.slice(0, 7)).toEqual(['Bourg-Bas (95002)', '5', '12', '41,7 %', '30,0 %', '+11,7 pt', 'oui']);
      expect(lignes.find((l) => l[0] === 'Val-Haut (95001)')?.slice(0, 7)).toEqual(['Val-Haut (95001)', '3', '12', '25,0 %', '25,0 %', '0,0 pt', 'oui']);
      expect(lignes.at(-1)?.slice(0, 3)).toEqual(['Ensemble du territoire', '8', '24']);
    });

    it('masks the small cells of the breakdowns, and their partners', () => {
      const t = word.tableaux.find((x) => normaliser(x.legende).includes('Propositions en QPV aux quartiles 2 à 4, par contingent'));
      const lignes = (t?.lignes ?? []).map(ligne);
      // ETAT 2 of 4 (numerator 2 < 3) and non réservé B1 5 of 6 (complement 1): both masked, the total 7 of 10 published.
      expect(lignes.find((l) => l[0] === 'Préfet, contingent prioritaire')?.slice(1, 5)).toEqual(['État — publics prioritaires', 's', '4', 's']);
      expect(lignes.find((l) => l[0] === 'Non réservé, Habitat Public du Val')?.slice(1, 5)).toEqual(['Logements non réservés du bailleur', 's', '6', 's']);
      expect(lignes.at(-1)?.slice(2, 5)).toEqual(['7', '10', '70,0 %']);
    });

    it('describes the demand: stock, flows, mutations, quartiles against the published threshold, tension', () => {
      const evolution = tableauWord(word, 'Évolution de la demande').lignes.map(ligne);
      expect(evolution.slice(1, 8).map((l) => l.slice(0, 3))).toEqual([
        ['Demandes actives au 31 décembre', '47', '22'],
        ['dont demandes de mutation', '7', '6'],
        ['dont demandes de premier accès', '40', '16'],
        ['Part des mutations dans la demande', '14,9 %', '27,3 %'],
        ['Demandes déposées dans l’année', '44', '10'],
        ['Demandes satisfaites dans l’année', '12', '32'],
        ['Demandes radiées sans attribution', '0', '3'],
      ]);
      const limites = tableauWord(word, 'Limites des quartiles').lignes.map(ligne);
      // 47 requests active on 31/12/2023: 12 at 9 600 €, 32 at 24 000 €, 3 at 36 000 €.
      expect(limites.map((l) => l[2])).toEqual(['2024 (demande au 31/12/2023)', '16 800 €', '12 000 €', '−28,6 %', '24 000 €', '24 000 €']);
      const quartiles = tableauWord(word, 'Demande et baux signés par quartile').lignes.map(ligne);
      expect(quartiles[1]).toEqual(['1er quartile', '12', '25,5 %', '5', '22,7 %', '10', '31,3 %', '0,5']);
      const tension = tableauWord(word, 'Tension par typologie').lignes.map(ligne);
      // T1 2 requests (masked) takes T2 (8) with it; T4 2 leases (masked) takes T2 (12) with it.
      expect(tension.slice(1, 5)).toEqual([
        ['T1', 's', '0', '–'],
        ['T2', 's', 's', 's'],
        ['T3', '12', '18', '0,7'],
        ['T4', '0', 's', 's'],
      ]);
      expect(tension.at(-1)).toEqual(['Ensemble', '22', '32', '0,7']);
    });

    it('says where the data come from and which thresholds applied', () => {
      const sources = tableauWord(word, 'Fichiers source').lignes.map(ligne);
      expect(sources.find((l) => l[0] === 'demandes.csv')?.at(-1)).toBe('69');
      expect(sources.find((l) => l[0] === 'attributions.csv')?.at(-1)).toBe('46');
      const seuils = tableauWord(word, 'Seuils du premier quartile').lignes.map(ligne);
      expect(seuils[2]).toEqual(['2024', '12 000 €', 'arrêté d’essai 2024', '12 000 €', 'seuil publié']);
    });

    it('names who misses which target at the top, by households missing, and keeps the points of attention short', () => {
      // The State's priority contingent: 6 of 9 for 100 %, ⌈1 × 9⌉ − 6 = 3 missing; the non-reserved stocks at 0 %:
      // Habitat Public du Val 0 of 10, ⌈0,25 × 10⌉ − 0 = 3 missing; Logis Social 0 of 3, ⌈0,75⌉ − 0 = 1 missing.
      const retards = tableauWord(word, 'Propositions aux ménages prioritaires : contingents sous leur cible');
      expect(retards.lignes.slice(1).map((l) => ligne(l).slice(0, 6))).toEqual([
        ['Préfet, contingent prioritaire', '3', '6', '9', '66,7 %', '100,0 %'],
        ['Non réservé, Habitat Public du Val', '3', '0', '10', '0,0 %', '25,0 %'],
        ['Non réservé, Logis Social', '1', '0', '3', '0,0 %', '25,0 %'],
      ]);
      // A masked perimeter is never named among those missing their target.
      const cellules = retards.lignes.flat().join(' ');
      expect(cellules).not.toContain('Action Logement');
      expect(cellules).not.toContain('Ville de Val-Haut');
      const attention = (niveau: string) => tableauWord(word, niveau).lignes.slice(1).map((l) => ligne(l).join(' : '));
      expect(attention('Objectifs non atteints')).toContainEqual(expect.stringContaining('3 contingents sur 5 sous leur cible en 2024'));
      // What changed: Bourg-Bas met its 30 % in 2024 after 25 % in 2023.
      expect(attention('Pour information')).toContainEqual(expect.stringContaining('Bourg-Bas (95002) atteint sa cible en 2024 après l’avoir manquée en 2023'));
    });

    it('holds every chart as an image, with its caption naming its table and an alternative text', () => {
      const legendes = word.paragraphes.filter((p) => /^Graphique \d+ : /.test(p));
      expect(legendes.length).toBeGreaterThanOrEqual(10);
      // One drawing per caption; Word stores two identical pictures once (two charts whose bars the public edition
      // masks alike), so there may be fewer image files than drawings, never none.
      expect(word.descriptions).toHaveLength(legendes.length);
      const images = word.medias.filter((m) => m.endsWith('.png')).length;
      expect(images).toBeGreaterThanOrEqual(10);
      expect(images).toBeLessThanOrEqual(legendes.length);
      for (const l of legendes) {
        const numero = /\(source : tableau (\d+)\)$/.exec(l)?.[1];
        expect(numero, l).toBeDefined();
        expect(word.tableaux.some((t) => t.legende.startsWith(`Tableau ${numero} : `))).toBe(true);
      }
    });

    it('ends with the methodological annex generated from the indicator declarations', () => {
      const texte = word.paragraphes.join('\n') + word.tableaux.flatMap((t) => t.lignes.flat()).join('\n');
      for (const id of LEGAL_INDICATOR_IDS) {
        expect(texte).toContain(LEGAL_INDICATORS[id].definition);
        expect(texte).toContain(LEGAL_INDICATORS[id].sourceLegale);
      }
      expect(texte).toContain('effectifs de 1 à 2 ménages masqués');
    });
  });

  describe('Excel', () => {
    it('has the published long format of the year, as `mixite indicateurs --secret` writes it', () => {
      const ws = classeur.getWorksheet(FEUILLE_INDICATEURS);
      expect(ws).toBeDefined();
      const rows = valeursFeuille(ws as ExcelJS.Worksheet);
      const csv = indicateursCsv(publies2024, { secret: true }).trim().split('\n');
      expect(rows[0]?.slice(0, 11).join(',')).toBe(csv[0]);
      expect(rows.length).toBe(csv.length);
      const asCsv = (r: (string | number | null)[]) =>
        r
          .slice(0, 11)
          .map((v) => (v === null || v === undefined ? '' : typeof v === 'number' ? String(Math.round(v * 1e6) / 1e6) : v))
          .join(',');
      for (let i = 1; i < csv.length; i++) expect(asCsv(rows[i] ?? [])).toBe(csv[i]);
      // Hand figures: 8 / 24 on the territory; ETAT's QPV proposals masked (2 of 4), primary.
      const find = (ind: string, type: string, id: string, p: string) => rows.find((r) => r[0] === ind && r[1] === type && r[2] === id && r[3] === p);
      expect(find('hors_qpv_q1', 'territoire', 'territoire', '2024')?.slice(4, 6)).toEqual([8, 24]);
      expect(find('qpv_hors_q1', 'contingent', 'ETAT', '2024')?.slice(4, 11)).toEqual([null, 4, null, 0.6, null, null, 'primaire']);
    });

    it('adds, after the perimeter’s name, the rate as printed and the low-count mark; rates shown with the screen’s decimals', () => {
      const ws = classeur.getWorksheet(FEUILLE_INDICATEURS) as ExcelJS.Worksheet;
      const rows = valeursFeuille(ws);
      expect(rows[0]?.slice(11)).toEqual(['libelle_perimetre', 'taux_pourcent', 'faible_effectif']);
      const i = rows.findIndex((r) => r[0] === 'hors_qpv_q1' && r[1] === 'territoire' && r[3] === '2024');
      // 8 / 24 = 33,33… % printed « 33,3 % » against a 25 % target; 24 ≥ effectif_minimum (1 in the fixture): not low.
      expect(rows[i]?.slice(12)).toEqual([33.3, 0]);
      expect(ws.getRow(i + 1).getCell(7).numFmt).toBe('0.0%');
      // A masked denominator (ETAT's QPV proposals are not, 4 is published): the mark is known, 4 ≥ 1 → 0.
      const etat = rows.find((r) => r[0] === 'qpv_hors_q1' && r[1] === 'contingent' && r[2] === 'ETAT' && r[3] === '2024');
      expect(etat?.slice(12)).toEqual([null, 0]);
    });

    it('keeps every table as a sheet, numbers as numbers, masked cells as « s »', () => {
      const synthese = classeur.worksheets.find((w) => w.name.startsWith('T01 '));
      expect(synthese).toBeDefined();
      const v = valeursFeuille(synthese as ExcelJS.Worksheet);
      expect(v[3]?.slice(0, 5)).toEqual(['Baux hors QPV au 1er quartile ou relogés', 8, 24, 8 / 24, 0.25]);
      expect((synthese as ExcelJS.Worksheet).getCell('D4').numFmt).toBe('0.0%');
      const tension = classeur.worksheets.find((w) => /^T\d\d Tension/.test(w.name));
      const t = valeursFeuille(tension as ExcelJS.Worksheet);
      expect(t.find((r) => r[0] === 'T2')?.slice(0, 4)).toEqual(['T2', 's', 's', 's']);
      const tableauxWord = word.tableaux.filter((x) => /^Tableau \d+ : /.test(x.legende)).length;
      expect(classeur.worksheets.filter((w) => /^T\d\d /.test(w.name))).toHaveLength(tableauxWord);
    });

    it('lists the points of attention with their level', () => {
      const rows = valeursFeuille(classeur.getWorksheet(FEUILLE_ATTENTION) as ExcelJS.Worksheet);
      const alerte = rows.find((r) => r[0] === 'Objectif manqué' && String(r[1]).includes('par contingent'));
      expect(normaliser(String(alerte?.[1]))).toContain('3 contingents sur 5 sous leur cible en 2024');
    });
  });

  describe.skipIf(SKIP_PDF)('PDF', () => {
    it('prints the same document: chapters, tables, figures, captions', () => {
      const texte = lirePdf(fichiers.pdf);
      expect(texte).toContain('Bilan 2024 de la Convention Intercommunale d’Attribution');
      expect(texte).toContain('Tableau 1 : Objectifs d’attribution du territoire en 2024');
      expect(texte).toMatch(/Baux hors QPV au 1er quartile ou relogés +8 +24 +33,3 % +25,0 % +\+8,3 pt +oui +25,0 % +\+8,3 pt/);
      expect(texte).toMatch(/Demandes actives au 31 décembre +47 +22/);
      expect(texte).toMatch(/Graphique 1 : Taux 2024 des objectifs d’attribution du territoire et leurs cibles \(source : tableau 1\)/);
      expect(texte).toMatch(/Préfet, contingent prioritaire +3 +6 +9 +66,7 % +100,0 %/);
      expect(texte).toContain('Annexe méthodologique');
      expect(texte).toMatch(/page 2 sur \d+/);
    });
  });

  describe('statistical secrecy in the three outputs', () => {
    it('leaves no masked indicator value recoverable from the published long format (independent elimination)', () => {
      const rows = valeursFeuille(classeur.getWorksheet(FEUILLE_INDICATEURS) as ExcelJS.Worksheet).slice(1);
      expect(rows.some((r) => r[4] === null)).toBe(true);
      expect(recuperables(rows)).toEqual([]);
    });

    it('(the checker itself finds a leak: publish the non-reserved stock of B1 and the State’s 2 of 4 comes back)', () => {
      const rows = valeursFeuille(classeur.getWorksheet(FEUILLE_INDICATEURS) as ExcelJS.Worksheet)
        .slice(1)
        .map((r) => (r[0] === 'qpv_hors_q1' && r[2] === 'non_reserve:B1' && r[3] === '2024' ? [...r.slice(0, 4), 5, ...r.slice(5)] : r));
      expect(recuperables(rows)).toContain('qpv_hors_q1|contingent|ETAT|2024|num');
    });

    it('never prints a masked rate: 4 of 5 (80 %) and 5 of 6 (83,3 %) appear nowhere', async () => {
      // hors_qpv_q1 of the State's contingent (4 of 5, complement 1) and qpv_hors_q1 of B1's stock (5 of 6).
      const interdits = ['80,0 %', '83,3 %'];
      const textes = [word.xml.replace(/<[^>]+>/g, ' '), ...(SKIP_PDF ? [] : [lirePdf(fichiers.pdf)])].map(normaliser);
      for (const t of textes) for (const x of interdits) expect(t).not.toContain(x);
      for (const ws of classeur.worksheets) {
        for (const r of valeursFeuille(ws)) {
          for (const v of r) {
            if (typeof v === 'number') expect([0.8, 5 / 6].some((x) => Math.abs(v - x) < 1e-9), `${ws.name}: ${v}`).toBe(false);
            if (typeof v === 'string') for (const x of interdits) expect(normaliser(v)).not.toContain(x);
          }
        }
      }
    });

    it('leaves no masked count of a Word table equal to its total minus the visible cells', () => {
      // Every table whose last row is a total: in each column, a single « s » among the parts and the total
      // would be recovered by subtraction.
      let verifiees = 0;
      for (const t of word.tableaux) {
        const derniere = ligne(t.lignes.at(-1) ?? []);
        if (!['Ensemble', 'Ensemble du territoire', 'Ensemble des refus'].includes(derniere[0] ?? '')) continue;
        const corps = t.lignes.slice(1).map(ligne);
        const colonnes = ligne(t.lignes[0] ?? []);
        colonnes.forEach((nom, c) => {
          // Counts only: the columns of shares, rates, gaps and ratios are not additive.
          if (c === 0 || corps.some((l) => /%|pt$|,\d$|oui|non/.test(l[c] ?? ''))) return;
          const masques = corps.filter((l) => l[c] === 's').length;
          expect(masques, `${t.legende} / ${nom}`).not.toBe(1);
          verifiees++;
        });
      }
      expect(verifiees).toBeGreaterThan(20);
    });

    it('masks the demand tables consistently: the same count is masked everywhere it is printed', () => {
      // The requests for T2 (8, masked in the typology table) are not printed elsewhere; the stock 22 is printed in
      // the evolution, quartile and typology tables, published in all three.
      const texte = normaliser(word.paragraphes.join(' '));
      expect(texte).not.toContain(' 8 demandes');
      const quartiles = tableauWord(word, 'Demande et baux signés par quartile').lignes.map(ligne);
      expect(quartiles.at(-1)?.[3]).toBe('22');
    });
  });
});
