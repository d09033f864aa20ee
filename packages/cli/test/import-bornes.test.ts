import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classeurCreux, classeurMenteur, csvLarge, csvLigneLarge } from '../../data/test/fichiers-pieges.ts';

/** The real `mixite import`, fed the red team's denial-of-service files: refused at once, before any parser. */
const BIN = fileURLToPath(new URL('../bin/mixite.js', import.meta.url));

function mixite(...args: string[]) {
  const start = performance.now();
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, MIXITE_PROGRESS: '0' }, timeout: 60_000 });
  return { code: result.status, stderr: result.stderr, ms: performance.now() - start };
}

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'mixite-cli-bornes-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('mixite import : travail borné', () => {
  it.each([
    ['attributions.xlsx', classeurCreux, 'attributions.xlsx — la feuille « Feuil1 » déclare 16 384 colonnes × 1 048 576 lignes ; au plus 1 000 colonnes et 2 000 000 cellules acceptées'],
    ['logements.xlsx', classeurMenteur, 'logements.xlsx — la feuille « Feuil1 » contient des cellules sur 16 384 colonnes × 1 048 576 lignes'],
    ['demandes.csv', () => csvLarge(), 'demandes.csv, ligne 1 — l’en-tête compte au moins'],
    ['seuils.csv', () => csvLigneLarge(), 'seuils.csv, ligne 3 — la ligne compte plus de 1 000 champs ; au plus 1 000 colonnes acceptées'],
  ])('refuse %s sans l’ouvrir, sans attendre (le démarrage de Node domine)', (name, build, message) => {
    const path = join(work, name);
    writeFileSync(path, build());
    for (const args of [[path, '--base', join(work, 'base.duckdb')], [path, '--verifier', '--base', join(work, 'base.duckdb')]]) {
      const run = mixite('import', ...args);
      expect(run.stderr).toContain(message);
      expect(run.stderr).toContain('Import refusé : 1 erreur. La base n’a pas été modifiée.');
      expect(run.code).toBe(1);
      // Loose: the process start (tsx) dominates; the check itself takes milliseconds (figures in the report).
      expect(run.ms).toBeLessThan(30_000);
    }
  }, 120_000);
});
