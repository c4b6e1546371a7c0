import type { CommandModule } from 'yargs';
import { installK6 } from '../k6/install.ts';

/** `atlas-cap k6-install`: Install the pinned k6 (v1.8.1) into .tools/bin when none is on PATH. */
export const k6InstallCommand: CommandModule = {
  command: 'k6-install',
  describe: 'Install the pinned k6 (v1.8.1) into .tools/bin when none is on PATH',
  handler: async () => {
    const result = await installK6((line) => process.stderr.write(line + '\n'));
    process.stdout.write(
      `k6 ${result.version} ${result.installed ? 'installed at' : 'found at'} ${result.binary}\n`,
    );
  },
};
