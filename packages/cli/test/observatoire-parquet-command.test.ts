import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { indicateursCsv } from '@mixite/core';
import { calculerIndicateurs } from '@mixite/data/indicateurs';
import { Store } from '@mixite/data/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `mixite exporter --format parquet` and `mixite indicateurs --parquet`, real processes on real files (issue 18,
 * item 5): two EPCIs (the golden territory of the indicator tests, and the same under another SIREN) imported into
 * two bases, exported into one folder, read back in one run. Expected: for each EPCI, the lines `mixite indicateurs
 * --base` prints for its own base, with the EPCI added — the store path, computed without Parquet (in-process).
 */

const BIN = fileURLToPath(new URL('../bin/mixite.js', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../../data/test/fixtures/indicators/territoire', import.meta.url));

const mixite = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, MIXITE_PROGRESS: '0' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'mixite-observatoire-cli-'));
  const b = join(work, 'b');
  cpSync(FIXTURE, b, { recursive: true });
  for (const f of ['communes.csv', 'cia.yaml', 'seuils.csv']) writeFileSync(join(b, f), readFileSync(join(b, f), 'utf8').replaceAll('200000001', '200000002'));
  for (const [nom, dossier] of [
    ['a', FIXTURE],
    ['b', b],
  ] as const) {
    const r = mixite('import', dossier, '--base', join(work, `${nom}.duckdb`));
    expect(r.code, r.stderr).toBe(0);
  }
}, 60_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the Parquet observatory from the command line', () => {
  it('exports two bases into one folder and computes both EPCIs in one run, as each base does', async () => {
    const dossier = join(work, 'observatoire');
    for (const nom of ['a', 'b']) {
      const r = mixite('exporter', '--format', 'parquet', '--base', join(work, `${nom}.duckdb`), '--out', dossier);
      expect(r.code, r.stderr).toBe(0);
    }
    const tous = mixite('indicateurs', '--parquet', dossier, '--annee', '2024');
    expect(tous.code, tous.stderr).toBe(0);
    const [entete, ...lignes] = tous.stdout.trimEnd().split('\n');
    const attendu: string[] = [];
    let enteteBase = '';
    for (const [nom, epci] of [
      ['a', '200000001'],
      ['b', '200000002'],
    ] as const) {
      // What `mixite indicateurs --base` prints for the base (indicateurs.ts: the engine, then indicateursCsv with the
      // CIA's effectif_minimum), computed here in-process to spare two processes on a loaded machine.
      const store = await Store.open(join(work, `${nom}.duckdb`));
      try {
        const r = await calculerIndicateurs(store, { annee: 2024 });
        const [e, ...l] = indicateursCsv(r.indicateurs, { effectifMinimum: r.configuration.effectif_minimum }).trimEnd().split('\n');
        enteteBase = e ?? '';
        attendu.push(...l.map((x) => `${x},${epci}`));
      } finally {
        store.close();
      }
    }
    expect(entete).toBe(`${enteteBase},epci`);
    // Both EPCIs, each with the rows of its own base (the fixture gives some hundreds).
    expect(attendu.length).toBeGreaterThan(100);
    expect(lignes).toEqual(attendu);

    // The gathered folder rewritten in the grouped layout: the same lines.
    const groupe = join(work, 'regroupe');
    const r = mixite('exporter', '--format', 'parquet', '--depuis-parquet', dossier, '--out', groupe);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('2 EPCI réécrits en disposition regroupée');
    const regroupes = mixite('indicateurs', '--parquet', groupe, '--annee', '2024');
    expect(regroupes.code, regroupes.stderr).toBe(0);
    expect(regroupes.stdout).toBe(tous.stdout);
  }, 180_000);

  it('refuses a folder without a table, in French, naming it', () => {
    const r = mixite('indicateurs', '--parquet', join(work, 'rien'), '--annee', '2024');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('dossier Parquet introuvable');
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it('refuses an EPCI code that is not a SIREN', () => {
    const r = mixite('exporter', '--format', 'parquet', '--base', join(work, 'a.duckdb'), '--out', join(work, 'x'), '--epci', '12');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('SIREN');
  });
});
