import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FILE_NAMES } from '@mixite/core';
import { Store, checkIntegrity } from '../src/index.ts';
import type { IntegrityProblem } from '../src/index.ts';

/**
 * Kills a real `mixite import` child process (SIGKILL) at chosen moments and reads what the store holds afterwards.
 * Used by the crash test of `npm test` (EPCI scale) and by bench/crash-import.ts (IDF scale, ≥ 20 kills).
 */

export const CLI = fileURLToPath(new URL('../../cli/bin/mixite.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** What an import run printed, with when (ms after spawn). */
export interface RunTrace {
  readonly steps: readonly { readonly at: number; readonly line: string }[];
  readonly exitAt: number;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly output: string;
}

/** When to kill: `delayMs` after the first progress line containing `after` (or after spawn when null). */
export interface KillPlan {
  readonly phase: string;
  readonly after: string | null;
  readonly delayMs: number;
}

/** Runs `mixite import <dataset> --base <base>`, killing it with SIGKILL as planned (or letting it finish). */
export function runImport(dataset: string, base: string, plan: KillPlan | null = null): Promise<RunTrace> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [CLI, 'import', dataset, '--base', base], {
      cwd: ROOT,
      env: { ...process.env, MIXITE_PROGRESS: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const steps: { at: number; line: string }[] = [];
    let output = '';
    let armed = false;
    const arm = () => {
      armed = true;
      setTimeout(() => child.kill('SIGKILL'), plan?.delayMs ?? 0);
    };
    if (plan && plan.after === null) arm();
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      for (const line of text.split(/[\r\n]+/).filter(Boolean)) {
        steps.push({ at: Date.now() - started, line });
        if (plan && !armed && plan.after !== null && line.includes(plan.after)) arm();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ steps, exitAt: Date.now() - started, code, signal, output }));
  });
}

/** A store's content in a few numbers per table: row count and an order-independent checksum of the rows. */
export type Signature = Record<string, { readonly lignes: number; readonly somme: string }>;

const TABLES = [...FILE_NAMES, 'imports', 'configuration', 'etat_tables'] as const;
/** The history tables hold the time of the run: only the columns that two runs of the same import share. */
const STABLE_COLUMNS: Record<string, string> = {
  imports: 'id, statut, fichiers',
  configuration: 'version, auteur, origine, contenu',
  etat_tables: 'nom, lignes, import_id, origine',
};

/**
 * Opens the store the way the CLI and the server do (Store.open: an interrupted load is put back first), then reads
 * its signature with plain SQL and runs the integrity check.
 */
export async function inspect(base: string): Promise<{ signature: Signature; problems: IntegrityProblem[] }> {
  const store = await Store.open(base);
  try {
    const signature: Signature = {};
    for (const table of TABLES) {
      // hash() of the whole row (a STRUCT, the free-column MAP included); the sum ignores the order of rows.
      const [row] = await store.all<{ lignes: number; somme: string | null }>(
        `SELECT count(*)::INTEGER AS lignes, sum(hash(t))::VARCHAR AS somme FROM (SELECT ${STABLE_COLUMNS[table] ?? '*'} FROM "${table}") t`,
      );
      signature[table] = { lignes: row?.lignes ?? 0, somme: row?.somme ?? '0' };
    }
    return { signature, problems: await checkIntegrity(store) };
  } finally {
    store.close();
  }
}

export type Outcome = 'ancien' | 'nouveau' | 'melange';

export function compare(found: Signature, ancien: Signature, nouveau: Signature): Outcome {
  const same = (a: Signature, b: Signature) => TABLES.every((t) => a[t]?.lignes === b[t]?.lignes && a[t]?.somme === b[t]?.somme);
  if (same(found, ancien)) return 'ancien';
  if (same(found, nouveau)) return 'nouveau';
  return 'melange';
}

/** The tables whose content differs from both expected states (what a mixed store mixes). */
export function differing(found: Signature, ancien: Signature, nouveau: Signature): string[] {
  return TABLES.filter((t) => {
    const f = found[t];
    const eq = (s: Signature) => s[t]?.lignes === f?.lignes && s[t]?.somme === f?.somme;
    return !eq(ancien) && !eq(nouveau);
  }).map((t) => `${t} (${found[t]?.lignes} lignes ; ancien ${ancien[t]?.lignes}, nouveau ${nouveau[t]?.lignes})`);
}

/** Copies a closed store file (and nothing else: no WAL, no leftover copy) to `to`, after removing what `to` had. */
export function copyStore(from: string, to: string): void {
  removeStore(to);
  copyFileSync(from, to);
}

export function removeStore(path: string): void {
  if (!existsSync(dirname(path))) return;
  for (const entry of readdirSync(dirname(path))) {
    if (entry === basename(path) || entry.startsWith(`${basename(path)}.`)) rmSync(join(dirname(path), entry), { recursive: true, force: true });
  }
}

/** The progress lines a reference run printed, as kill anchors: phase name, line to wait for, and how long it lasted. */
export function phasesOf(trace: RunTrace): KillPlan[] {
  const first = (needle: string) => trace.steps.find((s) => s.line.startsWith(needle));
  const chargements = trace.steps.filter((s) => s.line.startsWith('Chargement'));
  const validation = first('Validation');
  const references = first('Références');
  const chargement = chargements[0];
  const dernier = chargements.at(-1);
  const plans: KillPlan[] = [];
  const span = (from: number, to: number | undefined) => Math.max(50, (to ?? trace.exitAt) - from);
  plans.push({ phase: 'lecture et mise en attente', after: null, delayMs: span(0, references?.at) });
  if (validation) plans.push({ phase: 'contrôles', after: 'Validation', delayMs: span(validation.at, chargement?.at) });
  if (references) plans.push({ phase: 'références croisées', after: 'Références', delayMs: span(references.at, chargement?.at) });
  if (chargement) plans.push({ phase: 'chargement', after: chargement.line, delayMs: span(chargement.at, dernier?.at) });
  if (dernier) plans.push({ phase: 'validation (commit) et checkpoint', after: dernier.line, delayMs: span(dernier.at, trace.exitAt) });
  return plans;
}

/** A random kill moment within one of the phases (each phase in turn, so that all are covered). */
export function randomKill(phases: readonly KillPlan[], index: number, random: () => number = Math.random): KillPlan {
  const p = phases[index % phases.length] as KillPlan;
  return { ...p, delayMs: Math.round(random() * p.delayMs) };
}

/**
 * The new dataset of a crash test: the old one with every third allocation removed — certainly valid whatever the
 * import checks, and different from the old one (a mixed store differs from both, since all tables are replaced).
 */
export function deriveNewDataset(from: string, to: string): string {
  rmSync(to, { recursive: true, force: true });
  cpSync(from, to, { recursive: true });
  const path = join(to, 'attributions.csv');
  const [header, ...rows] = readFileSync(path, 'utf8').split('\n').filter((l) => l !== '');
  writeFileSync(path, `${[header, ...rows.filter((_, i) => i % 3 !== 2)].join('\n')}\n`);
  return to;
}
