/**
 * API benchmark (issue 4): the requests the dashboard page makes, each measured under load from 10 concurrent
 * clients on loopback; p95 per request (target: under 100 ms at EPCI scale, under 1 s at Île-de-France scale).
 * The objective, allocations and demand pages' requests are measured too, each page under its own load.
 *
 * `benchApi(baseUrl)` measures a running server (the lead's bench/run.ts starts one); run directly,
 * `npx tsx bench/api.ts --echelle epci`, it starts one itself over a fresh store holding the demo territory.
 * A benchmark, not a test: nothing fails on a slow machine. Bounded: a fixed number of requests per client.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export interface ApiBenchOptions {
  /** Concurrent clients (default 10). */
  readonly clients?: number;
  /** Rounds per client: each round sends every request of the list once (default 20). */
  readonly tours?: number;
  readonly log?: (message: string) => void;
}

export interface RequestStats {
  readonly page: 'tableau de bord' | 'objectif' | 'attributions' | 'demande';
  readonly chemin: string;
  /** The first call, before the load: it may include the engine's computation of the year. */
  readonly premier_ms: number;
  readonly n: number;
  readonly p50_ms: number;
  readonly p95_ms: number;
  readonly max_ms: number;
  readonly erreurs: number;
}

export interface ApiBenchResult {
  readonly annee: number;
  readonly clients: number;
  readonly requetes: readonly RequestStats[];
}

/** The requests of each page for a year, as the front end sends them. */
export function requetesDesPages(annee: number): { page: RequestStats['page']; chemin: string }[] {
  return [
    { page: 'tableau de bord', chemin: '/api/territoire' },
    { page: 'tableau de bord', chemin: '/api/declarations' },
    { page: 'tableau de bord', chemin: `/api/indicateurs?annee=${annee}&perimetre_type=territoire` },
    { page: 'tableau de bord', chemin: `/api/indicateurs?periode=${annee}&perimetre_type=contingent&indicateur=prioritaires` },
    { page: 'tableau de bord', chemin: '/api/indicateurs/tendance?perimetre_type=territoire' },
    { page: 'objectif', chemin: `/api/indicateurs?periode=${annee}&perimetre_type=bailleur&indicateur=hors_qpv_q1` },
    { page: 'objectif', chemin: `/api/indicateurs?periode=${annee}&perimetre_type=commune&indicateur=hors_qpv_q1` },
    { page: 'attributions', chemin: `/api/objectifs/prioritaires/attributions?periode=${annee}&perimetre_type=territoire` },
    { page: 'demande', chemin: `/api/demande?annee=${annee}` },
  ];
}

