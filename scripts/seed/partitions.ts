const DAY = 86_400_000;
/** Future months covered beyond asOf, so rows written by later load tests land in a real partition. */
export const FUTURE_MONTHS = 3;

/** One range partition: [from, to) as ISO dates (UTC midnight). */
export interface PartitionRange {
  name: string;
  from: string;
  to: string;
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Monthly partitions of `table` from the month holding asOf - historyDays to FUTURE_MONTHS past asOf. */
export function monthlyPartitions(table: string, asOf: number, historyDays: number): PartitionRange[] {
  const first = new Date(asOf - historyDays * DAY);
  const end = new Date(asOf);
  let y = first.getUTCFullYear();
  let m = first.getUTCMonth();
  const endKey = end.getUTCFullYear() * 12 + end.getUTCMonth() + FUTURE_MONTHS;
  const out: PartitionRange[] = [];
  while (y * 12 + m <= endKey) {
    const from = Date.UTC(y, m, 1);
    const to = Date.UTC(y, m + 1, 1);
    out.push({
      name: `${table}_p${isoDate(from).slice(0, 7).replace('-', '_')}`,
      from: isoDate(from),
      to: isoDate(to),
    });
    m++;
    if (m === 12) {
      m = 0;
      y++;
    }
  }
  return out;
}

/** Weekly (Monday-based) partitions of `table` over the same window as monthlyPartitions. */
export function weeklyPartitions(table: string, asOf: number, historyDays: number): PartitionRange[] {
  const firstDay = Math.floor((asOf - historyDays * DAY) / DAY) * DAY;
  const weekday = (new Date(firstDay).getUTCDay() + 6) % 7; // Monday = 0
  let from = firstDay - weekday * DAY;
  const endDate = new Date(asOf);
  const end = Date.UTC(endDate.getUTCFullYear(), endDate.getUTCMonth() + FUTURE_MONTHS + 1, 1);
  const out: PartitionRange[] = [];
  while (from < end) {
    const to = from + 7 * DAY;
    out.push({
      name: `${table}_w${isoDate(from).replaceAll('-', '_')}`,
      from: isoDate(from),
      to: isoDate(to),
    });
    from = to;
  }
  return out;
}

/** DDL creating the partitions of messages (monthly) and usage_logs (weekly), plus default partitions. */
export function partitionDdl(asOf: number, historyDays: number): string[] {
  const ddl: string[] = [];
  const add = (table: string, ranges: PartitionRange[]) => {
    for (const r of ranges) {
      ddl.push(`create table ${r.name} partition of ${table} for values from ('${r.from}') to ('${r.to}')`);
    }
    ddl.push(`create table ${table}_default partition of ${table} default`);
  };
  add('messages', monthlyPartitions('messages', asOf, historyDays));
  add('usage_logs', weeklyPartitions('usage_logs', asOf, historyDays));
  return ddl;
}
