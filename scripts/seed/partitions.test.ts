import { describe, expect, it } from 'vitest';
import { FUTURE_MONTHS, monthlyPartitions, partitionDdl, weeklyPartitions } from './partitions.ts';

const AS_OF = Date.parse('2025-06-15T12:00:00Z');

describe('partitions', () => {
  it('covers the history window month by month up to FUTURE_MONTHS past asOf, without gaps', () => {
    const months = monthlyPartitions('messages', AS_OF, 180);
    expect(months[0]).toEqual({ name: 'messages_p2024_12', from: '2024-12-01', to: '2025-01-01' });
    expect(months.at(-1)!.to).toBe(`2025-${String(6 + FUTURE_MONTHS + 1).padStart(2, '0')}-01`);
    for (let i = 1; i < months.length; i++) expect(months[i]!.from).toBe(months[i - 1]!.to);
  });

  it('covers the same window week by week from a Monday', () => {
    const weeks = weeklyPartitions('usage_logs', AS_OF, 180);
    expect(new Date(`${weeks[0]!.from}T00:00:00Z`).getUTCDay()).toBe(1);
    expect(Date.parse(weeks[0]!.from)).toBeLessThanOrEqual(AS_OF - 180 * 86_400_000);
    expect(Date.parse(weeks.at(-1)!.to)).toBeGreaterThanOrEqual(Date.parse('2025-10-01'));
    for (let i = 1; i < weeks.length; i++) expect(weeks[i]!.from).toBe(weeks[i - 1]!.to);
  });

  it('adds a default partition to each table', () => {
    const ddl = partitionDdl(AS_OF, 30);
    expect(ddl).toContain('create table messages_default partition of messages default');
    expect(ddl).toContain('create table usage_logs_default partition of usage_logs default');
  });
});
