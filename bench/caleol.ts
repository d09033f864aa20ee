/**
 * CALEOL benchmark (issue 15): the candidate list of a vacant dwelling through the API (POST /api/caleol/liste, the
 * default grid « Équilibre CIA », the date of the data), on the demo territory of a scale (idf: ≈ 800 000 active
 * requests), target p95 under 300 ms. Dwellings drawn from a fixed order (hash of their id); one warm-up call (it
 * computes the year's indicators for the contingent's gap and builds the pool of the date and grid, vivier.ts), then
 * each dwelling once by one client, then by 4 clients at once. The measured passes start once the server's own
 * warm-up is over (every year's indicators, computed in the background after a start or an import): during it the
 * lists share the store's one connection with those computations — the table prints how long it lasted and the p95 of
 * the calls made meanwhile (`--pendant`: the one-client pass run a first time, without waiting for it). The process's CPU time per call of the one-client pass
 * is printed too (server and DuckDB run in this process): on a machine shared with other work it varies less than the
 * wall-clock time. Baseline measured in the same run, on the same store, before the server starts: a plain SQL count of the
 * requests active at the date whose wishes fit each dwelling (typology, commune, PMR) — the scan the list cannot avoid.
 *
 *   nice npx tsx bench/caleol.ts [--echelle idf] [--logements 40] [--base FICHIER.duckdb] [--pendant]
 *
 * A benchmark, not a test: nothing fails on a slow machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Store, dateDesDonnees, importDataset } from '@mixite/data';
import type { Echelle } from '@mixite/demo';
import { generateDemo } from '@mixite/demo';
import { describeMachine, median, seconds, timed } from './machine.ts';

const { values } = parseArgs({ options: { echelle: { type: 'string', default: 'idf' }, logements: { type: 'string', default: '40' }, base: { type: 'string' }, pendant: { type: 'boolean', default: false } } });
const nombre = Math.max(5, Number(values.logements));
const dossier = mkdtempSync(join(tmpdir(), 'mixite-bench-caleol-'));
const p95 = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(0.95 * xs.length) - 1)] as number;
const ms = (x: number) => `${Math.round(x).toLocaleString('fr-FR')} ms`;

try {
  let base = values.base;
  if (!base) {
    const jeu = join(dossier, 'jeu');
    const gen = await timed(() => generateDemo({ out: jeu, echelle: values.echelle as Echelle, graine: 1 }));
    console.error(`démo ${values.echelle} générée en ${seconds(gen.ms)}`);
    base = join(dossier, 'base.duckdb');
    const store = await Store.open(base);
    const imp = await timed(() => importDataset(store, [jeu]));
    store.close();
    console.error(`importée en ${seconds(imp.ms)}`);
  }

  // Baseline, before the server holds the file.
  const store = await Store.open(base);
  const date = await dateDesDonnees(store);
  const ids = (await store.all<{ id: string }>(`SELECT id FROM logements ORDER BY hash(id), id LIMIT ${nombre}`)).map((r) => r.id);
  const [{ actives } = { actives: 0 }] = await store.all<{ actives: number }>(
    `SELECT count(*)::INTEGER AS actives FROM demandes WHERE date_depot <= DATE '${date}' AND (date_radiation IS NULL OR date_radiation > DATE '${date}')`,
  );
  const simple: number[] = [];
  for (const [i, id] of [ids[0] as string, ...ids].entries()) {
    const t = await timed(() =>
      store.all(
        `SELECT count(*) FROM demandes d, logements l WHERE l.id = $id AND d.date_depot <= DATE '${date}' AND (d.date_radiation IS NULL OR d.date_radiation > DATE '${date}')
           AND (d.typologie_min IS NULL OR d.typologie_min <= l.nb_pieces) AND (d.typologie_max IS NULL OR d.typologie_max >= l.nb_pieces)
           AND (d.communes_souhaitees IS NULL OR list_contains(string_split(replace(d.communes_souhaitees, ' ', ''), '|'), l.code_insee))
           AND (NOT coalesce(d.pmr, FALSE) OR coalesce(l.pmr, FALSE))`,
        { id },
      ),
    );
    if (i > 0) simple.push(t.ms);
  }
  store.close();

  const { startServer } = await import('@mixite/server');
  const demarrage = performance.now();
  const server = await startServer({ port: 0, basePath: base, webDist: null, log: () => {} });
  // The warm-up the server started: asking it again shares its computations and ends with them (GenerationCache).
  const prechauffage = server.mixite.deps.indicateurs.warmUp().then(() => performance.now() - demarrage);
  const url = server.url.replace(/\/$/, '');
  try {
    // A POST carries the session's CSRF token, even in demonstration mode.
    const session = await fetch(`${url}/api/session`);
    const cookie = session.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const { csrf } = (await session.json()) as { csrf: string };
    const entetes = { 'content-type': 'application/json', 'x-mixite-csrf': csrf, ...(cookie ? { cookie } : {}) };
    const appel = async (id: string): Promise<{ ms: number; candidats: number }> => {
      const t = await timed(async () => {
        const r = await fetch(`${url}/api/caleol/liste`, { method: 'POST', headers: entetes, body: JSON.stringify({ logement_id: id, date }) });
        if (r.status !== 200) throw new Error(`${id} : ${r.status} ${await r.text()}`);
        return (await r.json()) as { candidats: unknown[] };
      });
      return { ms: t.ms, candidats: t.result.candidats.length };
    };
    const chauffe = await appel(ids[0] as string);
    console.error(`premier appel (calcul des indicateurs de l’année compris) : ${ms(chauffe.ms)}`);
    const pendant: number[] = [];
    if (values.pendant) for (const id of ids) pendant.push((await appel(id)).ms);
    const dureePrechauffage = await prechauffage;
    console.error(`préchauffage du serveur fini ${ms(dureePrechauffage)} après son démarrage`);
    const seul: number[] = [];
    let pleines = 0;
    const cpu0 = process.cpuUsage();
    for (const id of ids) {
      const r = await appel(id);
      seul.push(r.ms);
      if (r.candidats === 3) pleines++;
    }
    const cpu = process.cpuUsage(cpu0);
    const cpuParAppel = (cpu.user + cpu.system) / 1000 / ids.length;
    const quatre: number[] = [];
    const file = [...ids];
    await Promise.all(
      [0, 1, 2, 3].map(async () => {
        for (let id = file.shift(); id !== undefined; id = file.shift()) quatre.push((await appel(id)).ms);
      }),
    );
    console.log(`Machine : ${describeMachine()} ; ${actives.toLocaleString('fr-FR')} demandes actives au ${date} ; ${ids.length} logements tirés (ordre du hachage de leur id), ${pleines} listes de 3 candidats.`);
    console.log('');
    console.log('| échelle | appels | premier appel | préchauffage du serveur | p95 pendant le préchauffage (1 client) | p50 (1 client) | p95 (1 client) | processeur par appel (1 client) | p95 (4 clients) | max (4 clients) | SQL simple (demandes qui conviennent), médiane |');
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    console.log(
      `| ${values.base ? 'base fournie' : values.echelle} | ${ids.length} × ${values.pendant ? 3 : 2} | ${ms(chauffe.ms)} | ${ms(dureePrechauffage)} | ${pendant.length > 0 ? ms(p95(pendant)) : 'non mesuré'} | ${ms(median(seul))} | ${ms(p95(seul))} | ${ms(cpuParAppel)} | ${ms(p95(quatre))} | ${ms(Math.max(...quatre))} | ${ms(median(simple))} |`,
    );
  } finally {
    await server.close();
  }
} finally {
  rmSync(dossier, { recursive: true, force: true });
}
