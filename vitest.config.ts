import { defineConfig } from 'vitest/config';

/**
 * Four projects, from fast to slow, so a developer runs the fast ones in seconds (`npm run test:unit`) and
 * `npm test` still runs everything. Each test belongs to exactly one project by where it lives, and every test
 * file of the repository belongs to one (`database` takes whatever the others do not claim, so a new file is never
 * left out):
 * - unit: pure code (core, contract, charts, the web's pure helpers, the reports' content rules), no DuckDB, no process;
 * - server: the real HTTP server over a real store;
 * - browser: Debian Chromium (the web application end to end; the bilan needs no browser: database);
 * - database: real DuckDB and real files (data, demo generator, command line, the rest).
 */
const ALL = ['packages/*/src/**/*.test.{ts,tsx}', 'packages/*/test/**/*.test.{ts,tsx}'];
const UNIT = [
  'packages/core/src/**/*.test.{ts,tsx}',
  'packages/contract/**/*.test.{ts,tsx}',
  'packages/graphiques/**/*.test.{ts,tsx}',
  'packages/web/test/*.test.{ts,tsx}',
  'packages/reports/test/unites.test.ts',
  'packages/reports/test/registre.test.ts',
];
const SERVER = ['packages/server/test/**/*.test.{ts,tsx}'];
const BROWSER = ['packages/web/test/e2e/**/*.test.{ts,tsx}'];
const EXCLUDED = ['**/node_modules/**'];

export default defineConfig({
  test: {
    env: { TZ: 'UTC' },
    // Bounds for a hung test, not speed targets (speed is measured in bench/): twice the slowest default-bound test
    // of a one-file-at-a-time run (26 s), since with two files at a time a test may get half the machine.
    testTimeout: 120_000,
    hookTimeout: 240_000,
    pool: 'forks',
    // Two test files at a time, whatever the machine (Vitest's default is one fewer than the cores: one file at a
    // time on the 2-core CI). Most of a slow file's time is spent waiting on Chromium, a child process, a server or
    // DuckDB's I/O, so a second file uses the time the first one waits (measured in docs/testing.md). Files never
    // share a port (port 0), a store or a folder (mkdtemp); what they would share is prepared once before them
    // (the browser project's globalSetup).
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: UNIT, exclude: EXCLUDED } },
      { extends: true, test: { name: 'server', include: SERVER, exclude: EXCLUDED } },
      {
        extends: true,
        test: { name: 'browser', include: BROWSER, exclude: EXCLUDED, globalSetup: ['packages/web/test/e2e/preparation-globale.ts'] },
      },
      { extends: true, test: { name: 'database', include: ALL, exclude: [...EXCLUDED, ...UNIT, ...SERVER, ...BROWSER] } },
    ],
  },
});
