/**
 * `npx tsx bench/demarrage.ts [--essais 15]`: start-up of the command line (issue 18, decision 0008). Alternates, in
 * one run, Node alone (`node -e 0`, the floor), the compiled CLI and the CLI run from its sources through tsx, for
 * `mixite --aide` and `mixite indicateurs --aide` (which loads the command's modules). Medians, and ratios to the
 * floor measured in the same run: the machine is shared, its absolute times drift.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { describeMachine, median } from './machine.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { essais: { type: 'string', default: '15' } } });
const essais = Math.max(3, Number(values.essais));

const compile = spawnSync(process.execPath, [join(ROOT, 'packages/cli/bin/compiler.mjs')], { cwd: ROOT, encoding: 'utf8' });
if (compile.status !== 0) throw new Error(`compilation impossible : ${compile.stderr}`);

const COMPILED = join(ROOT, 'packages/cli/.compile/main.js');
const BIN = join(ROOT, 'packages/cli/bin/mixite.js');
const cas = {
  'node -e 0 (plancher)': { args: ['-e', '0'], env: {} },
  'mixite --aide, compilé': { args: [COMPILED, '--aide'], env: {} },
  'mixite --aide, sources (tsx)': { args: [BIN, '--aide'], env: { MIXITE_SOURCES: '1' } },
  'mixite indicateurs --aide, compilé': { args: [COMPILED, 'indicateurs', '--aide'], env: {} },
  'mixite indicateurs --aide, sources (tsx)': { args: [BIN, 'indicateurs', '--aide'], env: { MIXITE_SOURCES: '1' } },
} as const;

const temps = new Map<string, number[]>(Object.keys(cas).map((k) => [k, []]));
for (let i = 0; i < essais; i++) {
  for (const [nom, c] of Object.entries(cas)) {
    const start = performance.now();
    const r = spawnSync(process.execPath, c.args, { cwd: ROOT, env: { ...process.env, ...c.env }, stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`${nom} : code ${r.status}`);
    temps.get(nom)?.push(performance.now() - start);
  }
}
const plancher = median(temps.get('node -e 0 (plancher)') ?? []);
const lignes = [...temps].map(([nom, t]) => `| ${nom} | ${Math.round(median(t))} ms | ${(median(t) / plancher).toFixed(2).replace('.', ',')} × |`);
console.log(`Machine : ${describeMachine()} ; ${essais} essais alternés, médianes.\n`);
console.log('| commande | médiane | rapport au plancher |\n|---|---|---|');
console.log(lignes.join('\n'));
