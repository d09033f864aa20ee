import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../src/args.ts';
import { COTATION_HELP, cotationCommand } from '../src/commands/cotation.ts';
import { executer } from '../src/erreurs.ts';

/**
 * `mixite cotation`, run in-process (the command is wired into main.ts by the lead): the fixture territory of
 * packages/data/test/fixtures/cotation, whose notes are hand-computed in packages/data/test/cotation.test.ts.
 */

const FIXTURE = fileURLToPath(new URL('../../data/test/fixtures/cotation', import.meta.url));
const GRILLES = fileURLToPath(new URL('../../../grilles', import.meta.url));

const GRILLE = `nom: Grille intercommunale
version: 1
criteres:
  - { id: expulsion, libelle: "Menacé d'expulsion", points: 20, si: { motif: expulsion } }
  - { id: monoparentale, libelle: "Parent isolé", points: 5, si: { composition: monoparentale } }
  - { id: taux_effort, libelle: "Taux d'effort > 30 %", points: 10, si: { taux_effort_actuel: { ">": 0.30 } } }
  - { id: heberge_tiers, libelle: "Hébergé chez un tiers", points: 8, si: { logement_actuel: heberge_tiers } }
  - { id: structure, libelle: "En structure", points: 12, si: { logement_actuel: { in: [structure, foyer] } } }
  - { id: anciennete, libelle: "Ancienneté", points_par_mois: 1, plafond: 24 }
rubriques:
  - { id: hebergement, criteres: [heberge_tiers, structure], mode: max }
refus: { points: -5, par_refus: true }
`;

let work: string;
let grille: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'mixite-cotation-cli-'));
  grille = join(work, 'grille.yaml');
  writeFileSync(grille, GRILLE);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs the command, capturing standard output and error. */
async function mixiteCotation(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  });
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
    stdout += `${a.join(' ')}\n`;
  });
  const err = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => {
    stderr += `${a.join(' ')}\n`;
  });
  const errWrite = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  });
  try {
    // Through the CLI's one mapping of errors, as main.ts runs it (a UsageError still comes back to the caller).
    const code = await executer(cotationCommand, args);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    log.mockRestore();
    err.mockRestore();
    errWrite.mockRestore();
  }
}

describe('mixite cotation', () => {
  it('prints a French help', async () => {
    const r = await mixiteCotation('--aide');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${COTATION_HELP}\n`);
    expect(COTATION_HELP).toContain('nur;note;rang;nb_similaires;delai_moyen_jours;criteres');
  });

  it('writes one row per active request to standard output', async () => {
    const r = await mixiteCotation('--data', FIXTURE, '--grille', grille, '--date', '2024-12-31');
    expect(r.code).toBe(0);
    const lignes = r.stdout.trimEnd().split('\n');
    expect(lignes[0]).toBe('nur;note;rang;nb_similaires;delai_moyen_jours;criteres');
    expect(lignes.slice(1, 4)).toEqual([
      'C01;44;1;6;335;expulsion|monoparentale|heberge_tiers|anciennete',
      'C02;24;2;6;335;taux_effort|anciennete|refus',
      'C03;24;2;6;335;structure|anciennete',
    ]);
    expect(lignes).toHaveLength(13);
  });

  it('writes to a file with --out and reports on standard error', async () => {
    const out = join(work, 'sortie', 'cotation.csv');
    const r = await mixiteCotation('--data', FIXTURE, '--grille', grille, '--date', '2024-12-31', '--out', out);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Cotation au 2024-12-31 écrite dans');
    expect(r.stderr).toContain('12 demandes actives, 5 groupes de demandes similaires');
    expect(readFileSync(out, 'utf8')).toContain('C12;29;1;2;92;taux_effort|anciennete|refus');
  });

  it('refuses a malformed grid with located messages and a non-zero exit', async () => {
    const mauvaise = join(work, 'mauvaise.yaml');
    writeFileSync(mauvaise, 'nom: x\nversion: 1\ncriteres:\n  - { id: a, libelle: a, points: 1, si: { motif: expulsions } }\n');
    const r = await mixiteCotation('--data', FIXTURE, '--grille', mauvaise);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${mauvaise}, ligne 4, colonne 50 (criteres[0].si.motif) : code inconnu « expulsions » pour motif`);
    expect(r.stderr).toContain('Grille refusée : 1 problème.');
    expect((await mixiteCotation('--data', FIXTURE, '--grille', join(work, 'absente.yaml'))).stderr).toContain('Grille introuvable');
  });

  it('prints the impact of two grids side by side, or writes it as CSV', async () => {
    const r = await mixiteCotation('--data', FIXTURE, '--grille', join(GRILLES, 'rhone.yaml'), '--comparer', join(GRILLES, 'equilibre-cia.yaml'), '--date', '2024-12-31');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('A : « Grille type Rhône');
    expect(r.stdout).toContain('B : « Équilibre CIA » (version 1)');
    expect(r.stdout).toMatch(/\nensemble\s+5\s/);
    const out = join(work, 'impact.csv');
    expect((await mixiteCotation('--data', FIXTURE, '--grille', grille, '--impact', '--date', '2024-12-31', '--out', out)).code).toBe(0);
    const csv = readFileSync(out, 'utf8').split('\n');
    expect(csv[0]).toBe('grille;version;typologie;baux;indicateur;cible;part_retenues;part_attributions;part_demande;ecart_cible');
    expect(csv).toContain('Grille intercommunale;1;ensemble;5;q1;0.25;0.8;0.2;0.666667;0.55');
  });

  it('refuses a bad command line', async () => {
    await expect(mixiteCotation('--data', FIXTURE)).rejects.toBeInstanceOf(UsageError);
    await expect(mixiteCotation('--data', FIXTURE, '--grille', grille, '--date', '31/12/2024')).rejects.toThrow(/AAAA-MM-JJ/);
    const r = await mixiteCotation('--data', FIXTURE, '--grille', grille, '--date', '2024-02-30');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('date de référence invalide « 2024-02-30 »');
  });
});
