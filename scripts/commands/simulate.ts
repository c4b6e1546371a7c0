import type { CommandModule } from 'yargs';
import { UsageError } from '../../core/usage-error.ts';

/** `atlas-cap simulate`: Predict capacity and cost at any number of users. */
export const simulateCommand: CommandModule = {
  command: 'simulate',
  describe: 'Predict capacity and cost at any number of users',
  handler: () => {
    throw new UsageError('simulate', 'is not built yet');
  },
};
