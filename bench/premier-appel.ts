/**
 * `npx tsx bench/premier-appel.ts --base FICHIER [--annee 2024] [--demarrages 3] [--appels 30]`: the first dashboard
 * call after a start (issue 18, item 4). Starts the real server (`mixite demarrer`, compiled, API only) as a child
 * process on a copy of the store, `--demarrages` times; each time measures the start (spawn → « Mixité est prêt »),
 * then the first call of the dashboard's main request, `/api/indicateurs?annee=A&perimetre_type=territoire`, then
 * `--appels` calls more of it one after the other (p50, p95), then stops the server. Baselines in the same run:
 * Node alone (`node -e 0`) for the start, and plain DuckDB opening the same store file and counting the year's
 * allocations for the first call (the least a first answer costs: opening the file and reading a column).
 * The store is copied first: the server may migrate it, record its start, and compute what it has not stored.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { describeMachine, median } from './machine.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: { base: { type: 'string' }, annee: { type: 'string', default: '2024' }, demarrages: { type: 'string', default: '3' }, appels: { type: 'string', default: '30' } },
});
if (!values.base || !existsSync(values.base)) throw new Error('indiquez une base importée avec --base FICHIER (par exemple la démonstration idf)');
const annee = Number(values.annee);
const demarrages = Math.max(1, Number(values.demarrages));
const appels = Math.max(5, Number(values.appels));

const compile = spawnSync(process.execPath, [join(ROOT, 'packages/cli/bin/compiler.mjs')], { cwd: ROOT, encoding: 'utf8' });
if (compile.status !== 0) throw new Error(`compilation impossible : ${compile.stderr}`);
const COMPILED = join(ROOT, 'packages/cli/.compile/main.js');

const work = mkdtempSync(join(tmpdir(), 'mixite-bench-premier-appel-'));
const base = join(work, 'base.duckdb');
copyFileSync(resolve(values.base), base);
if (existsSync(`${resolve(values.base)}.wal`)) copyFileSync(`${resolve(values.base)}.wal`, `${base}.wal`);

const CHEMIN = `/api/indicateurs?annee=${annee}&perimetre_type=territoire`;

/** Plain DuckDB: open the file, count the year's allocations, close. */
async function plancherSql(): Promise<{ ms: number; attributions: number }> {
  const start = performance.now();
  const instance = await DuckDBInstance.create(base, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  const reader = await connection.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM attributions WHERE year(date_bail) = ${annee}`);
  const n = Number(reader.getRowObjects()[0]?.['n'] ?? 0);
  connection.closeSync();
  instance.closeSync();
  return { ms: performance.now() - start, attributions: n };
}

function nodeSeul(): number {
  const start = performance.now();
  spawnSync(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  return performance.now() - start;
}

async function appel(url: string): Promise<number> {
  const start = performance.now();
  const response = await fetch(url);
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`${url} : HTTP ${response.status}`);
  return performance.now() - start;
}

interface Demarrage {
  readonly demarrageMs: number;
  readonly premierMs: number;
  readonly suivants: number[];
}

async function unDemarrage(): Promise<Demarrage> {
  const start = performance.now();
  const child = spawn(process.execPath, [COMPILED, 'demarrer'], {
    cwd: work,
    env: { ...process.env, MIXITE_BASE: base, PORT: '0', HOST: '127.0.0.1', MIXITE_API_SEULE: '1', MIXITE_PROGRESS: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let erreurs = '';
  child.stderr.on('data', (d: Buffer) => (erreurs += d.toString()));
  const url = await new Promise<string>((resolvePret, rejeter) => {
    let sortie = '';
    child.stdout.on('data', (d: Buffer) => {
      sortie += d.toString();
      const m = /Mixité est prêt : ouvrez (\S+) /.exec(sortie);
      if (m?.[1]) resolvePret(m[1]);
    });
    child.on('exit', (code) => rejeter(new Error(`le serveur s’est arrêté (code ${code}) : ${erreurs}`)));
  });
  const demarrageMs = performance.now() - start;
  const racine = url.replace(/\/$/, '');
  try {
    const premierMs = await appel(`${racine}${CHEMIN}`);
    const suivants: number[] = [];
    for (let i = 0; i < appels; i++) suivants.push(await appel(`${racine}${CHEMIN}`));
    return { demarrageMs, premierMs, suivants };
  } finally {
    const fin = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await fin;
  }
}

const charge = loadavg()[0] ?? 0;
const mesures: Demarrage[] = [];
const planchers: number[] = [];
const nodes: number[] = [];
let attributions = 0;
for (let i = 0; i < demarrages; i++) {
  nodes.push(nodeSeul());
  const p = await plancherSql();
  planchers.push(p.ms);
  attributions = p.attributions;
  mesures.push(await unDemarrage());
  console.error(`démarrage ${i + 1}/${demarrages} : ${Math.round(mesures.at(-1)?.demarrageMs ?? 0)} ms, premier appel ${Math.round(mesures.at(-1)?.premierMs ?? 0)} ms`);
}
rmSync(work, { recursive: true, force: true });

/** Nearest-rank quantile. */
const quantile = (valeurs: readonly number[], q: number) => {
  const tri = [...valeurs].sort((a, b) => a - b);
  return tri[Math.min(tri.length - 1, Math.ceil(q * tri.length) - 1)] ?? 0;
};
const ms = (t: number) => `${Math.round(t).toLocaleString('fr-FR').replace(/\s/g, ' ')} ms`;
const suivants = mesures.flatMap((m) => m.suivants);

console.log(`Machine : ${describeMachine()} ; charge au départ ${charge.toFixed(1).replace('.', ',')} ; base ${values.base} (${attributions.toLocaleString('fr-FR').replace(/\s/g, ' ')} attributions en ${annee}) ; ${demarrages} démarrages, ${appels} appels après chacun.\n`);
console.log('| mesure | valeur | plancher du même passage |\n|---|---|---|');
console.log(`| démarrage du serveur (lancement → « prêt »), médiane | ${ms(median(mesures.map((m) => m.demarrageMs)))} | Node seul : ${ms(median(nodes))} |`);
console.log(`| premier appel \`${CHEMIN}\`, médiane (max) | ${ms(median(mesures.map((m) => m.premierMs)))} (${ms(Math.max(...mesures.map((m) => m.premierMs)))}) | DuckDB seul, ouvrir la base et compter les attributions de l’année : ${ms(median(planchers))} |`);
console.log(`| appels suivants, p50 / p95 (${suivants.length} appels) | ${ms(quantile(suivants, 0.5))} / ${ms(quantile(suivants, 0.95))} | |`);
