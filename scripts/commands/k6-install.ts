import type { CommandModule } from 'yargs';
import { UsageError } from '../../core/usage-error.ts';

/** `atlas-cap k6-install`: Install the pinned k6 (v1.8.1) into .tools/bin when none is on PATH. */
export const k6InstallCommand: CommandModule = {
  command: 'k6-install',
  describe: 'Install the pinned k6 (v1.8.1) into .tools/bin when none is on PATH',
  handler: () => {
    throw new UsageError('k6-install', 'is not built yet');
  },
};
