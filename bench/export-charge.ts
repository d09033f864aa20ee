/**
 * Heavy exports against other users (issue 10, item 4): does one large export slow the dashboard of everybody
 * else? Starts the application over a fresh store holding the demo territory of a scale, then measures, in the
 * same run, the dashboard's requests from N concurrent clients:
 *   1. without any export;
 *   2. while one client exports, again and again until the load ends, the heaviest table the server accepts
 *      (`--lignes` rows, default the per-request cap of 20 000 rows of a table sent back, as XLSX by default: the red team's 500 000-row
 *      XLSX held the event loop 24–66 s before exports were streamed in batches);
 *   3. while one client exports the allocation lists of the year (the household export by query, every list).
 * Target: the dashboard's p95 stays under 200 ms with the export running.
 *
 *   npx tsx bench/export-charge.ts --echelle epci [--clients 10] [--tours 20] [--lignes 20000] [--format xlsx]
 *
 * A benchmark, not a test: nothing fails on a slow machine. Prints a Markdown table on the standard output.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { requetesDesPages } from './api.ts';

const { values } = parseArgs({
  options: {
    echelle: { type: 'string', default: 'epci' },
    clients: { type: 'string', default: '10' },
    tours: { type: 'string', default: '20' },
    lignes: { type: 'string', default: '20000' },
    format: { type: 'string', default: 'xlsx' },
  },
});
const echelle = values.echelle as 'epci' | 'idf' | 'national';
const clients = Number(values.clients);
const tours = Number(values.tours);
const lignes = Number(values.lignes);
const format = values.format === 'csv' ? 'csv' : 'xlsx';
const log = (m: string) => console.error(m);
const INDICATEURS = ['hors_qpv_q1', 'qpv_hors_q1', 'qpv_q3_q4', 'prioritaires', 'mutations', 'travailleurs_essentiels'];

interface Mesure {
  readonly scenario: string;
  readonly n: number;
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
  readonly erreurs: number;
  readonly exports: number;
  readonly exportMs: number | null;
}

const dir = mkdtempSync(join(tmpdir(), 'mixite-bench-export-'));
try {
  const { generateDemo } = await import('@mixite/demo');
  const { Store, importDataset } = await import('@mixite/data');
  const { startServer } = await import('@mixite/server');
  const data = join(dir, 'demo');
  await generateDemo({ out: data, echelle, graine: 1 });
  const base = join(dir, 'base.duckdb');
  const store = await Store.open(base);
  await importDataset(store, [data]);
  store.close();
  log(`territoire ${echelle} importé`);
  const server = await startServer({ port: 0, basePath: base, webDist: null, log: () => {} });
  try {
    const url = server.url.replace(/\/$/, '');
    const { csrf } = (await (await fetch(`${url}/api/session`)).json()) as { csrf: string };
    const post = (path: string, body: unknown) => fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-mixite-csrf': csrf }, body: JSON.stringify(body) });
    const annee = ((await (await fetch(`${url}/api/territoire`)).json()) as { annees: number[] }).annees.at(-1) as number;
    const tableau = await (await fetch(`${url}/api/indicateurs?annee=${annee}`)).json();
    const dashboard = requetesDesPages(annee).filter((r) => r.page === 'tableau de bord');
    // Warm the engine's caches (a year computed once), as a server in use has them.
    for (const r of dashboard) await (await fetch(`${url}${r.chemin}`)).arrayBuffer();
    for (const indicateur of INDICATEURS) await (await fetch(`${url}/api/objectifs/${indicateur}/attributions?periode=${annee}&limite=1`)).arrayBuffer();
    log(`caches chauds (année ${annee}) ; ${clients} clients × ${tours} tours du tableau de bord par scénario`);

    // The heaviest aggregate table a client may send: the indicator rows repeated up to the cap.
    const gros = { titre: 'Indicateurs (charge)', colonnes: (tableau as { colonnes: unknown[] }).colonnes, lignes: repeter((tableau as { lignes: object[] }).lignes, lignes) };
    const corps = JSON.stringify(gros);
    log(`tableau d’export : ${lignes.toLocaleString('fr-FR')} lignes, ${(corps.length / 2 ** 20).toFixed(1)} Mo de JSON`);

    const exporterTableau = async () => {
      const response = await fetch(`${url}/api/export?format=${format}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-mixite-csrf': csrf }, body: corps });
      if (!response.ok) throw new Error(`export refusé : ${response.status} ${await response.text()}`);
      await response.arrayBuffer();
    };
    const exporterListes = async () => {
      for (const indicateur of INDICATEURS) {
        const response = await post('/api/exports', { ressource: 'attributions', format, indicateur, periode: String(annee) });
        if (response.status === 202) {
          let travail = (await response.json()) as { id: string; etat: string; fichier: string | null };
          while (travail.etat === 'en_attente' || travail.etat === 'en_cours') {
            await new Promise((r) => setTimeout(r, 100));
            travail = (await (await fetch(`${url}/api/exports/${travail.id}`)).json()) as typeof travail;
          }
          await (await fetch(`${url}${travail.fichier}`)).arrayBuffer();
        } else if (!response.ok) throw new Error(`export refusé : ${response.status} ${await response.text()}`);
        else await response.arrayBuffer();
      }
    };

    const mesures: Mesure[] = [];
    mesures.push(await mesurer('sans export', url, dashboard, null));
    mesures.push(await mesurer(`pendant l’export d’un tableau de ${lignes.toLocaleString('fr-FR')} lignes en ${format.toUpperCase()} (POST /api/export)`, url, dashboard, exporterTableau));
    mesures.push(await mesurer(`pendant l’export des listes d’attributions de ${annee} en ${format.toUpperCase()} (POST /api/exports)`, url, dashboard, exporterListes));
    console.log(`Échelle ${echelle}, ${clients} clients × ${tours} tours des ${dashboard.length} requêtes du tableau de bord, par scénario ; machine : ${(await import('node:os')).cpus().length} cœurs\n`);
    console.log('| scénario | requêtes | p50 | p95 | max | erreurs | exports terminés | durée d’un export (médiane) |');
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const m of mesures) {
      console.log(`| ${m.scenario} | ${m.n} | ${m.p50} ms | **${m.p95} ms** | ${m.max} ms | ${m.erreurs} | ${m.exportMs === null ? '—' : m.exports} | ${m.exportMs === null ? '—' : `${(m.exportMs / 1000).toFixed(1)} s`} |`);
    }
  } finally {
    await server.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/** The dashboard's load from `clients` clients, while `exporter` runs again and again (one at a time). */
