import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classeurCreux, csvLarge } from '../../data/test/fichiers-pieges.ts';

/**
 * Start-up (issue 18, decision 0008): what a command loads before it works. Not a timing (the machine is shared):
 * the modules Node resolves, recorded by a resolve hook in the compiled command line (compiled here into a folder
 * of this test's own). The help of every command, and `mixite import` refusing the red team's 1.5 KB workbook and
 * 1 000 000-column CSV (issue 10), load neither DuckDB nor the spreadsheet reader nor the report writers nor the
 * server; the refused import does not even create the store.
 */

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const DOSSIER = `.compile.test-demarrage-${process.pid}`;
const PACKAGES = ['cli', 'contract', 'core', 'data', 'demo', 'graphiques', 'reports', 'server'];

/** Loaded only by a command at work, never at its start: the native database, the XLSX reader, the document writers, the web server. */
const LOURDS = ['@duckdb/node-api', 'exceljs', 'docx', '@myriaddreamin/typst-ts-node-compiler', '@resvg/resvg-js', 'hono', '@hono/node-server', 'vite'];
/** The report writers (the default trend depth aside), the demo generator, the server's entry point (its routes, the web build). */
const PAQUETS_LOURDS = [/\/packages\/reports\/[^/]+\/(?!profondeur\.js$)/, /\/packages\/demo\//, /\/packages\/server\/[^/]+\/index\.js$/];

let work: string;
let hook: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'mixite-demarrage-'));
  const compile = spawnSync(process.execPath, [join(ROOT, 'packages/cli/bin/compiler.mjs'), DOSSIER], { cwd: ROOT, encoding: 'utf8' });
  expect(compile.status, compile.stderr).toBe(0);
  // The hook runs on Node's loader thread: it appends every specifier and the URL it resolved to, one per line.
  writeFileSync(
    join(work, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(process.env.MIXITE_TRACE_MODULES, specifier + ' ' + r.url + '\\n');
  return r;
}
`,
  );
  hook = join(work, 'register.mjs');
  writeFileSync(hook, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(work, 'hooks.mjs')).href)});\n`);
}, 180_000);
afterAll(() => {
  for (const p of PACKAGES) rmSync(join(ROOT, 'packages', p, DOSSIER), { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

let traces = 0;
/** Runs the compiled `mixite` with the hook: its exit code, its error output and the modules it resolved. */
function mixite(...args: string[]) {
  const trace = join(work, `trace-${++traces}.txt`);
  writeFileSync(trace, '');
  const r = spawnSync(process.execPath, ['--import', hook, join(ROOT, 'packages/cli', DOSSIER, 'main.js'), ...args], {
    cwd: work,
    encoding: 'utf8',
    env: { ...process.env, MIXITE_PROGRESS: '0', MIXITE_TRACE_MODULES: trace, MIXITE_BASE: join(work, 'absente.duckdb') },
    timeout: 60_000,
  });
  const modules = readFileSync(trace, 'utf8').split('\n').filter(Boolean);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, modules };
}

/** The heavy modules among those resolved. */
const lourds = (modules: readonly string[]) =>
  modules.filter((ligne) => {
    const [specifier = '', url = ''] = ligne.split(' ');
    return LOURDS.includes(specifier) || PAQUETS_LOURDS.some((p) => p.test(url));
  });

const COMMANDES = ['demo', 'import', 'correspondance', 'exporter', 'indicateurs', 'bilan', 'cotation', 'flux', 'utilisateur', 'journal', 'menage', 'parc', 'caleol', 'programme', 'calendrier', 'simuler', 'demarrer'];

describe('démarrage de la ligne de commande : ce qui est chargé', () => {
  it('la trace voit les modules lourds quand une commande travaille (le test sait les reconnaître)', () => {
    const mini = join(ROOT, 'packages/data/test/fixtures/mini');
    const r = mixite('indicateurs', '--data', mini, '--annee', '2024');
    expect(r.code, r.stderr).toBe(0);
    expect(lourds(r.modules).some((l) => l.startsWith('@duckdb/node-api '))).toBe(true);
  }, 120_000);

  it.each(COMMANDES)('mixite %s --aide ne charge ni DuckDB, ni le lecteur XLSX, ni les rapports, ni le serveur', (commande) => {
    const r = mixite(commande, '--aide');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Usage : mixite');
    expect(lourds(r.modules)).toEqual([]);
  });

  it.each([
    ['attributions.xlsx', classeurCreux, 'attributions.xlsx — la feuille « Feuil1 » déclare 16 384 colonnes × 1 048 576 lignes'],
    ['demandes.csv', () => csvLarge(), 'demandes.csv, ligne 1 — l’en-tête compte au moins'],
  ])('mixite import refuse %s avant d’ouvrir la base : ni DuckDB ni lecteur XLSX chargés, base non créée', (nom, fabriquer, message) => {
    const fichier = join(work, nom);
    writeFileSync(fichier, fabriquer());
    const base = join(work, `base-${nom}.duckdb`);
    for (const verifier of [[], ['--verifier']]) {
      const r = mixite('import', fichier, '--base', base, ...verifier);
      expect(r.stderr).toContain(message);
      expect(r.stderr).toContain('Import refusé : 1 erreur. La base n’a pas été modifiée.');
      expect(r.code).toBe(1);
      expect(lourds(r.modules)).toEqual([]);
      expect(existsSync(base)).toBe(false);
    }
  });
});
