import type { CommandModule } from 'yargs';
import { UsageError } from '../../core/usage-error.ts';

/** `atlas-cap seed`: Seed PostgreSQL with a synthetic Atlas dataset. */
export const seedCommand: CommandModule = {
  command: 'seed',
  describe: 'Seed PostgreSQL with a synthetic Atlas dataset',
  handler: () => {
    throw new UsageError('seed', 'is not built yet');
  },
};
