import type { Argv, CommandModule } from 'yargs';
import { loadProfile } from '../../core/profile.ts';
import { resolveDatabase } from '../lib/database.ts';
import { DEFAULT_WORKERS, formatSeedSummary, seedDatabase } from '../seed/index.ts';
import { reproduceCommand } from '../seed/reproduce-command.ts';
import { parseFlags, SEED_FLAGS } from './flags/index.ts';

/** Flags of `atlas-cap seed`, as yargs hands them over (text; checked by SEED_FLAGS). */
interface SeedArgs {
  profile: string;
  users?: string;
  seed?: string;
  asOf?: string;
  databaseUrl?: string;
  allowRemote?: string;
  schema: string;
  reset: boolean;
  workers: string;
  export?: string;
  json: boolean;
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
        describe: "instant the dataset is a snapshot of: ISO time or 'now' (default: the profile's asOf)",
      })
      .option('database-url', {
        type: 'string',
        describe: 'PostgreSQL URL (default: DATABASE_URL, else the embedded server)',
      })
      .option('allow-remote', { type: 'string', describe: 'the one non-loopback host that may be seeded' })
      .option('schema', {
        type: 'string',
        default: 'plain',
        describe: 'schema variant: plain or partitioned',
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
    const flags = parseFlags(SEED_FLAGS, args);
    const profile = loadProfile(flags.profile);
    const log = (line: string) => process.stderr.write(line + '\n');
    const database = await resolveDatabase(
      { databaseUrl: flags.databaseUrl, allowRemote: flags.allowRemote },
      log,
    );
    try {
      const summary = await seedDatabase({
        profile,
        users: flags.users,
        seed: flags.seed,
        asOf: flags.asOf,
        databaseUrl: database.url,
        allowRemote: flags.allowRemote,
        schema: flags.schema,
        reset: flags.reset,
        workers: flags.workers,
        exportPath: flags.export,
        progress: flags.json ? 'none' : process.stderr.isTTY ? 'bar' : 'lines',
        log,
      });
      const reproduce = reproduceCommand({ ...summary, profile: flags.profile });
      process.stdout.write(
        flags.json
          ? `${JSON.stringify({ ...summary, reproduce }, null, 2)}\n`
          : `${formatSeedSummary(summary)}\nreproduce: ${reproduce}\n`,
      );
    } finally {
      await database.release();
    }
  },
};
