import { once } from 'node:events';
import { createWriteStream, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SeedContext } from './context.ts';
import { iso } from './row-writer.ts';
import { planUser } from './user-plan.ts';

/** Header of the users export the k6 scenarios read (plain CSV: no field ever needs quotes). */
export const USERS_EXPORT_HEADER = 'id,tier,activity,conversations,last_activity,first_conversation_id';

/** Git-ignored folder of users exports. */
export const EXPORTS_DIR = resolve(fileURLToPath(new URL('../../.data/exports', import.meta.url)));

/** Default export path: `.data/exports/<profile>-<users>u-s<seed>.users.csv`. */
export function defaultExportPath(profile: string, users: number, seed: number): string {
  return join(EXPORTS_DIR, `${profile}-${users}u-s${seed}.users.csv`);
}

/** One export line of a user; first_conversation_id is conversation 0, the one its activity anchors. */
export function exportLine(ctx: SeedContext, index: number): string {
  const p = planUser(ctx, index);
  return `${p.id},${p.tier},${p.activity},${p.conversations.length},${iso(p.lastActivity)},${p.conversations[0]!.id}\n`;
}

/**
 * Writes the users export to a temporary file beside `path`, then renames it into place, so readers
 * never see half a file. Streams with backpressure: memory does not grow with the user count.
 */
export async function writeUsersExport(ctx: SeedContext, path: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  // Leftovers of an interrupted earlier export of the same file.
  const stale = new RegExp(`^${basename(path).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.\\d+\\.tmp$`);
  for (const f of readdirSync(dirname(path)))
    if (stale.test(f)) rmSync(join(dirname(path), f), { force: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const out = createWriteStream(tmp);
  try {
    let chunk = USERS_EXPORT_HEADER + '\n';
    for (let u = 0; u < ctx.users; u++) {
      chunk += exportLine(ctx, u);
      if (chunk.length >= 1 << 16) {
        if (!out.write(chunk)) await once(out, 'drain');
        chunk = '';
      }
    }
    out.end(chunk);
    await once(out, 'finish');
    renameSync(tmp, path);
  } catch (error) {
    out.destroy();
    rmSync(tmp, { force: true });
    throw error;
  }
}
