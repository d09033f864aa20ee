import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `mixite simuler` refuses bad inputs with a clear French message and a non-zero exit, before reading any data
 * (issue 16, « Done when »). The simulation itself is tested on the demo in packages/data/src/simulation.
 */

const BIN = fileURLToPath(new URL('../bin/mixite.js', import.meta.url));
const POLITIQUE = fileURLToPath(new URL('../../../politiques/pratique-observee.yaml', import.meta.url));
let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'mixite-simuler-cli-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const mixite = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, 'simuler', ...args], { encoding: 'utf8', env: { ...process.env, MIXITE_BASE: join(work, 'absente.duckdb') } });
  return { code: r.status, stderr: r.stderr, stdout: r.stdout };
};

describe('mixite simuler, bad inputs', () => {
  it('--runs 0', () => {
    const r = mixite('--annee', '2024', '--politique', POLITIQUE, '--runs', '0');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('--runs invalide « 0 » : un nombre de tirages entier de 1 à 100000');
  });

  it('a policy with an unknown rule and a negative quota: every problem located', () => {
    const fichier = join(work, 'faute.yaml');
    writeFileSync(fichier, 'nom: faute\nordre: pratique_observee\nregles:\n  un_q1_par_liste: 1\n  quotas_prioritaires: { commune: -0.25 }\n');
    const r = mixite('--annee', '2024', '--politique', fichier);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('faute.yaml, ligne 4, colonne 3 (regles.un_q1_par_liste) : règle inconnue « un_q1_par_liste »');
    expect(r.stderr).toContain('faute.yaml, ligne 5, colonne 35 (regles.quotas_prioritaires.commune) : un quota ne peut pas être négatif');
  });

  it('a grid with errors', () => {
    writeFileSync(join(work, 'cotee.yaml'), 'nom: cotée\nordre: cotation\ngrille: grille-fausse.yaml\n');
    writeFileSync(join(work, 'grille-fausse.yaml'), 'nom: g\nversion: 1\ncriteres:\n  - { id: dalo, libelle: DALO, pointz: 40, si: { dalo: true } }\n');
    const r = mixite('--annee', '2024', '--politique', join(work, 'cotee.yaml'));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/grille-fausse\.yaml.*ligne 4/);
    expect(r.stderr).toContain('pointz');
  });

  it('no policy, a missing policy file', () => {
    expect(mixite('--annee', '2024').stderr).toContain('indiquez la politique simulée avec --politique FICHIER');
    expect(mixite('--annee', '2024', '--politique', join(work, 'absente.yaml')).stderr).toContain('fichier de politique introuvable');
  });
});
