/**
 * `npx tsx bench/demarrage.ts [--essais 15] [--base FICHIER --annee AAAA]`: start-up of the command line (issue 18,
 * decision 0008) and the CLI's refusal of the red team's denial-of-service files (issue 10). Alternates, in one run,
 * Node alone (`node -e 0`, the floor), the compiled CLI and the CLI run from its sources through tsx, for
 * `mixite --aide` and `mixite indicateurs --aide` (which loads the command's module); then, compiled, `mixite import`
 * of a 1.5 KB workbook whose only cell is XFD1048576 and of a CSV of 1 000 000 columns (both refused before the
 * store is opened), and a real command, `mixite indicateurs --base B --annee A` on the EPCI demo (written and
 * imported first, unless --base names a store). Medians, and ratios to the floor measured in the same run: the
 * machine is shared, its absolute times drift; the load average at the start is printed with them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { classeurCreux, csvLarge } from '../packages/data/test/fichiers-pieges.ts';
import { describeMachine, median } from './machine.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { essais: { type: 'string', default: '15' }, base: { type: 'string' }, annee: { type: 'string', default: '2024' } } });
const essais = Math.max(3, Number(values.essais));

const compile = spawnSync(process.execPath, [join(ROOT, 'packages/cli/bin/compiler.mjs')], { cwd: ROOT, encoding: 'utf8' });
if (compile.status !== 0) throw new Error(`compilation impossible : ${compile.stderr}`);

const COMPILED = join(ROOT, 'packages/cli/.compile/main.js');
const BIN = join(ROOT, 'packages/cli/bin/mixite.js');
const work = mkdtempSync(join(tmpdir(), 'mixite-bench-demarrage-'));
const quiet = { ...process.env, MIXITE_PROGRESS: '0' };

// The red team's files, built by the same code as the tests' (data/test/fichiers-pieges.ts).
const xlsx = join(work, 'attributions.xlsx');
writeFileSync(xlsx, classeurCreux());
const csv = join(work, 'demandes.csv');
writeFileSync(csv, csvLarge());
const refusBase = join(work, 'refus.duckdb');

let base = values.base;
if (!base) {
  // The EPCI demo, written and imported once (not measured).
  const demo = join(work, 'demo');
  base = join(work, 'demo.duckdb');
  for (const args of [['demo', '--out', demo], ['import', demo, '--base', base]]) {
    const r = spawnSync(process.execPath, [COMPILED, ...args], { cwd: ROOT, env: quiet, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`mixite ${args[0]} : ${r.stderr}`);
  }
}

interface Cas {
  readonly args: readonly string[];
  readonly env: Record<string, string>;
  /** The exit code the command must end with (the refusals end with 1). */
  readonly code: number;
}
const cas: Record<string, Cas> = {
  'node -e 0 (plancher)': { args: ['-e', '0'], env: {}, code: 0 },
  'mixite --aide, compilé': { args: [COMPILED, '--aide'], env: {}, code: 0 },
  'mixite --aide, sources (tsx)': { args: [BIN, '--aide'], env: { MIXITE_SOURCES: '1' }, code: 0 },
  'mixite indicateurs --aide, compilé': { args: [COMPILED, 'indicateurs', '--aide'], env: {}, code: 0 },
  'mixite indicateurs --aide, sources (tsx)': { args: [BIN, 'indicateurs', '--aide'], env: { MIXITE_SOURCES: '1' }, code: 0 },
  'mixite import classeur de 1,5 Ko (cellule XFD1048576), refusé, compilé': { args: [COMPILED, 'import', xlsx, '--base', refusBase], env: {}, code: 1 },
  'mixite import CSV de 1 000 000 colonnes (8,9 Mo), refusé, compilé': { args: [COMPILED, 'import', csv, '--base', refusBase], env: {}, code: 1 },
  [`mixite indicateurs --base (démo EPCI) --annee ${values.annee}, compilé`]: { args: [COMPILED, 'indicateurs', '--base', base, '--annee', values.annee], env: {}, code: 0 },
};

const charge = loadavg()[0] ?? 0;
const temps = new Map<string, number[]>(Object.keys(cas).map((k) => [k, []]));
for (let i = 0; i < essais; i++) {
  for (const [nom, c] of Object.entries(cas)) {
    const start = performance.now();
    const r = spawnSync(process.execPath, c.args, { cwd: ROOT, env: { ...quiet, ...c.env }, stdio: 'ignore' });
    const ms = performance.now() - start;
    if (r.status !== c.code) throw new Error(`${nom} : code ${r.status}, attendu ${c.code}`);
    temps.get(nom)?.push(ms);
  }
}
// Refused before the store is opened: the store was not even created.
if (existsSync(refusBase)) throw new Error('un import refusé a créé la base');
rmSync(work, { recursive: true, force: true });

const plancher = median(temps.get('node -e 0 (plancher)') ?? []);
const ms = (t: number) => `${Math.round(t).toLocaleString('fr-FR').replace(/\s/g, ' ')} ms`;
const lignes = [...temps].map(([nom, t]) => `| ${nom} | ${ms(median(t))} | ${(median(t) / plancher).toFixed(2).replace('.', ',')} × |`);
console.log(`Machine : ${describeMachine()} ; charge au départ ${charge.toFixed(1).replace('.', ',')} ; ${essais} essais alternés, médianes.\n`);
console.log('| commande | médiane | rapport au plancher |\n|---|---|---|');
console.log(lignes.join('\n'));
