import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DemandRow, IndicatorResults, PublishedIndicatorRow } from '@mixite/core';
import { MENTION_DIFFUSION_RESTREINTE } from '@mixite/core';
import { Store, anneesDuSecret, calculerIndicateurs, importDataset, publierLesAnnees } from '@mixite/data';
import type ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bilanCommand } from '../../cli/src/commands/bilan.ts';
import { indicateursCommand } from '../../cli/src/commands/indicateurs.ts';
import { produireBilan } from '../src/bilan.ts';
import { FEUILLE_INDICATEURS } from '../src/rendu/xlsx.ts';
import { lireDocx, lireXlsx, normaliser, valeursFeuille } from './lecteurs.ts';
import { connaissancesDuFixture, fuites } from './secret-independant.ts';

/**
 * Issue 12, items 1 and 2 on the bilan's hand-made territory (fixtures/territoire, secret_statistique 3 in its
 * cia.yaml): the two editions of the bilan, the public edition of `mixite indicateurs --secret` (demand included),
 * and the independent audit of everything the public bilan publishes together (every year of the store).
 */
const FIXTURE = new URL('./fixtures/territoire/', import.meta.url).pathname;

/** Runs a command in process, returning what it wrote on stdout. */
async function sortieDe(commande: () => Promise<number>): Promise<string> {
  const ecrit: string[] = [];
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((c) => {
    ecrit.push(String(c));
    return true;
  });
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const erreurs = vi.spyOn(console, 'error').mockImplementation(() => {});
  try {
    expect(await commande()).toBe(0);
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
    erreurs.mockRestore();
  }
  return ecrit.join('');
}

describe('editions of the bilan and of the indicator export', () => {
  let store: Store;
  let tous: IndicatorResults[];
  const dir = mkdtempSync(join(tmpdir(), 'mixite-editions-'));
  beforeAll(async () => {
    store = await Store.open(':memory:');
    await importDataset(store, [FIXTURE]);
    tous = [];
    for (const a of await anneesDuSecret(store, 2024)) tous.push(await calculerIndicateurs(store, { annee: a }));
  });
  afterAll(() => {
    store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([11, 5])('the public edition of every year of the store leaves nothing recoverable (independent audit, threshold %i)', (seuil) => {
    const publies = [...publierLesAnnees(tous, 'public', seuil).values()].flat();
    expect(publies.length).toBe(tous.reduce((n, r) => n + r.indicateurs.length, 0));
    expect(publies.some((r) => r.secret !== null)).toBe(true);
    expect(fuites(publies, connaissancesDuFixture(seuil))).toEqual([]);
  });

  it('`mixite indicateurs --secret --format json` masks the demand side too', async () => {
    const brut = JSON.parse(await sortieDe(() => indicateursCommand(['--data', FIXTURE, '--annee', '2024', '--format', 'json']))) as { demande: DemandRow[] };
    const publie = JSON.parse(await sortieDe(() => indicateursCommand(['--data', FIXTURE, '--annee', '2024', '--format', 'json', '--secret']))) as {
      demande: (DemandRow & { secret: string | null })[];
      indicateurs: PublishedIndicatorRow[];
    };
    // A small count of the demand (1 or 2 requests: the fixture's threshold is 3) is never printed in the public edition.
    const petits = brut.demande.filter((d) => d.numerateur > 0 && d.numerateur < 3 && d.indicateur !== 'delai_attente_satisfaites');
    expect(petits.length).toBeGreaterThan(0);
    for (const d of petits) {
      const p = publie.demande.find((x) => x.indicateur === d.indicateur && x.periode === d.periode && x.modalite === d.modalite);
      expect(p?.numerateur, `${d.indicateur} ${d.periode} ${d.modalite}`).toBeNull();
    }
    // The indicators are those of the one pass over every year of the store.
    expect(publie.indicateurs).toEqual(JSON.parse(JSON.stringify(publierLesAnnees(tous).get(2024))));
  });

  it('the partners’ edition masks nothing and says so on every table; the file names say the edition', async () => {
    const fichiers = await produireBilan(store, { annee: 2024, out: dir, edition: 'partenaires', dateProduction: new Date('2025-02-15T10:00:00Z') });
    expect(fichiers.pdf).toBe(join(dir, 'bilan-2024-partenaires.pdf'));
    const classeur: ExcelJS.Workbook = await lireXlsx(fichiers.xlsx);
    const lignes = valeursFeuille(classeur.getWorksheet(FEUILLE_INDICATEURS) as ExcelJS.Worksheet).slice(1);
    // Every count printed: the raw rows of 2024, nothing null.
    const annee = tous.find((r) => r.annee === 2024) as IndicatorResults;
    expect(lignes.length).toBe(annee.indicateurs.length);
    expect(lignes.every((r) => typeof r[4] === 'number' && typeof r[5] === 'number')).toBe(true);
    // The hand figure of the fixture's README: ETAT's QPV proposals, 2 of 4, masked in the public edition, printed here.
    expect(lignes.some((r) => r[0] === 'qpv_hors_q1' && r[2] === 'ETAT' && r[3] === '2024' && r[4] === 2 && r[5] === 4)).toBe(true);
    const word = await lireDocx(fichiers.docx);
    const texte = normaliser(word.xml.replace(/<[^>]+>/g, ' '));
    const tableaux = (word.xml.match(/<w:tbl>/g) ?? []).length;
    expect(tableaux).toBeGreaterThan(5);
    // The mark: once per table (its first note), on the title page, and in the title the footers repeat.
    expect(texte.split(`${MENTION_DIFFUSION_RESTREINTE}.`).length - 1).toBeGreaterThanOrEqual(tableaux);
    expect(readFileSync(fichiers.docx).length).toBeGreaterThan(1000);
  });

  it('`mixite bilan --edition` refuses an unknown edition and writes the public one by default', async () => {
    await expect(bilanCommand(['--annee', '2024', '--data', FIXTURE, '--out', dir, '--edition', 'secrete'])).rejects.toThrow(/--edition invalide « secrete » : partenaires ou public/);
  });
});
