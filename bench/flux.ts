/**
 * Gestion en flux benchmark (issue 13): for one year, the flux of every bailleur (`calculerFlux`: forecast from the
 * previous years, rights, orientations, carried balances, breakdowns, months), the R441-5-1 bilan of every bailleur
 * as CSV (`bilanFlux` + `bilanFluxCsv`, written to a file), then the Word and Excel files of every bailleur and the
 * EPCI workbook (`ecrireBilansFlux`). Targets: under 5 s for the CSV, under 30 s for all Word/Excel files at
 * Île-de-France scale.
 *
 * Baseline measured in the same run: the obvious plain SQL an analyst would write — distinct dwellings proposed and
 * let per bailleur × contingent in the year, no breakdown — so the cost of the dimensions and the files reads as the
 * difference.
 *
 *   nice npx tsx bench/flux.ts --echelle idf [--annee 2024]
 *   nice npx tsx bench/flux.ts --base FICHIER.duckdb [--annee 2024]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bilanFluxCsv } from '@mixite/core';
import { Store, bilanFlux, calculerFlux, importDataset } from '@mixite/data';
import type { Echelle } from '@mixite/demo';
import { generateDemo } from '@mixite/demo';
import { ecrireBilansFlux } from '@mixite/reports';
import { describeMachine } from './machine.ts';

const { values } = parseArgs({ options: { echelle: { type: 'string' }, base: { type: 'string' }, annee: { type: 'string' } } });
const annee = Number(values.annee ?? 2024);
const travail = mkdtempSync(join(tmpdir(), 'mixite-bench-flux-'));
/**
 * Wall time, and the process's CPU time (every thread, DuckDB's included): on a machine shared with other work the
 * wall time swings with the load, the CPU time much less.
 */
const mesure = async <T>(nom: string, f: () => Promise<T>): Promise<{ ms: number; cpu: number; r: T }> => {
  const debut = performance.now();
  const cpu0 = process.cpuUsage();
  const r = await f();
  const ms = performance.now() - debut;
  const u = process.cpuUsage(cpu0);
  const cpu = (u.user + u.system) / 1000;
  console.error(`${nom} : ${(ms / 1000).toFixed(2)} s (processeur ${(cpu / 1000).toFixed(2)} s)`);
  return { ms, cpu, r };
};
const duree = (m: { ms: number; cpu: number }) => `${(m.ms / 1000).toFixed(2)} s | ${(m.cpu / 1000).toFixed(2)} s`;

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
    const [taille] = await store.all<{ b: number; c: number; a: number; l: number }>(
      `SELECT (SELECT count(*) FROM bailleurs)::INTEGER AS b, (SELECT count(*) FROM conventions)::INTEGER AS c,
              (SELECT count(*) FROM attributions)::INTEGER AS a, (SELECT count(*) FROM logements)::INTEGER AS l`,
    );
    const plain = await mesure('référence SQL simple', () =>
      store.all(
        `SELECT coalesce(a.bailleur_id, l.bailleur_id) AS b, coalesce(a.contingent, l.contingent, 'non_reserve:' || coalesce(a.bailleur_id, l.bailleur_id)) AS r,
                count(DISTINCT coalesce(a.logement_id, a.id)) FILTER (WHERE year(a.date_cal) = $1) AS proposes,
                count(DISTINCT coalesce(a.logement_id, a.id)) FILTER (WHERE a.issue = 'bail_signe' AND year(a.date_bail) = $1) AS attribues
         FROM attributions a LEFT JOIN logements l ON l.id = a.logement_id
         WHERE a.decision = 'attribution' AND coalesce(a.issue, '') <> 'non_proposee' GROUP BY ALL`,
        [annee],
      ),
    );
    const flux = await mesure('flux de tous les bailleurs', () => calculerFlux(store, { annee }));
    const csv = await mesure('bilan R441-5-1 CSV (tous les bailleurs)', async () => {
      const lignes = await bilanFlux(store, { annee });
      writeFileSync(join(travail, 'bilan.csv'), bilanFluxCsv(lignes));
      return lignes.length;
    });
    const xlsx = await mesure('bilans Excel (par bailleur + EPCI)', () => ecrireBilansFlux(store, { annee, format: 'xlsx', dossier: join(travail, 'xlsx') }));
    const docx = await mesure('bilans Word (par bailleur)', () => ecrireBilansFlux(store, { annee, format: 'docx', dossier: join(travail, 'docx') }));
    console.log(`Machine : ${describeMachine()} — ${taille?.b} bailleurs, ${taille?.l} logements, ${taille?.a} attributions, ${taille?.c} conventions, année ${annee}`);
    console.log('| étape | durée | temps processeur |\n|---|---:|---:|');
    console.log(`| référence : SQL simple (logements proposés/attribués par bailleur × contingent, sans ventilation) | ${duree(plain)} |`);
    console.log(`| flux, droits, soldes de ${flux.r.bailleurs.length} bailleurs | ${duree(flux)} |`);
    console.log(`| bilan R441-5-1 CSV (${csv.r} lignes) | ${duree(csv)} |`);
    console.log(`| bilans Excel (${xlsx.r.length} fichiers) | ${duree(xlsx)} |`);
    console.log(`| bilans Word (${docx.r.length} fichiers) | ${duree(docx)} |`);
  } finally {
    store.close();
  }
} finally {
  rmSync(travail, { recursive: true, force: true });
}
