import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';

/** Concatenates gzip files into `out` (gzip members concatenate into one valid stream); missing ones are skipped. */
export async function gzipConcat(files: string[], out: string): Promise<void> {
  const sink = createWriteStream(out);
  for (const file of files) {
    if (!existsSync(file)) continue;
    await pipeline(createReadStream(file), sink, { end: false });
  }
  await new Promise<void>((r) => sink.end(r));
}
