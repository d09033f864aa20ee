/**
 * The Parquet observatory (issue 18, item 5): every EPCI's targets of a year, computed in one run from a folder of
 * many EPCIs' Parquet files (`indicateursDesEpci`, the engine on views), against a plain-SQL baseline in the same run:
 * the indicators hand-written in plain DuckDB SQL (bench/indicators.ts) over the very same views, EPCI by EPCI.
 *
 * `npx tsx bench/observatoire-parquet.ts --dossier DIR [--annee AAAA] [--un-par-un K]`: a folder as it is, in either
 * layout (disposition.ts), e.g. the national demo split by `mixite exporter --format parquet --par-epci` (grouped) or
 * gathered one folder per EPCI and year (docs/observatoire-parquet.md). Also measured: every file of the folder opened
 * once, what the layout alone costs.
 * `npx tsx bench/observatoire-parquet.ts [--copies N] [--annee AAAA] [--echelle epci|idf]`: a folder made of N copies
 * of the demo territory at the given scale, each filed under its own SIREN by `exporterParquet`.
 *
 * Measured in the same run: the one-pass engine over the folder (indicateursDesEpci: every EPCI, every target,
 * perimeter and period of the year, the demand side, the limits); the floor, a plain DuckDB query over the same files
 * (the leases of the window joined to their request and dwelling, counted per EPCI and commune: the reads and joins
 * any engine pays); and, with --un-par-un K, the previous design (each EPCI loaded then computed alone) on the first
 * K EPCIs, extrapolated to all. The printed ratio is the engine over the floor; the target is the engine < 10 s.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { calculerIndicateurs, configurationCourante } from '@mixite/data';
import { importDataset } from '@mixite/data/import';
import type { TableObservatoire } from '@mixite/data/parquet';
import { DISPOSITIONS, Observatoire, TABLES_OBSERVATOIRE, ecrireFaits, exporterParquet, indicateursDesEpci, lectureParquet, motifFichiers } from '@mixite/data/parquet';
import { Store } from '@mixite/data/store';
import type { Echelle } from '@mixite/demo';
import { generateDemo } from '@mixite/demo';
import { plainDemandSql, plainIndicatorsSql, territoryEpci } from './indicators.ts';

const { values } = parseArgs({
  options: {
    copies: { type: 'string', default: '20' },
    annee: { type: 'string', default: '2024' },
    echelle: { type: 'string', default: 'epci' },
    dossier: { type: 'string' },
    'un-par-un': { type: 'string', default: '0' },
    charger: { type: 'boolean', default: false },
    tours: { type: 'string', default: '2' },
  },
});
const tours = Math.max(1, Number(values.tours));
const copies = Number(values.copies);
const annee = Number(values.annee);
const echelle = values.echelle as Echelle;
const unParUn = Number(values['un-par-un']);
const secondes = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const log = (m: string) => console.error(`[observatoire] ${m}`);

async function chrono<T>(work: () => Promise<T>): Promise<{ ms: number; cpuMs: number; result: T }> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const result = await work();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000, result };
}

/** N copies of the demo territory, each under its own SIREN (the copies mode). */
async function dossierDeCopies(work: string): Promise<{ dossier: string; description: string; plainSimpleMs?: number }> {
  const demo = join(work, 'demo');
  await generateDemo({ out: demo, echelle, graine: 1 });
  const store = await Store.open(join(work, 'demo.duckdb'));
  const dossier = join(work, 'observatoire');
  let lignes = 0;
  try {
    await importDataset(store, [demo]);
    const epcis = Array.from({ length: copies }, (_, i) => String(200_000_000 + i * 7919));
    const ecriture = await chrono(async () => {
      for (const epci of epcis) lignes = Object.values((await exporterParquet(store, dossier, { epci })).lignes).reduce((a, b) => a + b, 0);
    });
    log(`${copies} EPCI écrits en Parquet en ${secondes(ecriture.ms)} (${lignes.toLocaleString('fr-FR')} lignes chacun)`);
  } finally {
    store.close();
  }
  // The indicators hand-written in plain SQL (bench/indicators.ts), EPCI by EPCI on the loaded tables, for reference.
  const observatoire = await Observatoire.ouvrir(dossier);
  const simple = await chrono(async () => {
    for (const epci of observatoire.epcis) {
      await observatoire.selectionner(epci);
      const config = await configurationCourante(observatoire.store);
      const territoire = await territoryEpci(observatoire.store, config);
      await observatoire.store.all(plainIndicatorsSql(config, annee, territoire));
      await observatoire.store.all(plainDemandSql(config, annee, territoire));
    }
  }).finally(() => observatoire.close());
  log(`indicateurs écrits à la main en SQL, EPCI par EPCI : ${secondes(simple.ms)}`);
  return { dossier, description: `${echelle} × ${copies} copies, ${(lignes * copies).toLocaleString('fr-FR')} lignes`, plainSimpleMs: simple.ms };
}

