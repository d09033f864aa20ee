import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Delimiter } from '../src/import/source-file.ts';
import { hasEdgeSpaces } from '../src/import/source-file.ts';

/**
 * The byte scan deciding whether the staging must trim cells (issue 18 made it search blanks instead of
 * delimiter-first patterns). Compared on random texts with the plain definition: some space or tab touches a
 * delimiter, a line end or a quote, or stands in the first four bytes.
 */
function reference(text: string, delimiter: Delimiter): boolean {
  const blanks = delimiter === '\t' ? [' '] : [' ', '\t'];
  return blanks.some(
    (b) => [`${delimiter}${b}`, `${b}${delimiter}`, `\n${b}`, `${b}\n`, `${b}\r`, `"${b}`, `${b}"`].some((p) => text.includes(p)) || text.slice(0, 4).includes(b),
  );
}

describe('hasEdgeSpaces', () => {
  it('agrees with the plain definition on random texts', () => {
    const alphabet = fc.constantFrom('a', '1', ' ', '\t', ';', ',', '"', '\n', '\r');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }), fc.constantFrom<Delimiter>(';', ',', '\t'), (chars, delimiter) => {
        const text = chars.join('');
        expect(hasEdgeSpaces(Buffer.from(text), delimiter)).toBe(reference(text, delimiter));
      }),
      { seed: 18, numRuns: 5000 },
    );
  });

  it('sees a blank inside a cell as harmless and one at its edge as needing a trim', () => {
    expect(hasEdgeSpaces(Buffer.from('nom;ville\nDupont;Le Blanc-Mesnil\n'), ';')).toBe(false);
    expect(hasEdgeSpaces(Buffer.from('nom;ville\nDupont;Le Blanc-Mesnil \n'), ';')).toBe(true);
    expect(hasEdgeSpaces(Buffer.from('nom;ville\nDupont; Paris\n'), ';')).toBe(true);
    // A tab is the delimiter of a TSV, never an edge blank there.
    expect(hasEdgeSpaces(Buffer.from('nom\tville\nDupont\tParis\n'), '\t')).toBe(false);
  });
});
