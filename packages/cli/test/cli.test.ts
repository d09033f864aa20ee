import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LEGAL_DECLARATIONS } from '@mixite/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** The real `mixite` command, run as a user runs it. */
const BIN = fileURLToPath(new URL('../bin/mixite.js', import.meta.url));
const MINI = fileURLToPath(new URL('../../data/test/fixtures/mini', import.meta.url));

function mixite(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, MIXITE_PROGRESS: '0' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'mixite-cli-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('ligne de commande', () => {
  it('affiche une aide en français', () => {
    const help = mixite('--aide');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Commandes :');
    expect(mixite('import', '--aide').stdout).toContain('Tout ou rien');
  });

  it('liste les indicateurs de leurs déclarations dans l’aide de « indicateurs »', () => {
    const aide = mixite('indicateurs', '--aide').stdout;
    for (const d of LEGAL_DECLARATIONS) expect(aide).toMatch(new RegExp(`^  ${d.id} +${d.courts.titre} ; cible par défaut : `, 'm'));
    // Written by hand here: the priority target is judged per contingent, the State's contingent at 100 %.
    expect(aide).toContain('25 % par contingent (100 % pour le contingent préfectoral des publics prioritaires)');
  });

  it('refuse une commande inconnue ou une option inconnue, avec un code non nul', () => {
    expect(mixite('importer').code).not.toBe(0);
    const bad = mixite('import', '--bidule');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('option inconnue');
  });

  it('import : succès (code 0) puis échec localisé (code 1) sans toucher la base', () => {
    const base = join(work, 'base.duckdb');
    const ok = mixite('import', MINI, '--base', base);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toContain('Import réussi');

    const bad = join(work, 'bad');
    cpSync(MINI, bad, { recursive: true });
    const path = join(bad, 'bailleurs.csv');
    writeFileSync(path, readFileSync(path, 'utf8').replace('B2;Les Résidences;esh', 'B2;Les Résidences;hlm'));
    const before = readFileSync(base);
    const failed = mixite('import', path, '--base', base);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('bailleurs.csv, ligne 3, colonne type : valeur « hlm »');
    expect(failed.stderr).toContain('La base n’a pas été modifiée');
    expect(readFileSync(base).equals(before)).toBe(true);
  });

  it('indicateurs : export long du contrat, valeurs calculées à la main sur le mini territoire', () => {
    const out = join(work, 'indicateurs.csv');
    const run = mixite('indicateurs', '--data', MINI, '--annee', '2024', '--out', out);
    expect(run.code, run.stderr).toBe(0);
    const [header, ...lines] = readFileSync(out, 'utf8').trim().split('\n');
    // The contract's columns first and unchanged, then the added ones (taux_pourcent, faible_effectif).
    expect(header).toBe('indicateur,perimetre_type,perimetre_id,periode,numerateur,denominateur,taux,cible,ecart,atteint,taux_pourcent,faible_effectif');
    const row = (indicateur: string) => lines.find((l) => l.startsWith(`${indicateur},territoire,`) && l.split(',')[3] === '2024')?.split(',');
    // Baux 2024 hors QPV : A2 seul (L3, hors QPV), ménage relogé ANRU → compte quelles que soient ses ressources : 1 / 1.
    expect(row('hors_qpv_q1')?.slice(4, 6)).toEqual(['1', '1']);
    expect(row('hors_qpv_q1')?.[9]).toBe('1');
    // Propositions 2024 en QPV : A1 seule (L1, QN09101M). Ménage de la demande 001 : 1 500 € × 12 ÷ 1,8 UC = 10 000 € ≤ 11 379 € → Q1.
    // Donc 0 ménage hors Q1 sur 1 ; cible locale 0,81 (cia.yaml) → non atteint.
    expect(row('qpv_hors_q1')?.slice(4, 6)).toEqual(['0', '1']);
    expect(Number(row('qpv_hors_q1')?.[7])).toBe(0.81);
    expect(row('qpv_hors_q1')?.[9]).toBe('0');
    // 1 / 1 = 100,0 % and 0 / 1 = 0,0 % as the screen prints them; one household is under the 20 of effectif_minimum.
    expect(row('hors_qpv_q1')?.slice(10)).toEqual(['100.0', '1']);
    expect(row('qpv_hors_q1')?.slice(10)).toEqual(['0.0', '1']);
  });

  it('demo → import → exporter redonne les fichiers du générateur, octet pour octet', () => {
    const demo = join(work, 'demo');
    const gen = mixite('demo', '--out', demo, '--graine', '7');
    expect(gen.code, gen.stderr).toBe(0);
    const base = join(work, 'demo.duckdb');
    const imported = mixite('import', demo, '--base', base);
    expect(imported.code, imported.stderr).toBe(0);
    const out = join(work, 'export');
    expect(mixite('exporter', '--base', base, '--out', out).code).toBe(0);
    const csvs = readdirSync(demo).filter((f) => f.endsWith('.csv'));
    expect(csvs.length).toBe(11); // the ten canonical files and conventions.csv (issue 13)
    for (const file of csvs) {
      const expected = readFileSync(join(demo, file));
      const actual = readFileSync(join(out, file));
      expect(actual.equals(expected), `${file} diffère après l’aller-retour`).toBe(true);
    }
  });
});
