import type { CommandModule } from 'yargs';
import { UsageError } from '../../core/usage-error.ts';

/** `atlas-cap target`: Serve the reference Atlas backend and Supabase REST layer. */
export const targetCommand: CommandModule = {
  command: 'target',
  describe: 'Serve the reference Atlas backend and Supabase REST layer',
  handler: () => {
    throw new UsageError('target', 'is not built yet');
  },
};
