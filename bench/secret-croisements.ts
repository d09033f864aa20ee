/**
 * The secrecy pass with and without the coincidences between breakdowns (leak (d) of issue 12): every year of the
 * demo territory's store published together, as the public dashboard and the bilan do (publierLesAnnees over
 * anneesDuSecret), once with the pairs of perimeters sharing allocations handed to the pass (whatever the number of
 * places) and once without them (the baseline, same rows, same run). Then, with --audit, the exact audit of the
 * publication with the pairs, which must find nothing.
 *
 *   nice npx tsx bench/secret-croisements.ts [--echelle epci] [--annee 2024] [--essais 1] [--seuil 11] [--base FICHIER.duckdb] [--garder FICHIER.duckdb] [--resultats FICHIER.json] [--audit] [--une-annee]
 *
 * It measures the year --annee published alone (all its perimeters and periods: the issue's « < 5 s » target), then
 * every year of the store published together (as the dashboard and the bilan do), in the same run; --une-annee
 * stops after the year alone. --audit runs the exact audit of each publication with the pairs (minutes at IDF scale).
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

/** Processor time of this thread (the pass is single-threaded): on a shared, loaded machine it says more than the wall-clock time. */
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const n = (x: number) => x.toLocaleString('fr-FR');

/** The passes without and with the pairs over one publication (same rows, same run), and optionally its exact audit. */
async function mesurer(resultats: readonly IndicatorResults[]): Promise<string> {
  const rows = resultats.flatMap((r) => r.indicateurs);
  const contextes = resultats.map((r) => r.contexte);
  const lieux = contextes.reduce((k, c) => k + Object.values(c.croisements?.lieux ?? {}).reduce((m, l) => m + l.length / 5, 0), 0);
  console.error(`${resultats.length} année(s) (${resultats.map((r) => r.annee).join(', ')}), ${rows.length} lignes, ${lieux} lieux`);
  const sans: number[] = [];
  const avec: number[] = [];
  const cpuSans: number[] = [];
  const cpuAvec: number[] = [];
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
  // A masked zero the published counts give back counts no household (docs/security.md): told apart from the others.
  const brut = (f: { indicateur: string; perimetre_type: string; perimetre_id: string; periode: string; valeur: string }) => {
    const r = rows.find((x) => x.indicateur === f.indicateur && x.perimetre_type === f.perimetre_type && x.perimetre_id === f.perimetre_id && x.periode === f.periode);
    return f.valeur === 'numerateur' ? r?.numerateur : f.valeur === 'denominateur' ? r?.denominateur : undefined;
  };
  const nonNuls = audit?.result.filter((f) => brut(f) !== 0).length ?? 0;
  for (const f of audit?.result.slice(0, 20) ?? []) console.error(`recalculable : ${f.indicateur} ${f.perimetre_type} ${f.perimetre_id} ${f.periode} ${f.valeur} = ${brut(f)}`);
  const rapport = median(avec) / median(sans);
  const rapportCpu = median(cpuAvec) / median(cpuSans);
  return `| ${values.echelle} | ${resultats.map((r) => r.annee).join(', ')} | ${n(rows.length)} | ${n(lieux)} | ${seconds(median(sans))} (${seconds(median(cpuSans))}) | ${n(masques(publiesSans))} | ${seconds(median(avec))} (${seconds(median(cpuAvec))}) | ${n(masques(publies))} | × ${rapport.toFixed(2).replace('.', ',')} (× ${rapportCpu.toFixed(2).replace('.', ',')}) | ${(median(avec) / 5000).toFixed(2).replace('.', ',')} | ${audit ? seconds(audit.ms) : '—'} | ${audit ? `${n(audit.result.length)} (dont ${n(nonNuls)} non nulles)` : '—'} |`;
}

try {
  const toutes = await resultatsDesAnnees();
  // The year alone (the issue's target: « all perimeters and periods of a year » in < 5 s), then every year the
  // dashboard and the bilan publish together, in the same run (unless --une-annee).
  const publications = [toutes.filter((r) => r.annee === annee)];
  if (!values['une-annee'] && toutes.length > 1) publications.push(toutes);
  const lignes: string[] = [];
  for (const p of publications) lignes.push(await mesurer(p));
  console.log(`Machine : ${describeMachine()} ; médianes de ${essais} essai(s) ; seuil ${seuil} ; charge au départ ${loadavg()[0]?.toFixed(1)}.`);
  console.log('');
  console.log(
    '| échelle | années publiées ensemble | lignes | lieux | passe sans les paires (base) : durée (processeur) | lignes masquées | passe avec les paires : durée (processeur) | lignes masquées | avec / sans : durée (processeur) | avec les paires / cible de 5 s | audit exact avec les paires | cases recalculables |',
  );
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const l of lignes) console.log(l);
} finally {
  rmSync(dossier, { recursive: true, force: true });
}
