import type { ColumnSpec } from '@mixite/core';
import { FILE_SPECS } from '@mixite/core';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../src/store/store.ts';
import { literal } from '../src/store/sql-types.ts';
import { loadSql, validSql } from '../src/import/sql-checks.ts';
import type { PreparedFile } from '../src/import/source-file.ts';
import { ILLISIBLE, lectureSimpleSql, relationTexteSql, relationTypeeSql, stagerRelationTypee, texteBrut, typerSql, validiteTypeeSql } from '../src/import/relation-typee.ts';

/**
 * The typed hand-off of a preset (import/relation-typee.ts, issue 17), in a real DuckDB:
 * - one home for the cell rules: on cells drawn from a fixed seed, a cell read plainly by `lectureSimpleSql` has the
 *   value (loadSql) and the verdict (validSql) the canonical import gives its text; and the verdict on a typed value
 *   (`validiteTypeeSql`) is validSql's on that value printed as text;
 * - the hook stages a clean typed relation as it is, and refuses (null: the exact way) a relation with a row breaking
 *   a rule or holding a cell its producer could not type, whose text twin then shows the source's own text.
 */

const L = FILE_SPECS.logements.columns;
/** The typed columns of the contract, each kind with and without bounds, required or not. */
const COLONNES: Record<string, ColumnSpec> = {
  nb_pieces: L.nb_pieces,
  etage: L.etage,
  entier: { kind: 'integer', required: false },
  surface: L.surface,
  montant: { kind: 'decimal', required: false },
  date_mise_en_service: L.date_mise_en_service,
  date_requise: { kind: 'date', required: true },
  pmr: L.pmr,
};

/** Cells as users and exports write them: plain, signed, zero-padded, grouped, ambiguous, decimal commas, dates, words, junk. */
const cellule = fc.oneof(
  fc.integer({ min: -2_000_000_000, max: 2_000_000_000 }).map(String),
  fc.integer({ min: -20, max: 600 }).map(String),
  fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 200 })).map(([z, n]) => `${'0'.repeat(z)}${n}`),
  fc.integer({ min: 0, max: 99 }).map((n) => `+${n}`),
  fc.tuple(fc.integer({ min: -50, max: 20_000 }), fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 1, max: 4 }), fc.constantFrom('.', ','))
    .map(([e, d, n, s]) => `${e}${s}${String(d).padStart(4, '0').slice(0, n)}`),
  fc.constantFrom('1 500', '1 500,50', '1.500', '1,500', '12.000', '.5', '5.', '-0', '-0.5', '1e3', '0x10', '1_000', '999999999', '1000000000', '-999999999'),
  fc.constantFrom('999999999999999', '9999999999999999', '999999999999999.99', '4.99', '5', '500', '500.01', '500.001', '10000', '10000.004'),
  fc.tuple(fc.integer({ min: 1940, max: 2110 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 })).map(
    ([a, m, j]) => `${a}-${String(m).padStart(2, '0')}-${String(j).padStart(2, '0')}`,
  ),
  fc.constantFrom('1950-01-01', '1949-12-31', '2099-12-31', '2100-01-01', '05/01/2024', '2024-1-5', '2024-02-30'),
  fc.constantFrom('0', '1', 'oui', 'non', 'OUI', 'Vrai', 'faux', 'true', 'false', 'o', 'n', 'x', 'peut-être'),
  fc.string({ maxLength: 6 }),
);

let store: Store;
beforeEach(async () => {
  store = await Store.open(':memory:');
});
afterEach(() => store.close());

