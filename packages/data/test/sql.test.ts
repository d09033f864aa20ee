import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store, sql } from '../src/index.ts';

/** The `sql` tag (store/sql.ts): values become parameters, identifiers are quoted, fragments compose. */
describe('sql tagged template', () => {
  let store: Store;
  beforeAll(async () => {
    store = await Store.open(':memory:');
    await store.run(`CREATE TABLE t ("id" VARCHAR, "nom bizarre""" VARCHAR, n INTEGER)`);
    await store.run(`INSERT INTO t VALUES ('a', 'x', 1), ('b', 'y', 2), ('c', 'z', 3)`);
  });
  afterAll(() => store.close());

  it('turns each interpolated value into a numbered parameter, in order of appearance', () => {
    const id = 'a';
    const n = 2;
    expect(sql`SELECT * FROM t WHERE id = ${id} OR n > ${n}`.toQuery()).toEqual({ text: 'SELECT * FROM t WHERE id = $1 OR n > $2', params: ['a', 2] });
  });

  it('renumbers the parameters of nested fragments', () => {
    const filtre = sql`n >= ${2}`;
    const q = sql`SELECT id FROM t WHERE id <> ${'z'} AND ${filtre} AND id IN (${sql.list(['b', 'c'])})`;
    expect(q.toQuery()).toEqual({ text: 'SELECT id FROM t WHERE id <> $1 AND n >= $2 AND id IN ($3, $4)', params: ['z', 2, 'b', 'c'] });
  });

  it('runs against DuckDB through Store.all and Store.run', async () => {
    const rows = await store.all<{ id: string }>(sql`SELECT id FROM t WHERE n >= ${2} AND id IN (${sql.list(['a', 'b', 'c'])}) ORDER BY id`);
    expect(rows.map((r) => r.id)).toEqual(['b', 'c']);
    await store.run(sql`INSERT INTO t VALUES (${'d'}, ${null}, ${4})`);
    expect(await store.all(sql`SELECT n, ${sql.ident('nom bizarre"')} AS v FROM t WHERE id = ${'d'}`)).toEqual([{ n: 4, v: null }]);
  });

  it('treats an injection attempt as a value: it matches nothing and changes nothing', async () => {
    const attaque = `a' OR '1'='1`;
    expect(await store.all(sql`SELECT id FROM t WHERE id = ${attaque}`)).toEqual([]);
    const destruction = `x'); DROP TABLE t; --`;
    await store.run(sql`INSERT INTO t VALUES (${destruction}, ${'v'}, ${5})`);
    // The table is still there, and the text was stored as it was given.
    expect(await store.all(sql`SELECT id FROM t WHERE n = ${5}`)).toEqual([{ id: destruction }]);
    expect(await store.all(`SELECT count(*)::INTEGER AS n FROM t`)).toEqual([{ n: 5 }]);
  });

  it('quotes identifiers, doubling their quotes, and joins dotted names', () => {
    expect(sql`SELECT ${sql.ident('nom bizarre"')} FROM ${sql.ident('main', 't')}`.toQuery()).toEqual({ text: 'SELECT "nom bizarre""" FROM "main"."t"', params: [] });
  });

  it('keeps raw text only when asked, and an empty list matches nothing', async () => {
    expect(sql`SELECT ${sql.raw('count(*)')} FROM t`.toQuery().text).toBe('SELECT count(*) FROM t');
    expect(await store.all(sql`SELECT id FROM t WHERE id IN (${sql.list([])})`)).toEqual([]);
  });

  it('refuses undefined (a forgotten value) and parameters given twice', async () => {
    expect(() => sql`SELECT ${undefined as unknown as string}`).toThrow(/indéfinie/);
    await expect(store.all(sql`SELECT ${1}` as never, [1] as never)).rejects.toThrow(/paramètres/);
  });
});
