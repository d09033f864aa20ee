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
const mesure = async <T>(nom: string, f: () => Promise<T>): Promise<{ ms: number; r: T }> => {
  const debut = performance.now();
  const r = await f();
  const ms = performance.now() - debut;
  console.error(`${nom} : ${(ms / 1000).toFixed(2)} s`);
  return { ms, r };
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
    let propositions = 0;
    for (let i = 0; i < essais; i++) {
      simples.push(
        (
          await mesure('référence SQL simple', () =>
            store.all(
              `SELECT bailleur_id, motif_refus, count(*) FILTER (WHERE issue = 'refus_demandeur') AS refus, count(*) AS propositions
               FROM attributions WHERE decision = 'attribution' AND coalesce(issue, '') <> 'non_proposee' AND year(date_cal) = $1 GROUP BY ALL`,
              [annee],
            ),
          )
        ).ms,
      );
      const o = await mesure('observatoire des refus et mutations', () => analyserRefus(store, { annee }));
      complets.push(o.ms);
      propositions = o.r.ensemble.propositions;
    }
    console.log(`Machine : ${describeMachine()} — ${taille?.d} demandes, ${taille?.a} attributions, ${taille?.r} résidences, année ${annee} (${propositions} propositions), ${essais} essais`);
    console.log('| étape | médiane | essais |\n|---|---|---|');
    console.log(`| référence : SQL simple (refus et propositions par bailleur × motif, sans résolution) | ${(mediane(simples) / 1000).toFixed(2)} s | ${simples.map((m) => (m / 1000).toFixed(2)).join(' ; ')} |`);
    console.log(`| observatoire des refus et des mutations (\`analyserRefus\`) | ${(mediane(complets) / 1000).toFixed(2)} s | ${complets.map((m) => (m / 1000).toFixed(2)).join(' ; ')} |`);
  } finally {
    store.close();
  }
} finally {
  rmSync(travail, { recursive: true, force: true });
}
