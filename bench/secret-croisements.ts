/**
 * The secrecy pass with and without the coincidences between breakdowns (leak (d) of issue 12): every year of the
 * demo territory's store published together, as the public dashboard and the bilan do (publierLesAnnees over
 * anneesDuSecret), once with the pairs of perimeters sharing allocations handed to the pass (whatever the number of
 * places) and once without them (the baseline, same rows, same run). Then, with --audit, the exact audit of the
 * publication with the pairs, which must find nothing.
 *
 *   nice npx tsx bench/secret-croisements.ts [--echelle epci] [--annee 2024] [--essais 1] [--seuil 11] [--base FICHIER.duckdb] [--garder FICHIER.duckdb] [--resultats FICHIER.json] [--audit] [--une-annee]
 *
 * --une-annee publishes the year --annee alone (all its perimeters and periods: the issue's « < 5 s » target) instead
 * of every year the bilan shows together.
 *
 * --resultats keeps the engine's results in a JSON file (read back when it exists: the pass alone is then timed,
 * without generating, importing or computing again).
 * A benchmark, not a test: nothing fails on a slow machine.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { IndicatorResults, PublishedIndicatorRow } from '@mixite/core';
import { appliquerSecret, auditerSecret, optionsDuSecret } from '@mixite/core';
import { Store, anneesDuSecret, calculerIndicateurs, importDataset } from '@mixite/data';
import type { Echelle } from '@mixite/demo';
import { generateDemo } from '@mixite/demo';
import { describeMachine, median, seconds, timed } from './machine.ts';

const { values } = parseArgs({
  options: {
    echelle: { type: 'string', default: 'epci' },
    annee: { type: 'string', default: '2024' },
    essais: { type: 'string', default: '1' },
    seuil: { type: 'string', default: '11' },
    base: { type: 'string' },
    garder: { type: 'string' },
    resultats: { type: 'string' },
    audit: { type: 'boolean', default: false },
    'une-annee': { type: 'boolean', default: false },
  },
});
const annee = Number(values.annee);
const essais = Math.max(1, Number(values.essais));
const seuil = Number(values.seuil);
const dossier = mkdtempSync(join(tmpdir(), 'mixite-bench-croisements-'));

async function resultatsDesAnnees(): Promise<IndicatorResults[]> {
  if (values.resultats && existsSync(values.resultats)) return JSON.parse(readFileSync(values.resultats, 'utf8')) as IndicatorResults[];
  let base = values.base;
  if (!base) {
    const jeu = join(dossier, 'jeu');
    const gen = await timed(() => generateDemo({ out: jeu, echelle: values.echelle as Echelle, graine: 1 }));
    console.error(`démo ${values.echelle} générée en ${seconds(gen.ms)}`);
    base = values.garder ?? join(dossier, 'base.duckdb');
    const store = await Store.open(base);
    const imp = await timed(() => importDataset(store, [jeu]));
    store.close();
    console.error(`importée en ${seconds(imp.ms)}`);
  }
  const store = await Store.open(base);
  try {
    const out: IndicatorResults[] = [];
    for (const a of await anneesDuSecret(store, annee)) out.push(await calculerIndicateurs(store, { annee: a }));
    if (values.resultats) writeFileSync(values.resultats, JSON.stringify(out));
    return out;
  } finally {
    store.close();
  }
}

try {
  const toutes = await resultatsDesAnnees();
  const resultats = values['une-annee'] ? toutes.filter((r) => r.annee === annee) : toutes;
  const rows = resultats.flatMap((r) => r.indicateurs);
  const contextes = resultats.map((r) => r.contexte);
  const lieux = contextes.reduce((n, c) => n + Object.values(c.croisements?.lieux ?? {}).reduce((m, l) => m + l.length / 5, 0), 0);
  console.error(`${resultats.length} années (${resultats.map((r) => r.annee).join(', ')}), ${rows.length} lignes, ${lieux} lieux`);
  const sans: number[] = [];
  const avec: number[] = [];
  // Processor time of the pass (one thread): on a shared, loaded machine it says more than the wall-clock time.
  const cpuSans: number[] = [];
  const cpuAvec: number[] = [];
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  let publies: PublishedIndicatorRow[] = [];
  let publiesSans: PublishedIndicatorRow[] = [];
  for (let i = 0; i < essais; i++) {
    let c0 = cpu();
    const a = await timed(async () => appliquerSecret(rows, { seuil, ...optionsDuSecret(contextes, 0) }));
    cpuSans.push(cpu() - c0);
    sans.push(a.ms);
    publiesSans = a.result;
    console.error(`sans les paires : ${seconds(a.ms)} (processeur ${seconds(cpuSans.at(-1) as number)})`);
    c0 = cpu();
    const b = await timed(async () => appliquerSecret(rows, { seuil, ...optionsDuSecret(contextes, Number.POSITIVE_INFINITY) }));
    cpuAvec.push(cpu() - c0);
    avec.push(b.ms);
    publies = b.result;
    console.error(`avec les paires : ${seconds(b.ms)} (processeur ${seconds(cpuAvec.at(-1) as number)})`);
  }
  const masques = (p: readonly PublishedIndicatorRow[]) => p.filter((r) => r.secret !== null).length;
  const audit = values.audit ? await timed(async () => auditerSecret(publies, { ...optionsDuSecret(contextes, Number.POSITIVE_INFINITY), seuil })) : null;
  for (const f of audit?.result.slice(0, 20) ?? []) console.error(`recalculable : ${f.indicateur} ${f.perimetre_type} ${f.perimetre_id} ${f.periode} ${f.valeur}`);
  const n = (x: number) => x.toLocaleString('fr-FR');
  console.log(`Machine : ${describeMachine()} ; médianes de ${essais} essai(s) ; seuil ${seuil} ; charge au départ ${loadavg()[0]?.toFixed(1)}.`);
  console.log('');
  console.log('| échelle | années publiées ensemble | lignes | lieux | passe sans les paires (base) : durée (processeur) | lignes masquées | passe avec les paires : durée (processeur) | lignes masquées | audit exact avec les paires | cases recalculables |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  console.log(
    `| ${values.echelle} | ${resultats.map((r) => r.annee).join(', ')} | ${n(rows.length)} | ${n(lieux)} | ${seconds(median(sans))} (${seconds(median(cpuSans))}) | ${n(masques(publiesSans))} | ${seconds(median(avec))} (${seconds(median(cpuAvec))}) | ${n(masques(publies))} | ${audit ? seconds(audit.ms) : '—'} | ${audit ? n(audit.result.length) : '—'} |`,
  );
} finally {
  rmSync(dossier, { recursive: true, force: true });
}
