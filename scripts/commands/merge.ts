import type { CommandModule } from 'yargs';
import { UsageError } from '../../core/usage-error.ts';

/** `atlas-cap merge`: Merge raw k6 outputs of several runners into one run record. */
export const mergeCommand: CommandModule = {
  command: 'merge',
  describe: 'Merge raw k6 outputs of several runners into one run record',
  handler: () => {
    throw new UsageError('merge', 'is not built yet');
  },
};
