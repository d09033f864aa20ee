import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The compiled JavaScript of decision 0008 behaves as the TypeScript sources: the same command gives the same
 * output, byte for byte. Compiled here into a folder of this test's own (never the `.compile` folder a developer's
 * `npm start` wrote), then run by Node alone, without tsx.
 */

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const COMPILER = join(ROOT, 'packages/cli/bin/compiler.mjs');
const BIN = join(ROOT, 'packages/cli/bin/mixite.js');
const MINI = join(ROOT, 'packages/data/test/fixtures/mini');
const DOSSIER = `.compile.test-${process.pid}`;
const PACKAGES = ['cli', 'contract', 'core', 'data', 'demo', 'graphiques', 'reports', 'server'];

const run = (args: string[], env: Record<string, string> = {}) => {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, MIXITE_PROGRESS: '0', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const compiled = (...args: string[]) => run([join(ROOT, 'packages/cli', DOSSIER, 'main.js'), ...args]);
const sources = (...args: string[]) => run([BIN, ...args], { MIXITE_SOURCES: '1' });

beforeAll(() => {
  const r = run([COMPILER, DOSSIER]);
  expect(r.code, r.stderr).toBe(0);
}, 120_000);
afterAll(() => {
  for (const p of PACKAGES) rmSync(join(ROOT, 'packages', p, DOSSIER), { recursive: true, force: true });
});

describe('la ligne de commande compilée (décision 0008)', () => {
  it('écrit un module JavaScript par source, sans import de .ts ni de paquet @mixite', () => {
    const main = readFileSync(join(ROOT, 'packages/cli', DOSSIER, 'main.js'), 'utf8');
    expect(main).not.toMatch(/from ['"][^'"]+\.tsx?['"]/);
    const server = readFileSync(join(ROOT, 'packages/server', DOSSIER, 'index.js'), 'utf8');
    expect(server).not.toMatch(/['"]@mixite\//);
    // The workers and contours the code finds next to itself are there.
    expect(existsSync(join(ROOT, 'packages/reports', DOSSIER, 'rendu/typst-worker.mjs'))).toBe(true);
    expect(existsSync(join(ROOT, 'packages/demo', DOSSIER, 'geo/grand-paris-sud-communes.geojson'))).toBe(true);
  });

  it('donne la même aide que les sources', () => {
    const a = compiled('--aide');
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(sources('--aide').stdout);
  });

  it('calcule les mêmes indicateurs que les sources, octet pour octet', () => {
    const a = compiled('indicateurs', '--data', MINI, '--annee', '2024');
    const b = sources('indicateurs', '--data', MINI, '--annee', '2024');
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(a.stdout.split('\n').length).toBeGreaterThan(10);
    expect(a.stdout).toBe(b.stdout);
  }, 120_000);
});