/** A table's files in every layout they are in (disposition.ts), as one relation; the number of files. */
async function lireTable(store: Store, dossier: string, table: TableObservatoire): Promise<{ sql: string; fichiers: number }> {
  const parties: string[] = [];
  let fichiers = 0;
  for (const disposition of DISPOSITIONS) {
    const [n] = await store.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM glob('${motifFichiers(dossier, table, disposition)}')`);
    fichiers += n?.n ?? 0;
    if ((n?.n ?? 0) > 0) parties.push(`SELECT * FROM ${lectureParquet(dossier, table, disposition)}`);
  }
  return { sql: parties.length === 0 ? `(SELECT NULL AS epci WHERE FALSE)` : `(${parties.join(' UNION ALL BY NAME ')})`, fichiers };
}

/** The floor: the leases of the window joined to their request and dwelling, counted per EPCI and commune. */
async function plancher(dossier: string): Promise<number> {
  const store = await Store.open(':memory:');
  try {
    const [a, d, l] = [await lireTable(store, dossier, 'attributions'), await lireTable(store, dossier, 'demandes'), await lireTable(store, dossier, 'logements')];
    const rows = await store.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM (
      SELECT a.epci, coalesce(a.code_insee, l.code_insee) AS commune, count(*) AS baux,
        count(*) FILTER (WHERE coalesce(a.ressources_mensuelles, d.ressources_mensuelles) < 1000) AS modestes
      FROM ${a.sql} a
      LEFT JOIN ${d.sql} d ON d.nur = a.nur AND d.epci = a.epci
      LEFT JOIN ${l.sql} l ON l.id = a.logement_id AND l.epci = a.epci
      WHERE a.issue = 'bail_signe' AND a.date_bail BETWEEN DATE '${annee - 1}-07-01' AND DATE '${annee}-12-31'
      GROUP BY ALL)`);
    return rows[0]?.n ?? 0;
  } finally {
    store.close();
  }
}

/** Every file of the folder opened once (the rows of each table counted): what the layout alone costs. */
async function ouvrirChaqueFichier(dossier: string): Promise<number> {
  const store = await Store.open(':memory:');
  let fichiers = 0;
  try {
    for (const table of TABLES_OBSERVATOIRE) {
      const t = await lireTable(store, dossier, table);
      fichiers += t.fichiers;
      if (t.fichiers > 0) await store.all(`SELECT count(*) FROM ${t.sql}`);
    }
    return fichiers;
  } finally {
    store.close();
  }
}

