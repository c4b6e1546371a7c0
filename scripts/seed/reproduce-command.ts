/** What decides a seed's table contents (the worker count and export path do not). */
export interface SeedIdentity {
  /** The profile as the user named it: a fixture name or a YAML path. */
  profile: string;
  users: number;
  seed: number;
  /** ISO instant the dataset is a snapshot of. */
  asOf: string;
  schema: 'plain' | 'partitioned';
}

/** Quotes `arg` for a POSIX shell when it holds anything beyond safe characters. */
function shellWord(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command that seeds the same tables again (same checksums), whatever the profile's defaults
 * become: every input that decides the contents is spelled out. The database is left out (it may
 * hold a password); add --database-url to seed elsewhere.
 */
export function reproduceCommand(s: SeedIdentity): string {
  const asOf = s.asOf.replace(/\.000Z$/, 'Z');
  return [
    'atlas-cap seed',
    `--profile ${shellWord(s.profile)}`,
    `--users ${s.users}`,
    `--seed ${s.seed}`,
    `--as-of ${asOf}`,
    `--schema ${s.schema}`,
  ].join(' ');
}
