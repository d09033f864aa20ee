import { defineConfig } from 'vitest/config';

/**
 * Four projects, from fast to slow, so a developer runs the fast ones in seconds (`npm run test:unit`) and
 * `npm test` still runs everything. Each test belongs to one project by where it lives:
 * - unit: pure code (the core, the web's pure helpers, the reports' content rules), no DuckDB, no process;
 * - database: real DuckDB and real files (data, demo generator, command line);
 * - server: the real HTTP server over a real store;
 * - browser: Debian Chromium (the web application end to end, the bilan's PDF).
 */
const UNIT = ['packages/core/src/**/*.test.ts', 'packages/web/test/*.test.ts', 'packages/reports/test/unites.test.ts', 'packages/reports/test/registre.test.ts'];
const BROWSER = ['packages/web/test/e2e/**/*.test.ts', 'packages/reports/test/bilan.test.ts', 'packages/reports/test/cli-bilan.test.ts'];

export default defineConfig({
  test: {
    env: { TZ: 'UTC' },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'unit', include: UNIT } },
      {
        extends: true,
        test: { name: 'database', include: ['packages/data/**/*.test.ts', 'packages/demo/**/*.test.ts', 'packages/cli/**/*.test.ts', 'packages/reports/test/indicateur-fictif.test.ts'], exclude: ['**/node_modules/**'] },
      },
      { extends: true, test: { name: 'server', include: ['packages/server/test/**/*.test.ts'] } },
      { extends: true, test: { name: 'browser', include: BROWSER } },
    ],
  },
});