describe('the typed hand-off judges cells as the canonical import does', () => {
  it('a plainly written cell has loadSql’s value and validSql’s verdict; a typed value validSql’s verdict on its print (2 000 cells, seed 17)', async () => {
    const cellules = [...new Set(fc.sample(cellule, { seed: 17, numRuns: 2000 }))].map((c) => c.trim()).filter((c) => c !== '');
    await store.run(`CREATE TEMP TABLE cellules AS SELECT unnest([${cellules.map(literal).join(', ')}]::VARCHAR[]) AS t`);
    for (const [nom, col] of Object.entries(COLONNES)) {
      const lignes = await store.all<{ t: string; simple: boolean; verdict_texte: boolean; valeur_texte: string | null; valeur: string | null; verdict_valeur: boolean; verdict_imprime: boolean }>(
        `SELECT t, v IS NOT NULL AS simple, verdict_texte, valeur_texte::VARCHAR AS valeur_texte, v::VARCHAR AS valeur,
                coalesce(${validiteTypeeSql(col, 'v')}, FALSE) AS verdict_valeur, coalesce(${validSql(col, 'imprime')}, FALSE) AS verdict_imprime
         FROM (SELECT t, v, CAST(v AS VARCHAR) AS imprime, verdict_texte, valeur_texte
               FROM (SELECT t, ${lectureSimpleSql(col, 't')} AS v, coalesce(${validSql(col, 't')}, FALSE) AS verdict_texte, CASE WHEN ${validSql(col, 't')} THEN ${loadSql(col, 't')} END AS valeur_texte FROM cellules))`,
      );
      const simples = lignes.filter((l) => l.simple);
      // The draw reaches both sides: plain cells, and spellings left to the exact way.
      expect(simples.length, nom).toBeGreaterThan(10);
      expect(lignes.length - simples.length, nom).toBeGreaterThan(50);
      for (const l of simples) {
        expect([nom, l.t, l.verdict_valeur], 'verdict sur la valeur = verdict sur le texte').toEqual([nom, l.t, l.verdict_texte]);
        if (l.verdict_texte) expect([nom, l.t, l.valeur], 'valeur lue = valeur chargée').toEqual([nom, l.t, l.valeur_texte]);
      }
      for (const l of lignes.filter((x) => x.valeur !== null)) expect([nom, l.valeur, l.verdict_valeur]).toEqual([nom, l.valeur, l.verdict_imprime]);
    }
  });

  it('the cells the canonical rules refuse or read otherwise are never typed (they stay text for the exact way)', async () => {
    // By hand: `1.500` is ambiguous, `45.555` rounds, `1 500` is grouped, ten digits exceed the format, `05/01/2024` is French.
    const cas: [ColumnSpec, string][] = [
      [COLONNES.montant as ColumnSpec, '1.500'],
      [COLONNES.montant as ColumnSpec, '1 500'],
      [COLONNES.montant as ColumnSpec, '45.555'],
      [COLONNES.entier as ColumnSpec, '1000000000'],
      [COLONNES.date_requise as ColumnSpec, '05/01/2024'],
      [COLONNES.pmr as ColumnSpec, 'peut-être'],
    ];
    for (const [col, t] of cas) {
      const [r] = await store.all<{ v: unknown }>(`SELECT ${lectureSimpleSql(col, 't')}::VARCHAR AS v FROM (SELECT ${literal(t)} AS t)`);
      expect([t, r?.v]).toEqual([t, null]);
    }
  });
});

