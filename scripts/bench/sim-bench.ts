// `npm run bench:sim`: the simulator's speed goals, measured and printed (never asserted in tests).
//   1. DES of 100k users for one simulated hour of 30 s syncs (~12M syncs): goal 5M+ events/s.
//      Reference in the same run: the same push/pop sequence on a textbook heap of event objects.
//   2. Analytical sweep of 100 user counts: goal under 50 ms.
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Policy } from '../../core/policy.ts';
import { loadPolicy } from '../../core/policy.ts';
import type { Profile } from '../../core/profile.ts';
import { loadProfile } from '../../core/profile.ts';
import { desConfigFor, JITTERED_TIMERS, Random, runDes } from '../../simulator/des/index.ts';
import type { ModelContext } from '../../simulator/index.ts';
import {
  defaultCalibration,
  defaultTargets,
  NO_ABUSE,
  predictAnalytic,
  workloadAt,
} from '../../simulator/index.ts';

const ctx: ModelContext = {
  calibration: defaultCalibration(),
  targets: defaultTargets(),
  cores: 16,
  abuse: NO_ABUSE,
};

/** Every user online and syncing every 30 s (delta), no messages: the bench's workload. */
function benchSetting(): { profile: Profile; policy: Policy } {
  const base = loadProfile('scale-100k');
  const fixed = loadPolicy('fixed');
  return {
    profile: { ...base, onlineShare: 1, messagesPerUserPerMinute: 0 },
    policy: {
      ...fixed,
      database: { ...fixed.database, poolSize: 60 },
      sync: { ...fixed.sync, tiers: ['free', 'core', 'studio'], interval: { kind: 'fixed', seconds: 30 } },
    },
  };
}

interface EventObject {
  time: number;
  seq: number;
  type: number;
  payload: number;
}

const before = (a: EventObject, b: EventObject): boolean =>
  a.time < b.time || (a.time === b.time && a.seq < b.seq);

/** Reference: a textbook binary heap of event objects, one entry per client timer. */
class ObjectHeap {
  private items: EventObject[] = [];
  private seq = 0;
  get size(): number {
    return this.items.length;
  }
  push(time: number, type: number, payload: number): void {
    const it = { time, seq: this.seq++, type, payload };
    const a = this.items;
    let i = a.length;
    a.push(it);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (before(a[p]!, it)) break;
      a[i] = a[p]!;
      i = p;
    }
    a[i] = it;
  }
  pop(): EventObject {
    const a = this.items;
    const top = a[0]!;
    const last = a.pop()!;
    const n = a.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && before(a[c + 1]!, a[c]!)) c++;
        if (!before(a[c]!, last)) break;
        a[i] = a[c]!;
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}

/** The reference: 100k periodic timers and one release per firing, the DES's event pattern, on object events. */
function referenceRun(
  users: number,
  periodMs: number,
  endMs: number,
  holdMs: number,
): { events: number; ms: number } {
  const rnd = new Random(1);
  const heap = new ObjectHeap();
  for (let u = 0; u < users; u++) heap.push(rnd.uniform() * periodMs, 1, u);
  let events = 0;
  const t0 = performance.now();
  while (heap.size > 0) {
    const e = heap.pop();
    if (e.time > endMs) break;
    events++;
    if (e.type === 1) {
      heap.push(e.time + periodMs, 1, e.payload);
      heap.push(e.time + rnd.exponential(holdMs), 0, e.payload);
    }
  }
  return { events, ms: performance.now() - t0 };
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

const lines: string[] = [];
const { profile, policy } = benchSetting();
const users = 100_000;
const w = workloadAt(profile, policy, users);
const config = desConfigFor(policy, w, ctx, 0, {
  seed: 1,
  durationSeconds: 3600,
  warmupSeconds: 0,
  pattern: { ...JITTERED_TIMERS, granularity: 'sync' },
  sampleEverySeconds: 10,
});
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const result = runDes(config);
const desMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const rate = result.events / (desMs / 1000);
// On a shared machine wall time includes waiting for a core; CPU time is what the DES itself used.
const cpuRate = result.events / ((cpu.user + cpu.system) / 1e6);
// The reference runs a tenth of the hour: it is the slow design, and its rate is what is compared.
const ref = referenceRun(users, 30_000, 360_000, 3);
const refRate = ref.events / (ref.ms / 1000);
lines.push(
  `DES: ${fmt(users)} users, 30 s syncs, 1 simulated hour: ${fmt(result.jobs['sync.active']!.count + result.jobs['sync.recent']!.count + result.jobs['sync.inactive']!.count)} syncs, ${fmt(result.events)} events in ${(desMs / 1000).toFixed(2)} s = ${fmt(rate)} events/s (goal 5,000,000: ${rate >= 5e6 ? 'met' : 'NOT met'})`,
);
lines.push(
  `  per CPU-second: ${fmt(cpuRate)} events/s (${((cpu.user + cpu.system) / 1e6).toFixed(2)} s of CPU; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores)`,
);
lines.push(
  `  pool: ${result.resources[0]!.servers} connections, ${(result.resources[0]!.utilisation * 100).toFixed(1)}% busy, max queue ${result.resources[0]!.maxQueue}`,
);
lines.push(
  `  reference (same events on a heap of event objects): ${fmt(ref.events)} events in ${(ref.ms / 1000).toFixed(2)} s = ${fmt(refRate)} events/s; ratio ${(rate / refRate).toFixed(2)}×`,
);

// Analytical sweep: 100 user counts, one policy, after one warm-up sweep.
const fixed = loadPolicy('fixed');
const launch = loadProfile('launch-10k');
const counts = Array.from({ length: 100 }, (_, i) => (i + 1) * 1000);
const sweep = (): { wall: number; cpu: number } => {
  const c = process.cpuUsage();
  const s = performance.now();
  for (const n of counts) predictAnalytic(launch, fixed, n, ctx);
  const u = process.cpuUsage(c);
  return { wall: performance.now() - s, cpu: (u.user + u.system) / 1000 };
};
sweep();
const runs = Array.from({ length: 7 }, sweep);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const wall = median(runs.map((r) => r.wall));
const cpuMs = median(runs.map((r) => r.cpu));
lines.push(
  `Analytical sweep: 100 user counts (1k..100k, policy fixed), median of 7: ${wall.toFixed(1)} ms wall, ${cpuMs.toFixed(1)} ms CPU (goal < 50 ms: ${wall < 50 ? 'met' : cpuMs < 50 ? 'met in CPU time; wall time includes waiting for a core' : 'NOT met'}); ratio to goal ${(wall / 50).toFixed(2)} wall, ${(cpuMs / 50).toFixed(2)} CPU`,
);
process.stdout.write(`${lines.join('\n')}\n`);
