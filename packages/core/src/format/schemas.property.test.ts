import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ColumnSpec } from './columns.ts';
import type { FileName } from './files.ts';
import { FILE_NAMES, FILE_SPECS } from './files.ts';
import { csvRowSchema, ruleHolds, rowSchema } from './schemas.ts';

/** A random typed value that a column accepts. */
function valueOf(spec: ColumnSpec): fc.Arbitrary<unknown> {
  const value = ((): fc.Arbitrary<unknown> => {
    switch (spec.kind) {
      case 'text':
        if (spec.pattern?.regex.includes('[0-9AB]')) return fc.tuple(fc.integer({ min: 1, max: 9 }), fc.constantFrom('1', 'A', 'B'), fc.integer({ min: 0, max: 999 })).map(([a, b, c]) => `${a}${b}${String(c).padStart(3, '0')}`);
        // A département code (conventions.csv).
        if (spec.pattern?.regex.includes('2A|2B')) return fc.constantFrom('01', '91', '2A', '2B', '974');
        if (spec.pattern) return fc.integer({ min: 100_000_000, max: 999_999_999 }).map(String);
        return fc.string({ minLength: 1, maxLength: 12 }).map((s) => s.replace(/[;"\n\r|]/g, 'x').trim() || 'x');
      case 'list':
        return fc.array(fc.integer({ min: 10000, max: 99999 }).map(String), { minLength: 1, maxLength: 3 }).map((a) => a.join('|'));
      case 'code':
        return fc.constantFrom(...spec.codes);
      case 'integer':
        return fc.integer({ min: spec.min ?? -1000, max: spec.max ?? 1_000_000 });
      case 'decimal':
        return fc.integer({ min: Math.ceil((spec.min ?? -1000) * 100), max: Math.floor((spec.max ?? 1_000_000) * 100) }).map((c) => c / 100);
      case 'real':
        // Coordinates as files write them: fixed decimals, no exponent.
        return fc.integer({ min: (spec.min ?? -1000) * 1e6, max: (spec.max ?? 1000) * 1e6 }).map((x) => (x === 0 ? 0 : x / 1e6));
      case 'date':
        return fc.date({ min: new Date('1950-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
      case 'boolean':
        return fc.boolean();
    }
  })();
  return spec.required ? value : fc.option(value, { nil: null });
}

function rowOf(file: FileName): fc.Arbitrary<Record<string, unknown>> {
  const columns = FILE_SPECS[file].columns as Record<string, ColumnSpec>;
  return fc
    .record(Object.fromEntries(Object.entries(columns).map(([name, spec]) => [name, valueOf(spec)])))
    .filter((row) => FILE_SPECS[file].rules.filter((r) => r.severity === 'erreur').every((rule) => ruleHolds(rule, row)));
}

/** How the canonical CSV writes a typed value. */
function toCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? '1' : '0';
  return String(value);
}

describe('schémas du format canonique', () => {
  for (const file of FILE_NAMES) {
    it(`${file} : une ligne valide écrite en CSV se relit à l’identique`, () => {
      fc.assert(
        fc.property(rowOf(file), (row) => {
          const cells = Object.fromEntries(Object.entries(row).map(([k, v]) => [k, toCell(v)]));
          const parsed = csvRowSchema(file).parse(cells);
          expect(parsed).toEqual({ ...row, attributs: {} });
          expect(rowSchema(file).safeParse({ ...row, attributs: {} }).success).toBe(true);
        }),
        { numRuns: 100 },
      );
    });
  }

  it('une cellule hors de sa plage est refusée, avec le nom de la colonne', () => {
    fc.assert(
      fc.property(rowOf('demandes'), fc.integer({ min: 1, max: 1_000_000 }), (row, n) => {
        const cells = Object.fromEntries(Object.entries(row).map(([k, v]) => [k, toCell(v)]));
        const result = csvRowSchema('demandes').safeParse({ ...cells, ressources_mensuelles: String(-n) });
        expect(result.success).toBe(false);
        expect(result.error?.issues.map((i) => i.path[0])).toContain('ressources_mensuelles');
      }),
      { numRuns: 50 },
    );
  });

  it('les colonnes hors format deviennent des attributs', () => {
    fc.assert(
      fc.property(rowOf('bailleurs'), fc.string({ minLength: 1, maxLength: 8 }), (row, extra) => {
        const cells = { ...Object.fromEntries(Object.entries(row).map(([k, v]) => [k, toCell(v)])), libre_x: extra };
        expect(csvRowSchema('bailleurs').parse(cells).attributs).toEqual({ libre_x: extra });
      }),
      { numRuns: 50 },
    );
  });
});
