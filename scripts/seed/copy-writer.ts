import { once } from 'node:events';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** Bytes gathered before one write to the COPY stream. */
export const CHUNK_BYTES = 256 * 1024;
/** A line longer than this (in UTF-16 units) is written on its own. */
const UTF8_MAX_BYTES_PER_UNIT = 3;

/**
 * One `COPY ... FROM STDIN` on `client`, fed in 256 KB chunks. `push` encodes each line straight into
 * the current chunk buffer, so row strings die young (no old-space garbage, flat RSS); the caller
 * awaits `flush()` when `full`, which waits for 'drain' when the socket is behind, so memory stays
 * bounded by a few chunks whatever the row count.
 */
export class CopyWriter {
  private buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private offset = 0;
  private readonly stream: ReturnType<typeof copyFrom>;
  private readonly done: Promise<void>;
  /** Rows pushed so far. */
  rows = 0;

  constructor(client: pg.ClientBase, sql: string) {
    this.stream = client.query(copyFrom(sql));
    this.done = new Promise((resolve, reject) => {
      this.stream.once('finish', () => resolve());
      this.stream.once('error', reject);
    });
    this.done.catch(() => {}); // observed in end(); avoids an unhandled rejection before that
  }

  /** Encodes one line (a COPY text row ending in a newline) into the current chunk. */
  readonly push = (line: string): void => {
    this.rows++;
    const worst = line.length * UTF8_MAX_BYTES_PER_UNIT;
    if (this.offset + worst > this.buffer.length) {
      if (worst > CHUNK_BYTES) {
        this.hand(Buffer.from(line, 'utf8'));
        return;
      }
      this.rotate();
    }
    this.offset += this.buffer.write(line, this.offset, 'utf8');
  };

  private readonly pending: Buffer[] = [];

  /** Queues the filled part of the current chunk and starts a new one. */
  private rotate(): void {
    if (this.offset > 0) this.pending.push(this.buffer.subarray(0, this.offset));
    this.buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    this.offset = 0;
  }

  private hand(chunk: Buffer): void {
    this.rotate();
    this.pending.push(chunk);
  }

  /** True when a chunk is ready to be written. */
  get full(): boolean {
    return this.pending.length > 0 || this.offset >= CHUNK_BYTES - 4096;
  }

  /** Writes the ready chunks; resolves when the stream can take more. */
  async flush(): Promise<void> {
    this.rotate();
    let ok = true;
    for (const chunk of this.pending.splice(0)) ok = this.stream.write(chunk);
    if (!ok) await Promise.race([once(this.stream, 'drain'), this.done]);
  }

  /** Writes the rest and waits until PostgreSQL has committed the COPY. */
  async end(): Promise<void> {
    await this.flush();
    this.stream.end();
    await this.done;
  }

  /** Aborts the COPY (PostgreSQL rolls it back). */
  abort(error: Error): void {
    this.stream.destroy(error);
  }
}
