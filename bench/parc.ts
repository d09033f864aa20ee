/**
 * Stock benchmark (issue 14): `mixite parc` — one row per dwelling with its reference Q1 household, APL, effort rate,
 * affordability under each hypothesis and residence class, written to a CSV file — on the demo territory of a scale
 * (idf: ≈ 1.25 million dwellings), target under 5 s. Baselines measured in the same run, on the same store:
 * - the same dwellings written by a plain COPY (the dwelling's columns and its commune's zone, no computation): what
 *   reading and writing the rows cost by themselves;
 * - the stock aggregates behind GET /api/parc (analyserParc: the same computation, then counts by commune, QPV,
 *   bailleur, typology, financing, and the crossing with the year's leases).
 *
 *   nice npx tsx bench/parc.ts [--echelle idf] [--annee 2024] [--essais 3] [--base FICHIER.duckdb]
 *
 * Generates and imports the demo territory into a temporary folder unless --base names an imported store.
 * A benchmark, not a test: nothing fails on a slow machine.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parcCommand } from '@mixite/cli/src/commands/parc.ts';
import { Store, analyserParc, importDataset } from '@mixite/data';
import type { Echelle } from '@mixite/demo';
import { generateDemo } from '@mixite/demo';
import { describeMachine, median, seconds, timed } from './machine.ts';

const { values } = parseArgs({
  options: { echelle: { type: 'string', default: 'idf' }, annee: { type: 'string', default: '2024' }, essais: { type: 'string', default: '3' }, base: { type: 'string' } },
});
const annee = Number(values.annee);
const essais = Math.max(1, Number(values.essais));
const dossier = mkdtempSync(join(tmpdir(), 'mixite-bench-parc-'));

try {
  let base = values.base;
  if (!base) {
    const jeu = join(dossier, 'jeu');
    const gen = await timed(() => generateDemo({ out: jeu, echelle: values.echelle as Echelle, graine: 1 }));
    console.error(`démo ${values.echelle} générée en ${seconds(gen.ms)} (${gen.result.fichiers['logements.csv'] ?? '?'} logements)`);
    base = join(dossier, 'base.duckdb');
    const store = await Store.open(base);
    const imp = await timed(() => importDataset(store, [jeu]));
    store.close();
    console.error(`importée en ${seconds(imp.ms)}`);
  }

  const store = await Store.open(base);
  const [{ n }] = (await store.all<{ n: number }>('SELECT count(*)::INTEGER AS n FROM logements')) as [{ n: number }];
  const simple: number[] = [];
  const agregats: number[] = [];
  for (let i = 0; i <= essais; i++) {
    const fichier = join(dossier, `simple-${i}.csv`);
    const t = await timed(() =>
      store.run(
        `COPY (SELECT l.id, l.residence_id, l.code_insee, l.code_qpv, l.nb_pieces, l.loyer, l.charges, c.zone_apl FROM logements l JOIN communes c ON c.code_insee = l.code_insee ORDER BY l.id) TO '${fichier}' (FORMAT csv, HEADER, DELIMITER ';')`,
      ),
    );
    const a = await timed(() => analyserParc(store, annee, { kind: 'territoire' }));
    // The first round warms DuckDB's caches: not counted.
    if (i > 0) {
      simple.push(t.ms);
      agregats.push(a.ms);
    }
    if (i === essais) console.error(`abordables (${a.result.hypotheses.join(' / ')}) : ${a.result.total.abordables.join(' / ')} sur ${a.result.total.logements}`);
  }
  store.close();

  // The command itself, as a user runs it: opening the base (integrity check included), computing, writing the file.
  const commande: number[] = [];
  let taille = 0;
  for (let i = 0; i <= essais; i++) {
    const fichier = join(dossier, `parc-${i}.csv`);
    const t = await timed(() => parcCommand(['--base', base as string, '--annee', String(annee), '--out', fichier]));
    if (t.result !== 0) throw new Error(`mixite parc a échoué (code ${t.result})`);
    taille = statSync(fichier).size;
    if (i > 0) commande.push(t.ms);
  }

  console.log(`Machine : ${describeMachine()} ; médianes de ${essais} essais après un essai de chauffe ; ${n.toLocaleString('fr-FR')} logements, année ${annee}.`);
  console.log('');
  console.log('| échelle | logements | `mixite parc` (fichier CSV) | COPY simple des mêmes logements | agrégats de GET /api/parc | taille du CSV |');
  console.log('|---|---:|---:|---:|---:|---:|');
  console.log(
    `| ${values.base ? 'base fournie' : values.echelle} | ${n.toLocaleString('fr-FR')} | ${seconds(median(commande))} | ${seconds(median(simple))} | ${seconds(median(agregats))} | ${(taille / 2 ** 20).toFixed(0)} Mo |`,
  );
} finally {
  rmSync(dossier, { recursive: true, force: true });
}
