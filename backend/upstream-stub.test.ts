import { describe, expect, it } from 'vitest';
import { seededRandom } from '../core/seeded-random.ts';
import { logNormalSampler, startUpstreamStub } from './upstream-stub.ts';

describe('upstream stub', () => {
  it('draws log-normal delays with the requested median and p95, the same for the same seed', () => {
    const draw = logNormalSampler(500, 1500, seededRandom(42));
    const samples = Array.from({ length: 20_000 }, draw).sort((a, b) => a - b);
    expect(samples[10_000]!).toBeGreaterThan(480);
    expect(samples[10_000]!).toBeLessThan(520);
    expect(samples[19_000]!).toBeGreaterThan(1400);
    expect(samples[19_000]!).toBeLessThan(1600);
    const again = logNormalSampler(500, 1500, seededRandom(42));
    expect(again()).toBe(logNormalSampler(500, 1500, seededRandom(42))());
  });

  it('answers POST /v1/messages in the Messages API shape and 404 otherwise', async () => {
    const stub = await startUpstreamStub({ latencyMs: { median: 20, p95: 40 }, seed: 1 });
    try {
      const started = performance.now();
      const res = await fetch(`${stub.url}/v1/messages`, {
        method: 'POST',
        body: JSON.stringify({ messages: [] }),
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { role: string; content: { text: string }[] };
      expect(body.role).toBe('assistant');
      expect(body.content[0]!.text.length).toBeGreaterThan(0);
      expect(performance.now() - started).toBeGreaterThan(5);
      expect((await fetch(`${stub.url}/other`)).status).toBe(404);
    } finally {
      await stub.close();
    }
  });
});
