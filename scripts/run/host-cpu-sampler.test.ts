import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startHostCpuSampler } from './host-cpu-sampler.ts';

// The sampler on this machine's /proc: a watched thread's schedstat is read over the window.
// Linux only (/proc); under CI=true it runs everywhere, so a CI machine without /proc fails here.
describe.runIf(process.platform === 'linux' || process.env.CI === 'true')(
  "a watched thread's schedstat",
  () => {
    it("counts the CPU this test's own main thread spends between watching and stopping", async () => {
      // Its involuntary context switches, read straight from its status file around the sampler's window.
      const involuntary = () =>
        Number(
          /nonvoluntary_ctxt_switches:\s+(\d+)/.exec(
            readFileSync(`/proc/${process.pid}/task/${process.pid}/status`, 'utf8'),
          )![1],
        );
      const before = involuntary();
      const sampler = startHostCpuSampler(1, 50);
      sampler.watchThread(process.pid);
      // About 300 ms of CPU on this thread, then a pause for the sampler's timer to read again.
      const until = Date.now() + 300;
      let x = 0;
      while (Date.now() < until) x += Math.sqrt(x + 1);
      await new Promise((r) => setTimeout(r, 120));
      const summary = sampler.stop();
      expect(x).toBeGreaterThan(0);
      const thread = summary!.thread!;
      expect(thread.cpuSeconds).toBeGreaterThan(0.2);
      expect(thread.cpuSeconds).toBeLessThanOrEqual(thread.windowSeconds + 0.02);
      expect(thread.runQueueSeconds).toBeGreaterThanOrEqual(0);
      expect(thread.timeslices).toBeGreaterThan(0);
      // Its preemptions over the window: a whole count, no more than the status file's over a wider one.
      expect(Number.isInteger(thread.involuntarySwitches)).toBe(true);
      expect(thread.involuntarySwitches).toBeGreaterThanOrEqual(0);
      expect(thread.involuntarySwitches).toBeLessThanOrEqual(involuntary() - before);
    });
  },
);
