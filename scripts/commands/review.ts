import type { CommandModule } from 'yargs';
import { UsageError } from '../../core/usage-error.ts';

/** `atlas-cap review`: Produce the go/no-go readiness review (what npm start runs). */
export const reviewCommand: CommandModule = {
  command: 'review',
  describe: 'Produce the go/no-go readiness review (what npm start runs)',
  handler: () => {
    throw new UsageError('review', 'is not built yet');
  },
};
