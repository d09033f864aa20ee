import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `mixite bilan --parquet DOSSIER --epci SIREN` (issue 18, item 5), real processes on real files: two EPCIs (the
 * golden territory of the indicator tests, and the same under 200000002 without lease A11) imported into two bases
 * and exported into one Parquet folder. Expected: EPCI B's bilan read from the folder says what the bilan of B's own
 * base says (the text of the two PDFs, by pdftotext; only the list of the base's imported files is not in the
 * folder).
 */

const BIN = fileURLToPath(new URL('../bin/mixite.js', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../../data/test/fixtures/indicators/territoire', import.meta.url));

const mixite = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, MIXITE_PROGRESS: '0' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

const texte = (pdf: string) => execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });

let work: string;
let dossier: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'mixite-bilan-parquet-'));
  const b = join(work, 'b');
  cpSync(FIXTURE, b, { recursive: true });
  for (const f of ['communes.csv', 'cia.yaml', 'seuils.csv']) writeFileSync(join(b, f), readFileSync(join(b, f), 'utf8').replaceAll('200000001', '200000002'));
  writeFileSync(join(b, 'attributions.csv'), readFileSync(join(b, 'attributions.csv'), 'utf8').split('\n').filter((l) => !l.startsWith('A11;')).join('\n'));
  dossier = join(work, 'observatoire');
  for (const [nom, donnees] of [
    ['a', FIXTURE],
    ['b', b],
  ] as const) {
    const base = join(work, `${nom}.duckdb`);
    const i = mixite('import', donnees, '--base', base);
    expect(i.code, i.stderr).toBe(0);
    const e = mixite('exporter', '--format', 'parquet', '--base', base, '--out', dossier);
    expect(e.code, e.stderr).toBe(0);
  }
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('mixite bilan --parquet', () => {
  it('produces one EPCI’s three files from the folder, saying what its own base says', () => {
    const depuisParquet = join(work, 'bilan-parquet');
    const depuisBase = join(work, 'bilan-base');
    const p = mixite('bilan', '--parquet', dossier, '--epci', '200000002', '--annee', '2024', '--annees', '1', '--edition', 'partenaires', '--out', depuisParquet);
    expect(p.code, p.stderr).toBe(0);
    const b = mixite('bilan', '--base', join(work, 'b.duckdb'), '--annee', '2024', '--annees', '1', '--edition', 'partenaires', '--out', depuisBase);
    expect(b.code, b.stderr).toBe(0);
    for (const ext of ['docx', 'pdf', 'xlsx']) expect(existsSync(join(depuisParquet, `bilan-2024-partenaires.${ext}`)), ext).toBe(true);
    const lu = texte(join(depuisParquet, 'bilan-2024-partenaires.pdf'));
    expect(lu.length).toBeGreaterThan(1000);
    // Everything but the table of the base's imported files (the import journal does not travel in the folder: that
    // table is empty there, its header only).
    const sansFichiersSource = (t: string) => t.split('\n').filter((l) => !/^\s*[a-z_]+\.csv\s/.test(l) && !l.includes('Fichier importé')).join('\n');
    expect(lu).toContain('Tableau 6 : Fichiers source de la base');
    expect(sansFichiersSource(lu)).toBe(sansFichiersSource(texte(join(depuisBase, 'bilan-2024-partenaires.pdf'))));
  }, 240_000);

  it('names the EPCIs of the folder when asked for another, in French, without a stack trace', () => {
    const r = mixite('bilan', '--parquet', dossier, '--epci', '200000009', '--annee', '2024', '--out', join(work, 'x'));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('l’EPCI 200000009 n’y est pas (2 EPCI présents : 200000001, 200000002)');
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
    expect(existsSync(join(work, 'x'))).toBe(false);
  });

  it('asks for the EPCI, and for one source only', () => {
    const sans = mixite('bilan', '--parquet', dossier, '--annee', '2024', '--out', join(work, 'y'));
    expect(sans.code).not.toBe(0);
    expect(sans.stderr).toContain('indiquez l’EPCI du bilan avec --epci SIREN');
    const deux = mixite('bilan', '--parquet', dossier, '--epci', '200000001', '--base', join(work, 'a.duckdb'), '--annee', '2024', '--out', join(work, 'y'));
    expect(deux.code).not.toBe(0);
    expect(deux.stderr).toContain('une seule source');
  });
});
