import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';

/**
 * Streaming writer for one canonical CSV file: `;` delimiter, `\n` line ends, UTF-8 without BOM.
 * Each row is encoded at once into a large byte buffer (so the row's strings die young and cost
 * the garbage collector nothing); full buffers are handed to the stream when the caller awaits
 * `flush()`, waiting for `drain`, so that even the national scale never holds a whole file in memory.
 */
const CHUNK_BYTES = 4 << 20;

export class CsvWriter {
  /** Data rows written so far (header excluded). */
  rows = 0;
  private buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private offset = 0;
  private readonly full: Buffer[] = [];
  private failure: Error | undefined;

  private constructor(private readonly stream: WriteStream) {
    stream.on('error', (error: Error) => {
      this.failure = error;
    });
  }

  /** Opens `dir/fileName`; `columns` null writes no header (a part file, appended later to the real file). */
  static open(dir: string, fileName: string, columns: readonly string[] | null): CsvWriter {
    const stream = createWriteStream(join(dir, fileName), { highWaterMark: CHUNK_BYTES });
    const writer = new CsvWriter(stream);
    if (columns) writer.append(columns.join(';'));
    return writer;
  }

  private append(line: string): void {
    // A UTF-8 character takes at most three bytes per UTF-16 code unit.
    const needed = line.length * 3 + 1;
    if (this.offset + needed > this.buffer.length) {
      if (this.offset > 0) this.full.push(this.buffer.subarray(0, this.offset));
      this.buffer = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, needed));
      this.offset = 0;
    }
    this.offset += this.buffer.write(line, this.offset);
    this.buffer[this.offset++] = 10;
  }

  /**
   * Appends one row (without its line end). Returns true when the caller should `await flush()`;
   * callers in hot loops write `if (w.add(line)) await w.flush();`.
   */
  add(line: string): boolean {
    this.append(line);
    this.rows++;
    return this.full.length > 0;
  }

  /** Hands the full buffers to the stream, waiting for it to drain. */
  async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    while (this.full.length > 0) {
      const chunk = this.full.shift()!;
      if (!this.stream.write(chunk)) await once(this.stream, 'drain');
      if (this.failure) throw this.failure;
    }
  }

  /** Appends a part file written by another thread, holding `rows` data rows. */
  async appendFile(path: string, rows: number): Promise<void> {
    if (this.offset > 0) this.full.push(this.buffer.subarray(0, this.offset));
    this.buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    this.offset = 0;
    await this.flush();
    for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES })) {
      if (!this.stream.write(chunk)) await once(this.stream, 'drain');
      if (this.failure) throw this.failure;
    }
    this.rows += rows;
  }

  async close(): Promise<void> {
    if (this.offset > 0) this.full.push(this.buffer.subarray(0, this.offset));
    this.offset = 0;
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
    if (this.failure) throw this.failure;
  }
}

const NEEDS_QUOTES = /[;"\n\r]/;

/** A text cell: quoted only if it holds `;`, `"` or a line break (quotes doubled). */
export function texte(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Decimal in minimal form with at most two decimals (`1234.5`, `1200`), as the exporter writes it. */
export function decimal(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** Decimal with five decimals at most, for coordinates (two would put a building 1 km off). */
export function coordonnee(value: number): string {
  return String(Math.round(value * 100_000) / 100_000);
}

export function booleen(value: boolean): '0' | '1' {
  return value ? '1' : '0';
}
