import { findK6 } from '../../scripts/k6/binary.ts';
import { installK6 } from '../../scripts/k6/install.ts';
import { IN_CI, type Service, whyMissing } from './services.ts';

// Runs once, before vitest collects any test file: builds what the project can build itself (the
// pinned k6, from its Go module) so no test file finds it missing or builds it inside a test, and
// names in one line each what must come from the machine. Under CI=true anything missing fails the run.

const FROM_THE_MACHINE: Service[] = ['PostgreSQL', 'Redis', 'Chromium'];

function say(line: string): void {
  process.stderr.write(`[test setup] ${line}\n`);
}

/** The missing pieces, one line each, after building k6 when it is absent. */
export async function prepareTestMachine(): Promise<string[]> {
  const missing: string[] = [];
  if (!findK6()) {
    try {
      const built = await installK6(say);
      say(`k6: built ${built.version} at ${built.binary}`);
    } catch (error) {
      // One line: the installer's own message says how to get k6 (install Go, or k6 itself).
      missing.push(`k6: ${(error as Error).message.replace(/\s*\n\s*/g, ' ')}`);
    }
  }
  for (const service of FROM_THE_MACHINE) {
    const why = await whyMissing(service);
    if (why) missing.push(why);
  }
  return missing;
}

/** Vitest global setup: prepare, report each missing piece, and fail under CI when any is missing. */
export default async function setup(): Promise<void> {
  const missing = await prepareTestMachine();
  for (const line of missing) say(line);
  if (missing.length > 0 && IN_CI) {
    say(`CI=true: ${missing.length} missing (above); failing before any test runs`);
    // Exit here rather than throw: vitest would bury the lines above under "No test files found" and a
    // stack trace. No worker has started yet, so there is nothing to clean up.
    process.exit(1);
  }
}
