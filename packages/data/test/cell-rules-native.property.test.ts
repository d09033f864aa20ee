import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ColumnSpec } from '@mixite/core';
import { FILE_SPECS, parseCell } from '@mixite/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../src/store/store.ts';
import { canonicalCellRegex } from '../src/import/line-proof.ts';
import { validiteTypeeSql } from '../src/import/relation-typee.ts';
import { literal, sqlType } from '../src/store/sql-types.ts';
import { tempDir } from './helpers.ts';
import { TYPED_READ_SPECS } from './verdict-sql.ts';

/**
 * The native read (native-read.ts, issue 18) trusts DuckDB's typed CSV reader for a cell only when the cell matches
 * canonicalCellRegex. These properties write random cells into a real CSV, keep those the pattern lets through, read
 * them back with DuckDB's native reader (the column typed as the contract says) and require core's verdict and value
 * (parseCell) — or a rejected row, which makes the file go to the text read. Cells aim at what the native reader
 * accepts beyond the format: `1.5` (read as 2), `1e3`, `1_000`, `0x1F`, `.5`, `5.`, the ambiguous `1.500`, ten-digit
 * integers, sixteen-digit amounts, `2024-1-5`, `2024/01/05`, `yes`/`t`, impossible dates, years out of 1950–2099.
 */

let store: Store;
let tmp: ReturnType<typeof tempDir>;
beforeAll(async () => {
  store = await Store.open(':memory:');
  tmp = tempDir();
});
afterAll(() => {
  store.close();
  tmp.cleanup();
});

const SPECS: Record<string, ColumnSpec> = {
  ...TYPED_READ_SPECS,
  motif: FILE_SPECS.demandes.columns.motif,
};

