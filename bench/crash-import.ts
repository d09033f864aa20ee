/**
 * Crash test of the import at scale (issue 10, decision 0004): kills a real `mixite import` with SIGKILL at random
 * moments — while reading and staging, during the checks, while loading, at commit and checkpoint — and checks that
 * the store, opened again as the CLI and the server open it, holds exactly the old state or exactly the new one
 * (row counts and checksums of every table, plain SQL) and passes the integrity check.
 *
 *   npx tsx bench/crash-import.ts --echelle idf --kills 20
 *   npx tsx bench/crash-import.ts --ancien DOSSIER_A --nouveau DOSSIER_B --kills 20   (datasets already written)
 *
 * The old state is dataset A (demo, seed 1) imported into an empty store; the new state, dataset B imported over it
 * (--nouveau, or A with every third allocation removed).
 * Exit code 1 if any run leaves anything else.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateDemo } from '@mixite/demo';
import type { Echelle } from '@mixite/demo';
import { describeProblem } from '@mixite/data';
import type { Outcome, Signature } from '../packages/data/test/crash-harness.ts';
import { compare, copyStore, deriveNewDataset, differing, inspect, phasesOf, randomKill, removeStore, runImport } from '../packages/data/test/crash-harness.ts';

const { values } = parseArgs({
  options: {
    echelle: { type: 'string', default: 'idf' },
    kills: { type: 'string', default: '20' },
    ancien: { type: 'string' },
    nouveau: { type: 'string' },
    dossier: { type: 'string' },
  },
});
const kills = Number(values.kills);
const work = values.dossier ?? mkdtempSync(join(tmpdir(), 'mixite-crash-'));
mkdirSync(work, { recursive: true });
const log = (m: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`);

async function dataset(name: string, graine: number, given: string | undefined): Promise<string> {
  if (given) return given;
  const out = join(work, name);
  log(`génération du jeu ${name} (${values.echelle}, graine ${graine})…`);
  await generateDemo({ out, echelle: values.echelle as Echelle, graine });
  return out;
}

const a = await dataset('jeu-a', 1, values.ancien);
const b = values.nouveau ?? deriveNewDataset(a, join(work, 'jeu-b'));
const oldBase = join(work, 'ancien.duckdb');
const newBase = join(work, 'nouveau.duckdb');
const victim = join(work, 'victime.duckdb');

removeStore(oldBase);
log('import de référence du jeu A (état ancien)…');
const first = await runImport(a, oldBase);
if (first.code !== 0) throw new Error(`l’import du jeu A a échoué :\n${first.output.slice(-3000)}`);
copyStore(oldBase, newBase);
log('import de référence du jeu B par-dessus (état nouveau)…');
const reference = await runImport(b, newBase);
if (reference.code !== 0) throw new Error(`l’import du jeu B a échoué :\n${reference.output.slice(-3000)}`);
log(`import de référence : ${(reference.exitAt / 1000).toFixed(1)} s`);
const ancien: Signature = (await inspect(oldBase)).signature;
const nouveau: Signature = (await inspect(newBase)).signature;
let phases = phasesOf(reference);
for (const p of phases) log(`  phase « ${p.phase} » : ${(p.delayMs / 1000).toFixed(1)} s`);

// Only runs actually killed count: one that ends before its signal (the machine got faster than the reference run)
// recalibrates the phases on its own timings and is tried again, at most three times the number of kills.
const counts: Record<Outcome, number> = { ancien: 0, nouveau: 0, melange: 0 };
let damaged = 0;
let killed = 0;
let attempts = 0;
while (killed < kills && attempts < kills * 3) {
  copyStore(oldBase, victim);
  const plan = randomKill(phases, killed);
  attempts += 1;
  const trace = await runImport(b, victim, plan);
  const { signature, problems } = await inspect(victim);
  const outcome = compare(signature, ancien, nouveau);
  counts[outcome] += 1;
  if (problems.length > 0) damaged += 1;
  if (trace.signal === 'SIGKILL') killed += 1;
  else if (trace.code === 0) phases = phasesOf(trace);
  const how = trace.signal === 'SIGKILL' ? `tué à ${(trace.exitAt / 1000).toFixed(1)} s` : `fini avant le signal (code ${trace.code}), non compté`;
  log(`${String(killed).padStart(2)}/${kills} ${plan.phase} +${plan.delayMs} ms, ${how} → ${outcome}${problems.length ? ` ; intégrité : ${problems.map(describeProblem).join(' ; ')}` : ''}`);
  if (outcome === 'melange') log(`   tables ni anciennes ni nouvelles : ${differing(signature, ancien, nouveau).join(', ')}`);
}
removeStore(victim);
log(`Résultat : ${killed} processus tués pendant l’import (${attempts} essais) — ${counts.ancien} état ancien, ${counts.nouveau} état nouveau, ${counts.melange} mélangé ; ${damaged} refusé(s) par le contrôle d’intégrité.`);
if (!values.dossier && !values.ancien) rmSync(work, { recursive: true, force: true });
process.exit(counts.melange === 0 && damaged === 0 && killed >= kills ? 0 : 1);
