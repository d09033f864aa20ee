/**
 * Refusal observatory benchmark (issue 15): for one year, `analyserRefus` — the proposals resolved once (requests,
 * dwellings, Q1 thresholds), refusal rates and motives by seven breakdowns with the year before, the trend, the most
 * refused residences, the refusals before each lease, and the mutations (satisfaction over five years, internal /
 * inter-bailleurs, flux exclusions). Target: under 3 s at Île-de-France scale.
 *
 * Baseline measured in the same run: the plain SQL an analyst would write — refusals and proposals of the year per
 * bailleur and motive, straight from `attributions`, without the dwelling's or the household's fields — so the cost
 * of the resolution and of the breakdowns reads as the difference.
 *
 *   nice npx tsx bench/refus.ts --echelle idf [--annee 2024] [--essais 3]
 *   nice npx tsx bench/refus.ts --base FICHIER.duckdb [--annee 2024]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Store, analyserRefus, importDataset } from '@mixite/data';
import type { Echelle } from '@mixite/demo';
import { generateDemo } from '@mixite/demo';
import { describeMachine } from './machine.ts';

const { values } = parseArgs({ options: { echelle: { type: 'string' }, base: { type: 'string' }, annee: { type: 'string' }, essais: { type: 'string' } } });
const annee = Number(values.annee ?? 2024);
const essais = Math.max(1, Number(values.essais ?? 3));
const travail = mkdtempSync(join(tmpdir(), 'mixite-bench-refus-'));
// The process's CPU time too (DuckDB runs in this process): on a machine shared with other work it varies less than
// the wall-clock time.
const mesure = async <T>(nom: string, f: () => Promise<T>): Promise<{ ms: number; cpu: number; r: T }> => {
  const debut = performance.now();
  const cpu0 = process.cpuUsage();
  const r = await f();
  const ms = performance.now() - debut;
  const c = process.cpuUsage(cpu0);
  const cpu = (c.user + c.system) / 1000;
  console.error(`${nom} : ${(ms / 1000).toFixed(2)} s (processeur ${(cpu / 1000).toFixed(2)} s)`);
  return { ms, cpu, r };
};
const mediane = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

try {
  let base = values.base;
  if (!base) {
    const dir = join(travail, 'jeu');
    await mesure('génération', () => generateDemo({ out: dir, echelle: (values.echelle ?? 'idf') as Echelle, graine: 1 }));
    base = join(travail, 'base.duckdb');
    const s = await Store.open(base);
    await mesure('import', () => importDataset(s, [dir]));
    s.close();
  }
  const store = await Store.open(base);
  try {
    const [taille] = await store.all<{ d: number; a: number; r: number }>(
      `SELECT (SELECT count(*) FROM demandes)::INTEGER AS d, (SELECT count(*) FROM attributions)::INTEGER AS a, (SELECT count(*) FROM residences)::INTEGER AS r`,
    );
    const simples: number[] = [];
    const complets: number[] = [];
    const cpuSimples: number[] = [];
    const cpuComplets: number[] = [];
    let propositions = 0;
    for (let i = 0; i < essais; i++) {
      const s = await mesure('référence SQL simple', () =>
        store.all(
          `SELECT bailleur_id, motif_refus, count(*) FILTER (WHERE issue = 'refus_demandeur') AS refus, count(*) AS propositions
           FROM attributions WHERE decision = 'attribution' AND coalesce(issue, '') <> 'non_proposee' AND year(date_cal) = $1 GROUP BY ALL`,
          [annee],
        ),
      );
      simples.push(s.ms);
      cpuSimples.push(s.cpu);
      const o = await mesure('observatoire des refus et mutations', () => analyserRefus(store, { annee }));
      complets.push(o.ms);
      cpuComplets.push(o.cpu);
      propositions = o.r.ensemble.propositions;
    }
    console.log(`Machine : ${describeMachine()} — ${taille?.d} demandes, ${taille?.a} attributions, ${taille?.r} résidences, année ${annee} (${propositions} propositions), ${essais} essais`);
    const s = (xs: number[]) => `${(mediane(xs) / 1000).toFixed(2)} s`;
    console.log('| étape | médiane | processeur (médiane) | essais |\n|---|---|---|---|');
    console.log(`| référence : SQL simple (refus et propositions par bailleur × motif, sans résolution) | ${s(simples)} | ${s(cpuSimples)} | ${simples.map((m) => (m / 1000).toFixed(2)).join(' ; ')} |`);
    console.log(`| observatoire des refus et des mutations (\`analyserRefus\`) | ${s(complets)} | ${s(cpuComplets)} | ${complets.map((m) => (m / 1000).toFixed(2)).join(' ; ')} |`);
  } finally {
    store.close();
  }
} finally {
  rmSync(travail, { recursive: true, force: true });
}
