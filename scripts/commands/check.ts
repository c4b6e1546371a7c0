import type { CommandModule } from 'yargs';
import { UsageError } from '../../core/usage-error.ts';

/** `atlas-cap check`: Run the budgeted scenarios and gate CI on latency budgets and regressions. */
export const checkCommand: CommandModule = {
  command: 'check',
  describe: 'Run the budgeted scenarios and gate CI on latency budgets and regressions',
  handler: () => {
    throw new UsageError('check', 'is not built yet');
  },
};