const work = mkdtempSync(join(tmpdir(), 'mixite-bench-observatoire-'));
try {
  const source = values.dossier ? { dossier: values.dossier, description: values.dossier } : await dossierDeCopies(work);
  const { dossier } = source;

  // Alternated, the floor first: the files' pages are in the system's cache for both.
  const ouverture = await chrono(() => ouvrirChaqueFichier(dossier));
  log(`chaque fichier ouvert une fois (lignes de chaque table comptées) : ${ouverture.result.toLocaleString('fr-FR')} fichiers en ${secondes(ouverture.ms)} (processeur ${secondes(ouverture.cpuMs)})`);
  const sol = await chrono(() => plancher(dossier));
  log(`plancher (SQL simple sur les mêmes fichiers : baux × demande × logement par EPCI et commune) : ${secondes(sol.ms)} (${sol.result} groupes)`);
  // (c) what the export pays to write the facts of this year (faits-parquet.ts), into a folder of the bench's own.
  const ecriture = await chrono(() => ecrireFaits(dossier, { annees: [annee], vers: join(work, 'faits') }));
  log(`export : écrire les faits de ${annee} (en plus des tables) : ${ecriture.result.lignes.toLocaleString('fr-FR')} lignes en ${secondes(ecriture.ms)} (processeur ${secondes(ecriture.cpuMs)})`);

  /** One pass of the engine over the folder, with the facts the export wrote (the product path) or computed (fallback). */
  async function passage(faitsExportes: boolean) {
    let rangs = 0;
    const origines = new Set<string>();
    // The phases of the pass, in the order they end (the legal rows are written while DuckDB computes the rest).
    const etapes: string[] = [];
    let repere = { t: performance.now(), cpu: process.cpuUsage() };
    const mesure = await chrono(() =>
      indicateursDesEpci(
        dossier,
        annee,
        ({ resultats }) => {
          rangs += resultats.indicateurs.length + resultats.demande.length;
        },
        {
          charger: values.charger,
          faitsExportes,
          origineDesFaits: (o) => origines.add(o),
          etape: (nom) => {
            const cpu = process.cpuUsage(repere.cpu);
            etapes.push(`${nom} ${secondes(performance.now() - repere.t)} (processeur ${secondes((cpu.user + cpu.system) / 1000)})`);
            repere = { t: performance.now(), cpu: process.cpuUsage() };
          },
        },
      ),
    );
    const nom = faitsExportes ? `(a) faits de l’export${origines.has('calcules') ? ' — absents ou périmés : calculés' : ''}` : '(b) faits calculés (repli)';
    log(`${nom} — étapes du moteur (chacune depuis la fin de la précédente ; ouverture et limites ensemble) : ${etapes.join(' ; ')}`);
    log(`${nom} — moteur en un passage${values.charger ? ' (tables chargées d’abord)' : ''} : ${mesure.result.length} EPCI, ${rangs.toLocaleString('fr-FR')} lignes d’indicateurs en ${secondes(mesure.ms)} (processeur ${secondes(mesure.cpuMs)})`);
    return { ...mesure, origines };
  }
  // Alternated in this run: with the exported facts (a), then computed (b), `--tours` times.
  const avec: Awaited<ReturnType<typeof passage>>[] = [];
  const sans: Awaited<ReturnType<typeof passage>>[] = [];
  for (let t = 0; t < tours; t++) {
    avec.push(await passage(true));
    sans.push(await passage(false));
  }
  const meilleur = (l: typeof avec) => l.reduce((a, b) => (b.ms < a.ms ? b : a));
  const moteur = meilleur(avec);
  const repli = meilleur(sans);
  const n = moteur.result.length;
  const sol2 = await chrono(() => plancher(dossier));
  log(`plancher, seconde mesure : ${secondes(sol2.ms)}`);
  const plancherMs = Math.min(sol.ms, sol2.ms);

  let unParUnTexte = '';
  if (unParUn > 0) {
    const observatoire = await Observatoire.ouvrir(dossier);
    const k = Math.min(unParUn, observatoire.epcis.length);
    const unParUnMs = (
      await chrono(async () => {
        for (const epci of observatoire.epcis.slice(0, k)) {
          await observatoire.selectionner(epci);
          await calculerIndicateurs(observatoire.store, { annee });
        }
      }).finally(() => observatoire.close())
    ).ms;
    const extrapole = (unParUnMs / k) * n;
    log(`EPCI par EPCI (conception précédente), ${k} premiers EPCI : ${secondes(unParUnMs)}, soit ≈ ${secondes(extrapole)} pour ${n}`);
    unParUnTexte = ` ; EPCI par EPCI : ${secondes(unParUnMs)} pour les ${k} premiers (≈ ${secondes(extrapole)} extrapolé à ${n})`;
  }
  const rapport = moteur.ms / plancherMs;
  const cpu = (l: typeof avec) => l.map((m) => secondes(m.cpuMs)).join(' / ');
  console.log(`(a) faits de l’export : ${avec.map((m) => secondes(m.ms)).join(' / ')} (processeur ${cpu(avec)}) ; (b) repli, faits calculés : ${sans.map((m) => secondes(m.ms)).join(' / ')} (processeur ${cpu(sans)}) ; (c) écrire les faits de l’année à l’export : ${secondes(ecriture.ms)} (processeur ${secondes(ecriture.cpuMs)})`);
  console.log(`rapport moteur / plancher : ${rapport.toFixed(2)} ; moteur ${secondes(moteur.ms)} pour la cible < 10 s : ${moteur.ms < 10_000 ? 'tenue' : 'non tenue'}`);
  const faitsTexte = moteur.origines.has('calcules') ? ' (faits calculés : le dossier n’en a pas d’exportés à jour)' : ` ; repli sans les faits de l’export : ${secondes(repli.ms)} (processeur ${secondes(repli.cpuMs)}) ; écrire les faits de l’année à l’export : ${secondes(ecriture.ms)} (processeur ${secondes(ecriture.cpuMs)})`;
  console.log(
    `| Observatoire Parquet (${source.description}, ${n} EPCI, année ${annee}) | ${secondes(moteur.ms)} (processeur ${secondes(moteur.cpuMs)})${faitsTexte} | plancher SQL simple sur les mêmes fichiers : ${secondes(plancherMs)} ; rapport ${rapport.toFixed(2)} ; ${ouverture.result.toLocaleString('fr-FR')} fichiers ouverts une fois : ${secondes(ouverture.ms)}${unParUnTexte}${'plainSimpleMs' in source && source.plainSimpleMs !== undefined ? ` ; indicateurs en SQL écrit à la main, EPCI par EPCI : ${secondes(source.plainSimpleMs)}` : ''} | \`npx tsx bench/observatoire-parquet.ts ${values.dossier ? `--dossier ${values.dossier}` : `--copies ${copies} --echelle ${echelle}`}${unParUn > 0 ? ` --un-par-un ${unParUn}` : ''}\` |`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
