import type { CommandModule } from 'yargs';
import { UsageError } from '../../core/usage-error.ts';

/** `atlas-cap run`: Run a k6 scenario end to end and write a run record. */
export const runCommand: CommandModule = {
  command: 'run',
  describe: 'Run a k6 scenario end to end and write a run record',
  handler: () => {
    throw new UsageError('run', 'is not built yet');
  },
};