const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^[0-9]{${min},${max}}$`));
const cell = fc.oneof(
  fc.integer({ min: -100, max: 2_000_000 }).map(String),
  fc.tuple(fc.integer({ min: -10, max: 999_999 }), digits(1, 4), fc.constantFrom('.', ',')).map(([a, b, s]) => `${a}${s}${b}`),
  fc.tuple(fc.integer({ min: 1890, max: 2110 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 })).map(
    ([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
  ),
  fc.tuple(fc.constantFrom('', '-', '+', '0', '-0'), digits(1, 20), fc.constantFrom('', '.', '.0', '.00', '.000', '.5', '.25', '.125')).map(([s, d, f]) => `${s}${d}${f}`),
  fc.constantFrom('1_000', '0x1F', '0b101', '1e3', '1E2', '1.5', '.5', '5.', '1.50', '1.500', '12.345', '1,5', '1 500', 'inf', 'nan', '-', '+'),
  fc.constantFrom('-0', '+5', '007', '00', '-1', '999999999', '-999999999', '1000000000', '2147483647', '2147483648', '0000000005'),
  fc.constantFrom('999999999999999', '1000000000000000', '-999999999999999', '999999999999999.99', '9999999999999999', '9223372036854775808'),
  fc.constantFrom('2024-1-5', '2024-01-5', '2024/01/05', '05/01/2024', '20240105', '2024-01-05 00:00:00', '0000-01-01', '99999-01-05'),
  fc.constantFrom('1949-12-31', '1950-01-01', '2099-12-31', '2100-01-01', '2024-02-29', '2023-02-29', '2024-02-30', '2024-13-01', '2024-00-10'),
  fc.constantFrom('1', '0', 'O', 'N', 'oui', 'true', 'TRUE', 't', 'f', 'yes', 'no', 'y', '01', '10', 'active', 'radiee', 'Active', 'autre', ''),
  fc.string({ maxLength: 6 }),
);

/** What DuckDB's native reader makes of each cell, with the verdict over its value: null for a rejected row. */
async function nativeRead(spec: ColumnSpec, raws: readonly string[], run: number): Promise<({ ok: boolean; value: unknown } | null)[]> {
  const path = join(tmp.dir, `cellules-${run}.csv`);
  writeFileSync(path, `i;c\n${raws.map((raw, i) => `${i};${raw}`).join('\n')}\n`);
  const type = spec.kind === 'code' ? 'VARCHAR' : sqlType(spec);
  await store.run(`DROP TABLE IF EXISTS rejets; DROP TABLE IF EXISTS rejets_scan`);
  const rows = await store.all<{ i: number; ok: boolean; value: unknown }>(
    `SELECT i, coalesce(${validiteTypeeSql(spec, 'c')}, FALSE) AS ok, c AS value
     FROM read_csv(${literal(path)}, header = true, auto_detect = false, delim = ';', quote = '"', escape = '"',
                   columns = {'i': 'INTEGER', 'c': ${literal(type)}}, strict_mode = true, null_padding = false,
                   store_rejects = true, rejects_table = 'rejets', rejects_scan = 'rejets_scan')`,
  );
  const byLine = new Map(rows.map((r) => [r.i, r]));
  return raws.map((_, i) => byLine.get(i) ?? null);
}

// + 0: core reads « -0 » as -0, SQL as 0, the same stored number.
const normalise = (spec: ColumnSpec, value: unknown): unknown =>
  value === null || value === undefined ? null : spec.kind === 'decimal' || spec.kind === 'integer' ? Number(value) + 0 : value;

describe('lecture native : une cellule que le motif canonique laisse passer a la valeur et le verdict du cœur', () => {
  let run = 0;
  for (const [name, spec] of Object.entries(SPECS)) {
    for (const required of [true, false]) {
      it(`${name}${required ? ' (obligatoire)' : ' (facultative)'}`, async () => {
        const column = { ...spec, required } as ColumnSpec;
        const pattern = new RegExp(canonicalCellRegex(column) ?? '');
        const accepted = (raw: string) => new RegExp(`^(?:${pattern.source})$`).test(raw);
        await fc.assert(
          fc.asyncProperty(fc.array(cell, { minLength: 1, maxLength: 40 }), async (raws) => {
            const kept = raws.filter(accepted);
            if (kept.length === 0) return;
            const sql = await nativeRead(column, kept, run++);
            for (const [i, raw] of kept.entries()) {
              const js = parseCell(column, raw);
              const read = sql[i];
              // A rejected row only sends the file to the text read; a read row must be core's.
              if (read === null || read === undefined) continue;
              expect(read.ok, `cellule « ${raw} »`).toBe(js.ok);
              if (js.ok) expect(normalise(column, read.value), `valeur de « ${raw} »`).toEqual(normalise(column, js.value));
            }
          }),
          { numRuns: 25, seed: 18_1010 },
        );
      });
    }
  }

  it('laisse passer les écritures courantes (sinon la lecture native ne servirait jamais)', () => {
    const cases: [ColumnSpec, string[]][] = [
      [SPECS.integer as ColumnSpec, ['1', '12', '-3', '0', '999999999']],
      [SPECS.decimal as ColumnSpec, ['0', '1500', '1500.5', '45.50', '-12.25', '999999999999999.99']],
      [SPECS.date as ColumnSpec, ['2024-01-05', '1999-12-31']],
      [SPECS.boolean as ColumnSpec, ['0', '1']],
      [SPECS.code as ColumnSpec, ['active', 'attribuee', 'radiee']],
    ];
    for (const [spec, cells] of cases) for (const c of cells) expect(new RegExp(`^(?:${canonicalCellRegex(spec)})$`).test(c), c).toBe(true);
    // And refuse what the native reader would misread (values or verdicts that differ from core's).
    const refused: [ColumnSpec, string[]][] = [
      [SPECS.integer as ColumnSpec, ['1.5', '1e3', '1_000', '0x1F', '+5', '007', '1234567890', ' 5', '']],
      [SPECS.decimal as ColumnSpec, ['1.500', '1.005', '.5', '5.', '1e3', '1,5', '1 500', '1000000000000000']],
      [SPECS.date as ColumnSpec, ['2024-1-5', '2024/01/05', '05/01/2024', '2024-01-05 00:00:00']],
      [SPECS.boolean as ColumnSpec, ['t', 'yes', 'y', 'true', 'oui', '']],
      [SPECS.code as ColumnSpec, [' active', 'Active', '']],
    ];
    const required = (spec: ColumnSpec) => ({ ...spec, required: true }) as ColumnSpec;
    for (const [spec, cells] of refused) for (const c of cells) expect(new RegExp(`^(?:${canonicalCellRegex(required(spec))})$`).test(c), c).toBe(false);
  });
});
