import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_IMPORT_LIMITS, checkSourceLimits, rowsCertainlyNarrow } from '../src/import/limits.ts';
import { tempDir } from './helpers.ts';

/**
 * The cheap proof that no CSV row is too wide (limits.ts) against its plain definition — no quote in the file and
 * every physical line at most `colonnesMax - 2` bytes — on random files read through tiny windows (1 to 9 bytes),
 * so that lines and the carried part of a line fall across window boundaries; and its soundness: whenever it says
 * proven, the exact pass finds no row too wide.
 */
let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  tmp = tempDir();
});
afterAll(() => tmp.cleanup());

describe('rowsCertainlyNarrow', () => {
  it('agrees with its definition whatever the window, and is never wrong about a too wide row', async () => {
    const path = join(tmp.dir, 'f.csv');
    const limits = { ...DEFAULT_IMPORT_LIMITS, colonnesMax: 6 };
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom('a', ';', ';', '\n', '\n', '\r', '"'), { maxLength: 40 }), fc.integer({ min: 1, max: 9 }), async (chars, window) => {
        const text = chars.join('');
        writeFileSync(path, text);
        const want = !text.includes('"') && text.split('\n').every((line) => line.length <= limits.colonnesMax - 2);
        const got = await rowsCertainlyNarrow(path, limits, window);
        if (got !== want) expect({ text, window, got }).toEqual({ text, window, got: want });
        if (got) {
          // Sound: the exact pass (header and rows) finds nothing either.
          const rows = text.split('\n').map((line) => line.split(';').length);
          expect(Math.max(...rows)).toBeLessThanOrEqual(limits.colonnesMax);
          expect(await checkSourceLimits(path, 'f.csv', limits)).toBeNull();
        }
      }),
      { seed: 18, numRuns: 1500 },
    );
  });
});
