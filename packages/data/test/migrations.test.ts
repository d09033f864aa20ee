import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS, Store } from '../src/index.ts';
import { tempDir } from './helpers.ts';

/**
 * Migrations merged out of order (parallel work appended 10 before 6–8): a store that already recorded a higher
 * version still gets every migration it has not recorded, in version order.
 */
const work = tempDir('mixite-migrations-');
afterAll(() => work.cleanup());

describe('migrations du schéma', () => {
  it('applique à une base existante une migration de numéro inférieur qu’elle n’a pas encore', async () => {
    const chemin = join(work.dir, 'base.duckdb');
    const neuve = await Store.open(chemin);
    const versions = MIGRATIONS.map((m) => m.version).sort((a, b) => a - b);
    const [enregistrees] = await neuve.all<{ v: number[] }>(`SELECT list(version ORDER BY version) AS v FROM schema_version`);
    expect(enregistrees?.v).toEqual(versions);
    // As a store written before migration 7 existed, but after 10: its row and its tables absent.
    await neuve.run(`DELETE FROM schema_version WHERE version = 7`);
    await neuve.run(`DROP TABLE programme_convention`);
    neuve.close();
    const rouverte = await Store.open(chemin);
    const [table] = await rouverte.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name = 'programme_convention'`);
    expect(table?.n).toBe(1);
    const [apres] = await rouverte.all<{ v: number[] }>(`SELECT list(version ORDER BY version) AS v FROM schema_version`);
    expect(apres?.v).toEqual(versions);
    rouverte.close();
  });
});