async function mesurer(scenario: string, url: string, requetes: readonly { chemin: string }[], exporter: (() => Promise<void>) | null): Promise<Mesure> {
  let fini = false;
  const durees: number[] = [];
  const enFond = (async () => {
    if (!exporter) return;
    while (!fini) {
      const debut = performance.now();
      await exporter();
      durees.push(performance.now() - debut);
    }
  })();
  // Let the export start (its body sent, its writing begun) before the load.
  if (exporter) await new Promise((r) => setTimeout(r, 300));
  const samples: number[] = [];
  let erreurs = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let tour = 0; tour < tours; tour++) {
        for (let k = 0; k < requetes.length; k++) {
          const r = requetes[(k + client) % requetes.length] as { chemin: string };
          const debut = performance.now();
          try {
            const response = await fetch(`${url}${r.chemin}`);
            await response.arrayBuffer();
            if (response.ok) samples.push(performance.now() - debut);
            else erreurs++;
          } catch {
            erreurs++;
          }
        }
      }
    }),
  );
  fini = true;
  // The export in flight when the load ends is finished (and timed) before the next scenario.
  await enFond;
  samples.sort((a, b) => a - b);
  const q = (p: number) => Math.round(samples[Math.min(samples.length - 1, Math.ceil(p * samples.length) - 1)] ?? 0);
  const sorted = [...durees].sort((a, b) => a - b);
  const mesure = {
    scenario,
    n: samples.length,
    p50: q(0.5),
    p95: q(0.95),
    max: Math.round(samples.at(-1) ?? 0),
    erreurs,
    exports: durees.length,
    exportMs: exporter ? (sorted[Math.floor(sorted.length / 2)] ?? null) : null,
  };
  log(`${scenario} : p95 ${mesure.p95} ms (${mesure.n} requêtes, ${mesure.exports} exports)`);
  return mesure;
}

function repeter<T>(lignes: readonly T[], n: number): T[] {
  if (lignes.length === 0) throw new Error('aucune ligne d’indicateur à répéter');
  return Array.from({ length: n }, (_, i) => lignes[i % lignes.length] as T);
}
