import { isUtf8 } from 'node:buffer';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { scanFile } from '../src/import/byte-scan.ts';
import { tempDir } from './helpers.ts';

/**
 * The windowed byte scan of prepareCsv (issue 18) against the plain definitions over the whole buffer, on random
 * files read through tiny windows (1 to 9 bytes) so that every pattern, blank and UTF-8 sequence falls across a
 * boundary somewhere.
 */
type Delim = ';' | ',' | '\t';

/** Some space or tab touches a delimiter, a line end or a quote, ends the file, or stands in the first four bytes. */
function edgeReference(text: Buffer, delimiter: Delim): boolean {
  const blanks = delimiter === '\t' ? [' '] : [' ', '\t'];
  return blanks.some(
    (b) => [`${delimiter}${b}`, `${b}${delimiter}`, `\n${b}`, `${b}\n`, `${b}\r`, `"${b}`, `${b}"`].some((p) => text.includes(p)) || text.subarray(0, 4).includes(b) || text.subarray(-1).includes(b),
  );
}

/** A blank line before the last byte that is not a line end or a space. */
function blankReference(bytes: Buffer): boolean {
  let end = bytes.length - 1;
  while (end >= 0 && (bytes[end] === 0x0a || bytes[end] === 0x0d || bytes[end] === 0x20)) end--;
  const lf = bytes.indexOf('\n\n');
  const crlf = bytes.indexOf('\n\r\n');
  return (lf !== -1 && lf < end) || (crlf !== -1 && crlf < end);
}

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  tmp = tempDir();
});
afterAll(() => tmp.cleanup());

describe('scanFile', () => {
  it('agrees with the whole-buffer definitions whatever the window', () => {
    const piece = fc.constantFrom<number[]>([0x61], [0x31], [0x20], [0x09], [0x3b], [0x2c], [0x22], [0x0a], [0x0d], [0x00], [0xc3, 0xa9], [0xe2, 0x82, 0xac], [0xf0, 0x9f, 0x98, 0x80], [0xe9], [0x80]);
    const path = join(tmp.dir, 'f.csv');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), fc.integer({ min: 1, max: 9 }), (pieces, window) => {
        const bytes = Buffer.from(pieces.flat());
        writeFileSync(path, bytes);
        const scan = scanFile(path, window);
        const got = { ...scan, head: scan.head.toString('hex'), edgeSpaces: { ...scan.edgeSpaces } };
        const want = {
          size: bytes.length,
          head: bytes.subarray(0, window).toString('hex'),
          hasNul: bytes.includes(0),
          utf8: isUtf8(bytes),
          interiorBlankLine: blankReference(bytes),
          edgeSpaces: { ';': edgeReference(bytes, ';'), ',': edgeReference(bytes, ','), '\t': edgeReference(bytes, '\t') },
        };
        // One comparison per draw (not one expect per field): a thousand draws stay well under a second.
        if (JSON.stringify(got) !== JSON.stringify(want)) expect({ window, bytes: [...bytes], got }).toEqual({ window, bytes: [...bytes], got: want });
      }),
      { seed: 18, numRuns: 1500 },
    );
  });

  it('sees a blank inside a cell as harmless and one at its edge as needing a trim', () => {
    const scan = (text: string) => {
      const path = join(tmp.dir, 'g.csv');
      writeFileSync(path, text);
      return scanFile(path, 4).edgeSpaces;
    };
    expect(scan('nom;ville\nDupont;Le Blanc-Mesnil\n')[';']).toBe(false);
    expect(scan('nom;ville\nDupont;Le Blanc-Mesnil \n')[';']).toBe(true);
    expect(scan('nom;ville\nDupont; Paris\n')[';']).toBe(true);
    // The last cell of a file without a final line end, ended by a space.
    expect(scan('nom;ville\nDupont;Paris ')[';']).toBe(true);
    // A tab is the delimiter of a TSV, never an edge blank there.
    expect(scan('nom\tville\nDupont\tParis\n')['\t']).toBe(false);
  });
});
