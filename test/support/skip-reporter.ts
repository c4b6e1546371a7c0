import { relative } from 'node:path';
import type { Reporter, TestCase, TestModule, Vitest } from 'vitest/node';

// A skipped test is a test that proved nothing: the end of the run says which were skipped and why,
// so a pass that hid the end-to-end tests cannot pass unnoticed.

const NO_REASON = 'no reason given (it.skip, describe.skip, or a runIf without needs())';

/** Why `test` was skipped: its `ctx.skip(note)`, else the skip reason of it or its nearest suite. */
function reasonOf(test: TestCase): string {
  const result = test.result();
  if (result.state === 'skipped' && result.note) return result.note;
  let at: TestCase | TestCase['parent'] = test;
  for (;;) {
    const reason = at.meta().skipReason;
    if (reason) return reason;
    if (at.type === 'module') return NO_REASON;
    at = at.parent;
  }
}

/**
 * Lines listing the skipped tests of `modules`, grouped by reason and file; empty when none was skipped.
 * `filtered`: a name filter (-t) is on, so tests skipped without a reason were only filtered out.
 */
export function skipSummary(modules: readonly TestModule[], root: string, filtered = false): string[] {
  const byReason = new Map<string, Map<string, number>>();
  for (const module of modules) {
    for (const test of module.children.allTests()) {
      if (test.result().state !== 'skipped') continue;
      const reason = reasonOf(test);
      if (filtered && reason === NO_REASON) continue;
      const files = byReason.get(reason) ?? new Map<string, number>();
      const file = relative(root, module.moduleId);
      files.set(file, (files.get(file) ?? 0) + 1);
      byReason.set(reason, files);
    }
  }
  if (byReason.size === 0) return [];
  const lines = ['Skipped (under CI=true a missing piece fails the run instead):'];
  for (const [reason, files] of byReason) {
    const where = [...files].map(([file, n]) => `${file} (${n})`).join(', ');
    lines.push(`  ${where}: ${reason}`);
  }
  return lines;
}

/** Vitest reporter that prints, after the summary, every skipped test with its reason. */
export default class SkipReporter implements Reporter {
  private root = process.cwd();
  private filtered = false;

  onInit(vitest: Vitest): void {
    this.root = vitest.config.root;
    this.filtered = vitest.config.testNamePattern !== undefined;
  }

  onTestRunEnd(modules: readonly TestModule[]): void {
    const lines = skipSummary(modules, this.root, this.filtered);
    if (lines.length > 0) process.stdout.write(`\n${lines.join('\n')}\n`);
  }
}