describe('stagerRelationTypee', () => {
  const colonnes = ['id', 'bailleur_id', 'code_insee', 'nb_pieces', 'surface', 'loyer', 'date_mise_en_service', 'pmr', 'mode_rpls'];
  /** Rows as a preset converts them (text cells), typed by typerSql into a table, its typed relation and text twin. */
  async function relations(lignes: readonly (readonly (string | null)[])[]): Promise<PreparedFile> {
    const valeurs = lignes.map((l) => `(${l.map((c) => (c === null ? 'NULL' : literal(c))).join(', ')})`).join(', ');
    const interieur = `SELECT * FROM (VALUES ${valeurs}) v(${colonnes.join(', ')})`;
    await store.run(`CREATE OR REPLACE TEMP TABLE conv AS ${typerSql('logements', colonnes, interieur)}`);
    await store.run(`CREATE OR REPLACE TEMP VIEW conv_texte AS ${relationTexteSql('logements', colonnes, 'conv')}`);
    await store.run(`CREATE OR REPLACE TEMP VIEW conv_types AS ${relationTypeeSql('logements', colonnes, 'conv')}`);
    return {
      fichier: 'rpls.csv',
      table: 'logements',
      csvPath: '/nulle-part/logements.csv',
      delimiter: ';',
      encoding: 'utf-8',
      columns: colonnes,
      sourceHeaders: colonnes,
      hadBlankLines: false,
      mayHaveEdgeSpaces: false,
      relation: 'conv_texte',
      relationTypee: 'conv_types',
    };
  }
  const propre = [
    ['L1', 'B1', '91228', '3', '65.5', '412.35', '1973-01-01', '0', '1'],
    ['L2', 'B1', '91228', '4', '80', null, '1973-01-01', '1', '2'],
  ] as const;

  it('stages a clean typed relation as it is: typed values loaded, text for the references, lines kept', async () => {
    const file = await relations(propre);
    const staged = await stagerRelationTypee(store, file, undefined);
    expect(staged?.typed).toBe('conv_types');
    expect(staged?.rows).toBe(2);
    const [types] = await store.all<Record<string, string>>(
      `SELECT typeof(nb_pieces) AS nb_pieces, typeof(surface) AS surface, typeof(date_mise_en_service) AS date, typeof(pmr) AS pmr FROM conv_types LIMIT 1`,
    );
    expect(types).toEqual({ nb_pieces: 'INTEGER', surface: 'DECIMAL(18,2)', date: 'DATE', pmr: 'BOOLEAN' });
    // The staged view: cells as text, the line of each row (rowid + 2).
    expect(await store.all(`SELECT (rowid + 2)::INTEGER AS ligne, id, nb_pieces, surface FROM ${staged?.table} ORDER BY ligne`)).toEqual([
      { ligne: 2, id: 'L1', nb_pieces: '3', surface: '65.50' },
      { ligne: 3, id: 'L2', nb_pieces: '4', surface: '80.00' },
    ]);
  });

  it('refuses a row breaking a rule of its values (13 rooms: at most 12), and its text twin shows the source’s text', async () => {
    const file = await relations([...propre, ['L3', 'B1', '91174', '13', '45', '380', '2016-01-01', '1', '1']]);
    expect(await stagerRelationTypee(store, file, undefined)).toBeNull();
    expect(await store.all(`SELECT nb_pieces, ${texteBrut('nb_pieces')} AS brut FROM conv WHERE id = 'L3'`)).toEqual([{ nb_pieces: 13, brut: '13' }]);
    expect(await store.all(`SELECT nb_pieces FROM conv_texte`)).toEqual([{ nb_pieces: '3' }, { nb_pieces: '4' }, { nb_pieces: '13' }]);
  });

  it('refuses a row with a cell its producer could not type (« trente » m², a grouped « 1 500 »), kept as written', async () => {
    const file = await relations([...propre, ['L3', 'B1', '91174', '2', 'trente', '1 500', '2016-01-01', '1', '1']]);
    expect(await stagerRelationTypee(store, file, undefined)).toBeNull();
    expect(await store.all(`SELECT ${ILLISIBLE} AS illisible FROM conv_types`)).toEqual([{ illisible: false }, { illisible: false }, { illisible: true }]);
    expect(await store.all(`SELECT surface, loyer FROM conv_texte WHERE id = 'L3'`)).toEqual([{ surface: 'trente', loyer: '1 500' }]);
  });

  it('refuses a repeated id and a code breaking its pattern (validSql over the text columns)', async () => {
    expect(await stagerRelationTypee(store, await relations([...propre, ['L1', 'B1', '91174', '2', '45', '380', '2016-01-01', '1', '1']]), undefined)).toBeNull();
    expect(await stagerRelationTypee(store, await relations([...propre, ['L3', 'B1', '9117', '2', '45', '380', '2016-01-01', '1', '1']]), undefined)).toBeNull();
  });
});