export async function benchApi(baseUrl: string, opts: ApiBenchOptions = {}): Promise<ApiBenchResult> {
  const base = baseUrl.replace(/\/$/, '');
  const host = new URL(base).hostname;
  // A load test only ever targets this machine.
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) throw new Error(`benchApi : adresse hors boucle locale refusée (${host})`);
  const clients = opts.clients ?? 10;
  const tours = opts.tours ?? 20;
  const log = opts.log ?? (() => {});

  const territoire = (await (await fetch(`${base}/api/territoire`)).json()) as { annees: number[] };
  const annee = territoire.annees.at(-1);
  if (annee === undefined) throw new Error('benchApi : la base ne contient aucune attribution');
  const requetes = requetesDesPages(annee);

  const premiers = new Map<string, number>();
  for (const r of requetes) premiers.set(r.chemin, (await timedFetch(`${base}${r.chemin}`)).ms);
  log(`API : premiers appels faits ; ${clients} clients × ${tours} tours, page par page`);

  // One load per page: the dashboard's requests are measured under the dashboard's load, not behind the
  // allocation lists of another page.
  const samples = new Map<string, number[]>(requetes.map((r) => [r.chemin, []]));
  const errors = new Map<string, number>(requetes.map((r) => [r.chemin, 0]));
  for (const page of [...new Set(requetes.map((r) => r.page))]) {
    const liste = requetes.filter((r) => r.page === page);
    await Promise.all(
      Array.from({ length: clients }, async (_, client) => {
        for (let tour = 0; tour < tours; tour++) {
          // Each client starts the list at a different place, so that all the page's requests are in flight together.
          for (let k = 0; k < liste.length; k++) {
            const r = liste[(k + client) % liste.length] as (typeof liste)[number];
            const { ms, ok } = await timedFetch(`${base}${r.chemin}`);
            if (ok) samples.get(r.chemin)?.push(ms);
            else errors.set(r.chemin, (errors.get(r.chemin) ?? 0) + 1);
          }
        }
      }),
    );
    log(`API : page ${page} mesurée`);
  }

  return {
    annee,
    clients,
    requetes: requetes.map((r) => {
      const s = (samples.get(r.chemin) ?? []).sort((a, b) => a - b);
      return {
        page: r.page,
        chemin: r.chemin,
        premier_ms: round(premiers.get(r.chemin) ?? 0),
        n: s.length,
        p50_ms: round(quantile(s, 0.5)),
        p95_ms: round(quantile(s, 0.95)),
        max_ms: round(s.at(-1) ?? 0),
        erreurs: errors.get(r.chemin) ?? 0,
      };
    }),
  };
}

async function timedFetch(url: string): Promise<{ ms: number; ok: boolean }> {
  const start = performance.now();
  try {
    const response = await fetch(url);
    await response.arrayBuffer();
    return { ms: performance.now() - start, ok: response.ok };
  } catch {
    return { ms: performance.now() - start, ok: false };
  }
}

/** Nearest-rank quantile of sorted values. */
function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/** The results as a Markdown table for docs/BENCHMARKS.md. */
export function tableauBenchApi(result: ApiBenchResult, echelle: string): string {
  const ms = (v: number) => `${v.toLocaleString('fr-FR')} ms`;
  return [
    `| échelle | page | requête | premier appel | p50 | p95 (${result.clients} clients) | max | erreurs |`,
    '|---|---|---|---:|---:|---:|---:|---:|',
    ...result.requetes.map(
      (r) => `| ${echelle} | ${r.page} | \`${r.chemin.replace(/\|/g, '\\|')}\` | ${ms(r.premier_ms)} | ${ms(r.p50_ms)} | ${ms(r.p95_ms)} | ${ms(r.max_ms)} | ${r.erreurs} |`,
    ),
  ].join('\n');
}

/** Starts the application over a fresh store holding the demo territory of a scale, measures, stops. */
export async function benchApiSurDemo(echelle: 'epci' | 'idf' | 'national', opts: ApiBenchOptions = {}): Promise<ApiBenchResult> {
  const { startServer } = await import('@mixite/server');
  const dir = mkdtempSync(join(tmpdir(), 'mixite-bench-api-'));
  const log = opts.log ?? (() => {});
  try {
    const { generateDemo } = await import('@mixite/demo');
    const { Store, importDataset } = await import('@mixite/data');
    const data = join(dir, 'demo');
    await generateDemo({ out: data, echelle, graine: 1 });
    const store = await Store.open(join(dir, 'base.duckdb'));
    await importDataset(store, [data]);
    store.close();
    log(`API : territoire ${echelle} importé`);
    const server = await startServer({ port: 0, basePath: join(dir, 'base.duckdb'), webDist: null, log });
    try {
      return await benchApi(server.url, opts);
    } finally {
      await server.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { echelle: { type: 'string', default: 'epci' }, tours: { type: 'string', default: '20' } } });
  const echelle = values.echelle as 'epci' | 'idf' | 'national';
  const result = await benchApiSurDemo(echelle, { tours: Number(values.tours), log: (m) => console.error(m) });
  console.log(tableauBenchApi(result, echelle));
}
