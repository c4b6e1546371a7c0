import { describe, expect, it } from 'vitest';
import { sampleOf, snapshotOf } from './collector.ts';
import { byLabel, parsePrometheus, sumOf } from './prometheus.ts';

const TEXT = `# HELP atlas_db_pool_size Configured size
# TYPE atlas_db_pool_size gauge
atlas_db_pool_size 10
atlas_db_pool_in_use 4
atlas_db_pool_idle 6
atlas_db_pool_waiting 2
atlas_upstream_sockets_in_use 50
atlas_upstream_requests_queued 17
atlas_rate_limited_total{tier="free"} 30
atlas_rate_limited_total{tier="core"} 1
atlas_db_queries_total{kind="select.conversations"} 120
atlas_db_queries_total{kind="message.tier"} 40
atlas_db_query_duration_seconds_sum{kind="select.conversations"} 0.25
http_requests_total{route="/rest/v1/:table",status="200"} 160
weird_label{a="x\\"y"} +Inf
`;

describe('Prometheus text parsing', () => {
  it('reads gauges, labelled counters and escapes', () => {
    const samples = parsePrometheus(TEXT);
    expect(sumOf(samples, 'atlas_rate_limited_total')).toBe(31);
    expect(sumOf(samples, 'atlas_rate_limited_total', { tier: 'free' })).toBe(30);
    expect(sumOf(samples, 'no_such_metric')).toBeUndefined();
    expect(byLabel(samples, 'atlas_db_queries_total', 'kind')).toEqual({
      'select.conversations': 120,
      'message.tier': 40,
    });
    expect(samples.find((s) => s.name === 'weird_label')).toEqual({
      name: 'weird_label',
      labels: { a: 'x"y' },
      value: Infinity,
    });
  });

  it('turns a scrape into a server sample and a counter snapshot', () => {
    const samples = parsePrometheus(TEXT);
    expect(sampleOf(samples, 5)).toEqual({
      atMs: 5,
      pool: { total: 10, inUse: 4, idle: 6, waiting: 2 },
      upstream: { inUse: 50, queued: 17 },
      rateLimitedTotal: 31,
      gc: null,
      loopDelay: null,
    });
    const snap = snapshotOf(samples, 5);
    expect(snap.querySecondsByKind['select.conversations']).toBe(0.25);
    expect(snap.httpByRouteStatus['/rest/v1/:table 200']).toBe(160);
  });
});
