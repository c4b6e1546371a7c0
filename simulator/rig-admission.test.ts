import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../core/policy.ts';
import { loadProfile } from '../core/profile.ts';
import { seededRandom } from '../core/seeded-random.ts';
import { admissionLimit } from '../core/target-admission.ts';
import { rigTestCalibration } from '../test/support/rig-calibration.ts';
import type { ModelContext } from './analytic.ts';
import { defaultTargets } from './defaults.ts';
import { EventHeap } from './des/heap.ts';
import { logNormalFromMedianP95, normalQuantile } from './distributions.ts';
import { finiteQueue } from './finite-queue.ts';
import { NO_ABUSE } from './rate-limit.ts';
import { admittedQuantileMs, endpointShedShares } from './rig-admission.ts';
import { predictRun } from './run-prediction.ts';

/**
 * The oracle: the target's sockets simulated request by request. Poisson arrivals, `servers` sockets
 * taken first come first served, a call's hold drawn from the policy's log-normal (not the exponential
 * the model's line assumes), an arrival finding `room` messages present turned away.
 */
function simulateSockets(rate: number, servers: number, room: number, calls: number) {
  const random = seededRandom(7);
  const hold = logNormalFromMedianP95(500, 1500);
  const free = new EventHeap(); // when each socket is next free, ms
  for (let i = 0; i < servers; i++) free.push(0, 0, 0, 0);
  const leaving = new EventHeap(); // departures of the admitted messages still present
  const latencies: number[] = [];
  let t = 0;
  let shed = 0;
  for (let i = 0; i < calls; i++) {
    t += (-Math.log(1 - random()) / rate) * 1000;
    while (leaving.size > 0 && leaving.peekTime() <= t) leaving.pop();
    if (leaving.size >= room) {
      shed++;
      continue;
    }
    const start = Math.max(t, free.peekTime());
    free.pop();
    const call = Math.exp(
      hold.mu + hold.sigma * normalQuantile(Math.min(1 - 1e-12, Math.max(1e-12, random()))),
    );
    free.push(start + call, 0, 0, 0);
    leaving.push(start + call, 0, 0, 0);
    latencies.push(start + call - t);
  }
  // The first tenth is the line filling up: left out, as a run's warm-up is.
  const settled = latencies.slice(Math.floor(latencies.length / 10)).sort((a, b) => a - b);
  return { shedShare: shed / calls, p95Ms: settled[Math.floor(settled.length * 0.95)]! };
}

describe("the target's admission limit past the sockets' knee", () => {
  it('sheds and bounds the wait as a request-by-request simulation of the sockets does', () => {
    // current: 50 sockets, the call log-normal with median 500 ms and p95 1,500 ms (mean 625 ms, 80
    // calls/s at most); 88 messages/s (1.1 × the sockets' knee) into room for 135 of them.
    const hold = logNormalFromMedianP95(500, 1500);
    const meanMs = Math.exp(hold.mu + hold.sigma ** 2 / 2);
    const queue = finiteQueue(88, 50, meanMs / 1000, 135);
    const p95 = admittedQuantileMs(queue, { hold, holdMeanMs: meanMs, outsideMs: 0 }, 0.95);
    const sim = simulateSockets(88, 50, 135, 200_000);
    expect(Math.abs(queue.blockedShare - sim.shedShare)).toBeLessThan(0.01);
    expect(p95 / sim.p95Ms - 1).toBeGreaterThan(-0.05);
    expect(p95 / sim.p95Ms - 1).toBeLessThan(0.05);
  });

  describe('a launch-mix run on the rig (predictRun)', () => {
    const ctx: ModelContext = {
      calibration: { ...rigTestCalibration(), calibrated: true },
      targets: defaultTargets(),
      cores: 2,
      abuse: NO_ABUSE,
      placement: { kind: 'rig', cores: 2 },
    };
    const policy = loadPolicy('current');
    const profile = loadProfile('ci-smoke');
    const at = (users: number) =>
      predictRun({ scenario: 'launch-mix', users, profile, policy, durationSeconds: 60 }, ctx);
    // The users at which the messages offer the sockets exactly what they carry (80 calls/s).
    const probe = at(1000);
    const kneeUsers = (1000 * 80) / probe.prediction.workload.messagesPerSecond;

    it("below the sockets' knee leaves the open queues' prediction alone", () => {
      const p = at(kneeUsers * 0.9);
      expect(p.admission).toBeUndefined();
      expect(p.p95Ms['api.message']).toBe(
        p.prediction.endpoints.find((e) => e.endpoint === 'api.message')!.p95Ms,
      );
    });

    it('past it sheds every endpoint alike, drops no iteration and bounds the message', () => {
      const p = at(kneeUsers * 1.1);
      const a = p.admission!;
      expect(a.limit).toBe(admissionLimit(policy));
      expect(a.limit).toBe(140);
      // Flow: what the sockets carry is their busy ones over a call's 0.625 s; the rest of 88/s is shed.
      expect(a.sockets.arrivalPerSecond).toBeCloseTo(88, 6);
      expect(a.sockets.meanServiceS).toBeCloseTo(0.625, 3);
      expect(a.shedShare).toBeCloseTo(
        1 - a.sockets.busyServers / (a.sockets.arrivalPerSecond * a.sockets.meanServiceS),
        9,
      );
      expect(a.shedShare).toBeGreaterThan(0.085);
      expect(a.shedShare).toBeLessThan(0.095);
      expect(p.droppedIterations).toBe(0);
      expect(p.throughput).toBeCloseTo(p.askedThroughput, 6);
      // The wait is the line's drain, about (room − 50 − 10) / 80 s, on top of the call.
      expect(p.p95Ms['api.message']).toBe(a.messageP95Ms);
      expect(a.messageP95Ms!).toBeGreaterThan(1500 + 0.8 * 1000);
      expect(a.messageP95Ms!).toBeLessThan(1500 + 1.2 * 1000);
      expect(p.busy['upstream.sockets']).toBeCloseTo(a.sockets.busyServers, 9);
      // The target serves what it does not shed: the figures are at the asked syncs less the shed share,
      // while the sockets stay named saturated at the load offered.
      const syncsAsked = p.streams
        .filter((s) => s.name.startsWith('sync_'))
        .reduce((sum, s) => sum + s.askedPerSecond, 0);
      expect(p.prediction.workload.syncsPerSecond).toBeCloseTo(syncsAsked * (1 - a.shedShare), 6);
      expect(p.saturatedResources).toContain('upstream.sockets');
      // The VUs held: messages (admitted ones for their whole latency) and syncs, within the limit.
      const messages = p.streams.filter((s) => s.name.startsWith('message_'));
      const held = messages.reduce((s, o) => s + o.busyVUs, 0);
      expect(held).toBeGreaterThan(a.sockets.admittedPerSecond * (a.messageMeanMs / 1000) * 0.99);
      expect(held).toBeLessThan(a.limit);
    });
  });

  it("by hand: a sync's push follows a shed conversations request at once, so it is shed at 1 − (1 − shed)²", () => {
    const shares = endpointShedShares(0.1, [
      'api.message',
      'rest.conversations',
      'rest.messages',
      'rest.push',
    ]);
    expect(shares['api.message']).toBe(0.1);
    expect(shares['rest.conversations']).toBe(0.1);
    expect(shares['rest.messages']).toBe(0.1);
    // 0.1 after a shed conversations request, plus 0.9 × 0.1 after an admitted one.
    expect(shares['rest.push']).toBeCloseTo(0.19, 12);
    expect(endpointShedShares(0, ['rest.push'])['rest.push']).toBe(0);
  });
});
