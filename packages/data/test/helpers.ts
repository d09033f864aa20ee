import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MINI = fileURLToPath(new URL('./fixtures/mini', import.meta.url));

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = 'mixite-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A copy of the mini territory that a test may alter. */
export function copyOfMini(into: string): string {
  const dir = join(into, 'jeu');
  cpSync(MINI, dir, { recursive: true });
  return dir;
}

export const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
