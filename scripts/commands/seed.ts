import type { Argv, CommandModule } from 'yargs';
import { loadProfile } from '../../core/profile.ts';
import { UsageError } from '../../core/usage-error.ts';
import { resolveDatabase } from '../lib/database.ts';
import { resolveAsOf } from '../seed/as-of.ts';
import { DEFAULT_WORKERS, formatSeedSummary, type SchemaVariant, seedDatabase } from '../seed/index.ts';

interface SeedArgs {
  profile: string;
  users?: string;
  seed?: string;
  'as-of'?: string;
  'database-url'?: string;
  'allow-remote'?: string;
  schema: SchemaVariant;
  reset: boolean;
  workers: string;
  export?: string;
  json: boolean;
}

/** Parses a flag that must be a whole number (yargs' `number` would let `1.5` or `abc` = NaN through). */
function wholeNumber(flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(
      flag,
      `must be ${min > 0 ? 'a positive' : 'a non-negative'} integer, got '${value}'`,
    );
  }
  return n;
}

/** `atlas-cap seed`: Seed PostgreSQL with a synthetic Atlas dataset. */
export const seedCommand: CommandModule<object, SeedArgs> = {
  command: 'seed',
  describe: 'Seed PostgreSQL with a synthetic Atlas dataset',
  builder: (yargs: Argv) =>
    yargs
      .option('profile', {
        type: 'string',
        demandOption: true,
        describe: 'profile name (fixtures/profiles) or YAML file',
      })
      .option('users', {
        type: 'string',
        describe: "users to seed (default: the profile's)",
      })
      .option('seed', {
        type: 'string',
        describe: "random seed (default: the profile's)",
      })
      .option('as-of', {
        type: 'string',
        describe: "instant the dataset is a snapshot of: ISO time or 'now' (default: the profile's)",
      })
      .option('database-url', {
        type: 'string',
        describe: 'PostgreSQL URL (default: DATABASE_URL, else the embedded server)',
      })
      .option('allow-remote', { type: 'string', describe: 'the one non-loopback host that may be seeded' })
      .option('schema', {
        choices: ['plain', 'partitioned'] as const,
        default: 'plain' as const,
        describe: 'schema variant',
      })
      .option('reset', {
        type: 'boolean',
        default: false,
        describe: 'drop what an earlier seed created first',
      })
      .option('workers', {
        type: 'string',
        default: String(DEFAULT_WORKERS),
        describe: 'parallel COPY connections',
      })
      .option('export', {
        type: 'string',
        describe: 'users export CSV (default .data/exports/<profile>-<users>u-s<seed>.users.csv)',
      })
      .option('json', {
        type: 'boolean',
        default: false,
        describe: 'print one JSON summary object',
      }) as unknown as Argv<SeedArgs>,
  handler: async (args) => {
    // Validate everything before anything is started or written.
    const users = wholeNumber('--users', args.users, 1);
    const seed = wholeNumber('--seed', args.seed, 0);
    const workers = wholeNumber('--workers', args.workers, 1);
    const profile = loadProfile(args.profile);
    const asOf = args['as-of'] !== undefined ? resolveAsOf(args['as-of'], '--as-of') : undefined;
    const log = (line: string) => process.stderr.write(line + '\n');
    const database = await resolveDatabase(
      { databaseUrl: args['database-url'], allowRemote: args['allow-remote'] },
      log,
    );
    try {
      const summary = await seedDatabase({
        profile,
        users,
        seed,
        asOf,
        databaseUrl: database.url,
        allowRemote: args['allow-remote'],
        schema: args.schema,
        reset: args.reset,
        workers,
        exportPath: args.export,
        progress: args.json ? 'none' : process.stderr.isTTY ? 'bar' : 'lines',
        log,
      });
      process.stdout.write(
        (args.json ? JSON.stringify(summary, null, 2) : formatSeedSummary(summary)) + '\n',
      );
    } finally {
      await database.release();
    }
  },
};
