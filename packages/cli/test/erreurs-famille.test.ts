import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GenreErreur, MixiteError } from '@mixite/core';
import {
  BaseEndommageeError,
  ConfigurationInvalideError,
  ConflitError,
  DonneesInvalidesError,
  GENRES_ERREUR,
  InterditError,
  IntrouvableError,
  OutilAbsentError,
  RequeteInvalideError,
} from '@mixite/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../src/args.ts';
import { executer } from '../src/erreurs.ts';

/** The error family mapped once to the command line's messages and exit codes (cli/src/erreurs.ts). */
const BIN = fileURLToPath(new URL('../bin/mixite.js', import.meta.url));
const MINI = fileURLToPath(new URL('../../data/test/fixtures/mini', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../../data/test/fixtures/cotation', import.meta.url));

const mixite = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, MIXITE_PROGRESS: '0' } });

const UNE_DE_CHAQUE: Record<GenreErreur, () => MixiteError> = {
  requete_invalide: () => new RequeteInvalideError('date invalide'),
  donnees_invalides: () => new DonneesInvalidesError('grille refusée', { problemes: [{ fichier: 'g.yaml', ligne: 3, message: 'code inconnu' }] }),
  introuvable: () => new IntrouvableError('demande introuvable'),
  interdit: () => new InterditError('accès refusé'),
  conflit: () => new ConflitError('un compte existe déjà'),
  base_endommagee: () => new BaseEndommageeError('la base est endommagée'),
  configuration_invalide: () => new ConfigurationInvalideError('la clé du journal est illisible'),
  outil_absent: () => new OutilAbsentError('Chromium introuvable'),
};

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'mixite-erreurs-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('one mapping of the error family to the command line', () => {
  it.each(GENRES_ERREUR)('%s → « Erreur : message » and exit code 1', async (genre) => {
    const messages: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void messages.push(a.join(' ')));
    try {
      const code = await executer(async () => {
        throw UNE_DE_CHAQUE[genre]();
      }, []);
      expect(code).toBe(1);
      expect(messages).toEqual([`Erreur : ${UNE_DE_CHAQUE[genre]().message}`]);
    } finally {
      spy.mockRestore();
    }
  });

  it('leaves a command line not understood to main (exit 2 with the help)', async () => {
    await expect(executer(async () => Promise.reject(new UsageError('option inconnue')), [])).rejects.toBeInstanceOf(UsageError);
    const r = mixite('cotation', '--option-inconnue');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('Erreur : option inconnue : --option-inconnue');
  });

  it('says an engine’s error through the real binary: a reference date that does not exist', () => {
    const grille = join(work, 'g.yaml');
    writeFileSync(grille, 'nom: g\nversion: 1\ncriteres:\n  - { id: a, libelle: A, points: 1 }\n');
    const r = mixite('cotation', '--data', FIXTURE, '--grille', grille, '--date', '2024-02-30');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Erreur : date de référence invalide « 2024-02-30 »');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('says an unusable mapping file through the real binary, once, without a stack', () => {
    const correspondance = join(work, 'mauvaise.yaml');
    writeFileSync(correspondance, 'fichiers: [1, 2\n');
    const r = mixite('import', MINI, '--verifier', '--correspondance', correspondance);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`Erreur : Fichier de correspondance ${correspondance} invalide`);
    expect(r.stderr.split(`Fichier de correspondance ${correspondance}`)).toHaveLength(2);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
