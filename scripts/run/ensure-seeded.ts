import { existsSync } from 'node:fs';
import type { Profile } from '../../core/profile.ts';
import { maskUrl } from '../../core/redact.ts';
import { readSeedInfo, seedDatabase } from '../seed/index.ts';

/** What {@link ensureSeeded} needs to know about the run. */
export interface SeedWanted {
  profile: Profile;
  users: number;
  schema: 'plain' | 'partitioned';
  allowRemote?: string | undefined;
}

/** Users CSV for the run: the seed's export when the database holds this profile's seed; seeds it otherwise. */
export async function ensureSeeded(
  wanted: SeedWanted,
  databaseUrl: string,
  log: (line: string) => void,
): Promise<string> {
  const info = await readSeedInfo(databaseUrl);
  const matches =
    info !== null &&
    info.profile === wanted.profile.name &&
    info.users === wanted.users &&
    info.seed === wanted.profile.seed &&
    info.schema === wanted.schema &&
    existsSync(info.exportPath);
  if (matches) return info.exportPath;
  log(
    `seeding ${wanted.profile.name} with ${wanted.users} users (${wanted.schema}) into ${maskUrl(databaseUrl)}`,
  );
  const summary = await seedDatabase({
    profile: wanted.profile,
    users: wanted.users,
    databaseUrl,
    allowRemote: wanted.allowRemote,
    schema: wanted.schema,
    reset: true,
    progress: 'none',
    log,
  });
  return summary.exportPath;
}
