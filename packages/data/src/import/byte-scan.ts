import { isUtf8 } from 'node:buffer';
import { closeSync, openSync, readSync } from 'node:fs';
import { HEADER_BYTES_MAX } from './limits.ts';

/**
 * The byte checks prepareCsv makes over a whole source file, in one pass over fixed windows (issue 18): the import
 * no longer holds a whole file in memory (230 MB for the Île-de-France `demandes.csv`, about 1 GB at national scale)
 * merely to look at its bytes. The rare files that must be rewritten (Windows-1252, interior blank lines) are still
 * read whole by prepareCsv, which needs their content anyway.
 *
 * Each window starts with the last OVERLAP bytes of the previous one, so that a pattern of up to three bytes across a
 * boundary is seen whole, and a blank's following byte is always known; UTF-8 validity is checked on consecutive,
 * non-overlapping ranges cut before an incomplete sequence.
 */

export interface ByteScan {
  readonly size: number;
  /** The file's first bytes (up to one window): its header line, its byte-order mark, a ZIP signature. */
  readonly head: Buffer;
  readonly hasNul: boolean;
  readonly utf8: boolean;
  /** A blank line before the last data line (trailing blank lines are harmless). */
  readonly interiorBlankLine: boolean;
  /** For each possible delimiter: some space or tab touches it, a line end or a quote, ends the file, or stands in the first four bytes. */
  readonly edgeSpaces: Readonly<Record<';' | ',' | '\t', boolean>>;
}

const OVERLAP = 3;
/**
 * 1 MiB: a window stays in the processor's cache across the six searches made over it (16 MiB windows went to memory
 * each time: 1.27 s of processor for the three large national files, 1 MiB 0.96 s, median of 5 alternated); and the
 * first window, the head, holds any header line the limits accept (limits.ts refuses a longer one before this scan).
 */
const WINDOW = HEADER_BYTES_MAX;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const QUOTE = 0x22;
const DELIMITERS = [0x3b, 0x2c, TAB] as const;
const BLANKS = [SPACE, TAB] as const;

/** Where a UTF-8 check of `buf[from, end)` must stop so that no multi-byte sequence is cut: before its lead byte. */
function completeEnd(buf: Buffer, from: number, end: number): number {
  for (let back = 1; back <= 3 && end - back >= from; back++) {
    const b = buf[end - back] as number;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back for its lead
    const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return length > back ? end - back : end;
  }
  return end;
}

export function scanFile(path: string, window: number = WINDOW): ByteScan {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(window + OVERLAP);
    let head: Buffer | null = null;
    let size = 0;
    let carry = 0; // bytes at buf[0, carry) repeated from the previous window
    let utf8 = true;
    let utf8From = 0; // index in buf where the UTF-8 check resumes
    let hasNul = false;
    let firstBlank = -1; // global offset of the first `\n\n` or `\n\r\n`
    let lastContent = -1; // global offset of the last byte that is not a line end or a space
    const edge: Record<';' | ',' | '\t', boolean> = { ';': false, ',': false, '\t': false };
    const names = [';', ',', '\t'] as const;
    for (;;) {
      const read = readSync(fd, buf, carry, window, null);
      const n = carry + read;
      const eof = read === 0 || read < window;
      const base = size - carry; // global offset of buf[0]
      size += read;
      if (head === null) head = Buffer.from(buf.subarray(0, n));
      if (read > 0 || carry > 0) {
        const view = buf.subarray(0, n);
        if (!hasNul && view.indexOf(0) !== -1) hasNul = true;
        if (utf8) {
          const end = eof ? n : completeEnd(view, utf8From, n);
          if (!isUtf8(view.subarray(utf8From, end))) utf8 = false;
          utf8From = end;
        }
        if (firstBlank === -1) {
          const lf = view.indexOf('\n\n');
          const crlf = view.indexOf('\n\r\n');
          const first = lf === -1 ? crlf : crlf === -1 ? lf : Math.min(lf, crlf);
          if (first !== -1) firstBlank = base + first;
        }
        let end = n - 1;
        while (end >= 0 && (view[end] === LF || view[end] === CR || view[end] === SPACE)) end--;
        if (end >= 0) lastContent = Math.max(lastContent, base + end);
        for (const blank of BLANKS) {
          for (let i = view.indexOf(blank); i !== -1; i = view.indexOf(blank, i + 1)) {
            // A blank in the last byte of a window is looked at again, with its next byte, in the next window.
            if (i === n - 1 && !eof) break;
            const prev = i > 0 ? view[i - 1] : undefined;
            const next = i + 1 < n ? view[i + 1] : undefined;
            // A blank as the file's very last byte ends the last cell of a file without a final line end: an edge too.
            // Tested inline, once per blank (no closure per delimiter): an RPLS file has 4 spaces a row (issue 17).
            const anyDelimiter = base + i < 4 || (eof && i === n - 1) || prev === LF || prev === QUOTE || next === LF || next === CR || next === QUOTE;
            for (let k = 0; k < DELIMITERS.length; k++) {
              const d = DELIMITERS[k] as number;
              if (blank !== d && (anyDelimiter || prev === d || next === d)) edge[names[k] as ';' | ',' | '\t'] = true;
            }
          }
        }
      }
      if (eof) break;
      // The next window starts with this one's last bytes.
      carry = Math.min(OVERLAP, n);
      buf.copy(buf, 0, n - carry, n);
      utf8From = Math.max(0, utf8From - (n - carry));
    }
    return { size, head: head ?? Buffer.alloc(0), hasNul, utf8, interiorBlankLine: firstBlank !== -1 && firstBlank < lastContent, edgeSpaces: edge };
  } finally {
    closeSync(fd);
  }
}
