import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { BILAN_HELP, bilanCommand } from '../../cli/src/commands/bilan.ts';

const FIXTURE = new URL('./fixtures/territoire', import.meta.url).pathname;

describe('mixite bilan', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mixite-bilan-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('rejects a command line it cannot use, in French', async () => {
    await expect(bilanCommand(['--annee', '24', '--out', dir])).rejects.toThrow(/année invalide « 24 »/);
    await expect(bilanCommand(['--annee', '2024'])).rejects.toThrow(/--out/);
    await expect(bilanCommand(['--annee', '2024', '--out', dir, '--data', 'x', '--base', 'y'])).rejects.toThrow(/pas les deux/);
    expect(BILAN_HELP).toContain('--annee AAAA');
  });

  it('says when the base is missing', async () => {
    const erreurs = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(await bilanCommand(['--annee', '2024', '--out', dir, '--base', join(dir, 'absente.duckdb')])).toBe(1);
      expect(erreurs.mock.calls.flat().join('\n')).toContain('Base introuvable');
    } finally {
      erreurs.mockRestore();
    }
  });

  it('imports a dataset folder in memory and writes the three files, progress on stderr', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const erreurs = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(await bilanCommand(['--annee', '2024', '--data', FIXTURE, '--out', dir, '--annees', '2'])).toBe(0);
      const sortie = [...stderr.mock.calls.map((c) => String(c[0])), ...erreurs.mock.calls.flat().map(String)].join('\n');
      expect(sortie).toContain('Calcul des indicateurs 2024');
      expect(sortie).toContain('bilan-2024-public.pdf');
    } finally {
      stderr.mockRestore();
      erreurs.mockRestore();
    }
    for (const ext of ['docx', 'pdf', 'xlsx']) expect(existsSync(join(dir, `bilan-2024-public.${ext}`))).toBe(true);
  });
});
