import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { caleolCommand } from '../src/commands/caleol.ts';

/**
 * `mixite caleol` in-process on the hand-built territory of packages/data/test/fixtures/caleol (every figure worked
 * by hand in packages/data/test/caleol.test.ts): L1 lists D02 (DALO 40), D01 (prioritaire 30), then D04 (0, the only
 * eligible Q1, in place of D03 by the Q1 rule outside QPV).
 */

const FIXTURE = fileURLToPath(new URL('../../data/test/fixtures/caleol/territoire', import.meta.url));
const GRILLE = fileURLToPath(new URL('../../data/test/fixtures/caleol/grille.yaml', import.meta.url));
let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'mixite-caleol-cli-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function lancer(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const error = vi.spyOn(console, 'error').mockImplementation((...m: unknown[]) => {
    stderr += `${m.join(' ')}\n`;
  });
  try {
    return { code: await caleolCommand(args), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    error.mockRestore();
  }
}

describe('mixite caleol', () => {
  it('writes the issue’s columns, the rule and the contingent’s gap', async () => {
    const { code, stdout, stderr } = await lancer('--data', FIXTURE, '--logement', 'L1', '--date', '2025-06-30', '--grille', GRILLE);
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'rang;nur;note;q1;prioritaire;mutation;effet_hors_qpv_q1;effet_qpv_hors_q1;effet_prioritaires',
        '1;D02;40;0;1;1;0;0;1',
        '2;D01;30;0;1;0;0;0;1',
        '3;D04;0;1;0;0;1;0;0',
        '',
      ].join('\n'),
    );
    expect(stderr).toContain('D04 remplace D03');
    // 0 priority proposals of 4 on non_reserve:B1 in 2025 at 25 %: (1 − 0) ÷ 0.75 → 2.
    expect(stderr).toContain('2 proposition(s) prioritaire(s) manquante(s)');
  });

  it('--nombre 2 --format json: two candidates, the effects in the JSON', async () => {
    const { code, stdout } = await lancer('--data', FIXTURE, '--logement', 'L1', '--date', '2025-06-30', '--grille', GRILLE, '--nombre', '2', '--format', 'json');
    expect(code).toBe(0);
    const r = JSON.parse(stdout) as { liste: { candidats: { demande: { nur: string } }[] }; ecart_contingent: { denominateur: number } };
    // Two places: D02, then D04 in place of D01 (no Q1 among D02, D01).
    expect(r.liste.candidats.map((c) => c.demande.nur)).toEqual(['D02', 'D04']);
    expect(r.ecart_contingent.denominateur).toBe(4);
  });

  it('a grid with errors: its located problems, exit 1, nothing written', async () => {
    const mauvaise = join(work, 'mauvaise.yaml');
    writeFileSync(mauvaise, 'nom: X\nversion: 1\ncriteres:\n  - { id: a, libelle: A, points: douze, si: { dalo: true } }\n');
    const { code, stdout, stderr } = await lancer('--data', FIXTURE, '--logement', 'L1', '--date', '2025-06-30', '--grille', mauvaise);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/mauvaise\.yaml.*ligne 4/);
    expect(stderr).toContain('Grille refusée');
  });

  it('an unknown dwelling and a date before the data: French errors', async () => {
    await expect(lancer('--data', FIXTURE, '--logement', 'L99', '--date', '2025-06-30', '--grille', GRILLE)).rejects.toThrow('logement « L99 » absent de logements.csv');
    await expect(lancer('--data', FIXTURE, '--logement', 'L1', '--date', '2019-01-01', '--grille', GRILLE)).rejects.toThrow('précède les données');
    await expect(lancer('--data', FIXTURE, '--logement', 'L1', '--grille', GRILLE, '--nombre', 'trois')).rejects.toThrow('--nombre invalide « trois »');
  });
});
