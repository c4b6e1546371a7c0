import { once } from 'node:events';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** Bytes (roughly: UTF-16 units) gathered before one write to the COPY stream. */
export const CHUNK_CHARS = 1 << 20;

/**
 * One `COPY ... FROM STDIN` on `client`, fed in ~1 MB chunks. `push` only buffers; the caller awaits
 * `flushIfFull()` between users, which waits for 'drain' when the socket is behind, so memory stays
 * bounded by one chunk plus the socket's buffer whatever the row count.
 */
export class CopyWriter {
  private parts: string[] = [];
  private size = 0;
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

  /** Buffers one line (a COPY text row ending in a newline). */
  readonly push = (line: string): void => {
    this.parts.push(line);
    this.size += line.length;
    this.rows++;
  };

  /** True when a chunk is ready to be written. */
  get full(): boolean {
    return this.size >= CHUNK_CHARS;
  }

  /** Writes the buffered chunk; resolves when the stream can take more. */
  async flush(): Promise<void> {
    if (this.size === 0) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (!this.stream.write(chunk)) {
      await Promise.race([once(this.stream, 'drain'), this.done]);
    }
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
