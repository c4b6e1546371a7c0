import { describe, expect, it } from 'vitest';
import { COMMAND_LOADERS } from '../scripts/commands/index.ts';
import { runCli } from './support/run-cli.ts';

// Every command the CLI has, as `--help` lists them: the message must name them all.
const COMMANDS = Object.keys(COMMAND_LOADERS).join(', ');

describe('atlas-cap: commands and help', () => {
  it('answers an unknown command with one line and exit 2, with or without --help', async () => {
    expect(COMMANDS).toMatch(/^review, seed, .*, k6-install$/);
    for (const args of [['nosuch'], ['nosuch', '--help'], ['revew', '-h'], ['--help', 'nosuch']]) {
      const r = await runCli(args);
      const word = args.find((a) => !a.startsWith('-'));
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout, args.join(' ')).toBe('');
      expect(r.stderr, args.join(' ')).toBe(
        `atlas-cap: unknown command '${word}': the commands are ${COMMANDS}\n`,
      );
    }
  });

  it('still helps with --help alone and with a known command', async () => {
    const general = await runCli(['--help']);
    expect(general.code).toBe(0);
    expect(general.stdout).toMatch(/^atlas-cap <command> \[options\]/);
    for (const command of ['review', 'k6-install']) expect(general.stdout).toContain(`atlas-cap ${command}`);
    const run = await runCli(['run', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^atlas-cap run <scenario>/);
  });

  it('asks for a command when none is named (one line, exit 2)', async () => {
    const r = await runCli([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('atlas-cap: name a command (see --help)\n');
  });
});
