import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';

/**
 * Streaming writer for one canonical CSV file: `;` delimiter, `\n` line ends, UTF-8 without BOM.
 * Rows are concatenated into a string and handed to the stream every `CHUNK_ROWS` rows, waiting
 * for `drain` so that even the national scale never holds a whole file in memory.
 */
const CHUNK_ROWS = 10_000;

export class CsvWriter {
  /** Data rows written so far (header excluded). */
  rows = 0;
  private buffer = '';
  private buffered = 0;
  private failure: Error | undefined;

  private constructor(private readonly stream: WriteStream) {
    stream.on('error', (error: Error) => {
      this.failure = error;
    });
  }

  static open(dir: string, fileName: string, columns: readonly string[]): CsvWriter {
    const stream = createWriteStream(join(dir, fileName), { encoding: 'utf8', highWaterMark: 1 << 20 });
    const writer = new CsvWriter(stream);
    writer.buffer = `${columns.join(';')}\n`;
    return writer;
  }

  /**
   * Appends one row (without its line end). Returns true when the caller should `await flush()`;
   * callers in hot loops write `if (w.add(line)) await w.flush();`.
   */
  add(line: string): boolean {
    this.buffer += line;
    this.buffer += '\n';
    this.rows++;
    return ++this.buffered >= CHUNK_ROWS;
  }

  async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.buffer.length === 0) return;
    const chunk = this.buffer;
    this.buffer = '';
    this.buffered = 0;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
    if (this.failure) throw this.failure;
  }

  async close(): Promise<void> {
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
