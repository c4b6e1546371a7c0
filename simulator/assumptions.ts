import type { Profile } from '../core/profile.ts';

// Every input of a verdict that is not measured, as a dial: a value, where it comes from (a seed line,
// a fixture with its date, or the word "assumption"), a low / base / high range and the values it may
// take. `review` and `simulate` read the same table (`--set name=value`, a profile's `assumptions:`),
// sensitivity and Monte Carlo vary its values, and the review prints it. Names are stable: they are
// the flag names and the keys of data.json.

/** Names of the assumptions, in the order the review lists them. */
export const ASSUMPTION_NAMES = [
  // The load: who the N users are and what they do at the peak.
  'monthlyActiveShare',
  'peakConcurrentShare',
  'messagesPerMinuteAtPeak',
  'peakHoursPerDay',
  'paidShare',
  'freeTierSyncs',
  // The language-model call: how long it holds a socket.
  'upstreamMedianMs',
  'upstreamP95Ms',
  // The deployment's speed: its time and CPU per request against what this machine's runs measured.
  'serviceDemandScale',
  // The deployment's data: how a user's rows lie on the heap's pages (the pages a sync reads), the
  // memory that keeps them, and the disk that serves the rest.
  'heapRowsPerPage',
  'sharedBuffersShare',
  'pageCacheShare',
  'pageCacheInflow',
  'diskReadMs',
  'diskWritesPerCommit',
  // The stress case (never in the base verdicts): abusive free users.
  'abuseShare',
  'abuseRatePerMinute',
  // The language-model API as a cost and a capacity.
  'inputTokensFree',
  'inputTokensCore',
  'inputTokensStudio',
  'outputTokensFree',
  'outputTokensCore',
  'outputTokensStudio',
  'llmPriceFactor',
  'llmRequestsPerMinute',
  'llmTokensPerMinute',
] as const;

/** One assumption's name (a `--set` flag name and a key of data.json). */
export type AssumptionName = (typeof ASSUMPTION_NAMES)[number];

/** Which part of the model reads an assumption. */
export type AssumptionGroup = 'load' | 'upstream' | 'machine' | 'data' | 'stress' | 'llm';

/** One dial: value, unit, source, range, and the values it may take. */
export interface Assumption {
  name: AssumptionName;
  group: AssumptionGroup;
  /** What it is, in a few words (the review's assumptions table). */
  label: string;
  /** The value the model uses (the range's base unless set by a flag or a profile). */
  value: number;
  unit: string;
  /** A seed line (`launch-readiness-report.md:36 ...`), a fixture with date, or `assumption: <why>`. */
  source: string;
  /** Plausible range for sensitivity and Monte Carlo; `base` is the value before any override. */
  range: { low: number; base: number; high: number };
  /** Values `--set` accepts: inclusive bounds, and whole numbers only when `integer`. */
  domain: { min: number; max: number; integer: boolean };
  /** Where the current value was set when not the base: `--set`, or the profile file. */
  setBy?: string;
}

/** Every assumption by name. */
export type Assumptions = Record<AssumptionName, Assumption>;

/** An assumption set to an unknown name or a value outside its domain (the CLI turns it into exit 2). */
export class AssumptionError extends Error {
  /** The assumption's name as written. */
  readonly assumption: string;
  constructor(assumption: string, message: string) {
    super(message);
    this.name = 'AssumptionError';
    this.assumption = assumption;
  }
}

type Row = Omit<Assumption, 'name' | 'value' | 'range' | 'setBy'> & {
  range: [low: number, base: number, high: number];
};

const SHARE = { min: 0, max: 1, integer: false };
const TOKENS = { min: 0, max: 1_000_000, integer: true };
const tokens = (dir: 'input' | 'output', tier: string, base: [number, number, number]): Row => ({
  group: 'llm',
  label: `language-model ${dir} tokens per message (${tier})`,
  unit: 'tokens',
  source:
    dir === 'input'
      ? 'assumption: system prompt + recent history + the message (~500 chars ≈ 125 tokens per message, storage-architecture-analysis.md "Average 500 chars"); the seeds give no token counts'
      : 'assumption: one reply of ~500 chars ≈ 125-200 tokens (storage-architecture-analysis.md "Average 500 chars")',
  range: base,
  domain: TOKENS,
});

/**
 * Where serviceDemandScale's range comes from: the calibration's own run-to-run noise on this machine,
 * and the deployment's cores against this machine's (docs/simulator.md "The calibration's noise").
 */
const SERVICE_DEMAND_SCALE_SOURCE =
  "measured: npm start's base knee under current, set by the database CPU per statement its 10 s calibration runs measure, was 71,089-91,090 users in five runs on 2026-12-05 and 80,312, 80,312 and 108,736 in three earlier sessions: log SD 0.13, a 90 % range of 0.80-1.24 for one calibration; the deployment's cores against this machine's: assumption, inside that range (docs/simulator.md \"The calibration's noise\")";

/** The catalogue: every assumption's base, range, unit, domain and source. */
const CATALOGUE: Record<AssumptionName, Row> = {
  monthlyActiveShare: {
    group: 'load',
    label: 'share of registered users active in a month (MAU / registered)',
    unit: 'share',
    source:
      'assumption: the seeds give no usage data; high = 1, the seeds\' reading ("concurrent users", launch-readiness-report.md:4)',
    range: [0.2, 0.5, 1],
    domain: SHARE,
  },
  peakConcurrentShare: {
    group: 'load',
    label: 'share of monthly active users online at the peak',
    unit: 'share',
    source:
      'assumption: the seeds give no usage data; high = 1, every user online at once (launch-readiness-report.md:4 "10,000 - 100,000 concurrent users")',
    range: [0.05, 0.2, 1],
    domain: SHARE,
  },
  messagesPerMinuteAtPeak: {
    group: 'load',
    label: '/api/message sends per online user per minute at the peak (before the monthly caps)',
    unit: 'messages/min',
    source: 'launch-readiness-report.md:36 "Peak load: 10k users × 2 requests/min"',
    range: [0.5, 2, 4],
    domain: { min: 0, max: 1000, integer: false },
  },
  peakHoursPerDay: {
    group: 'load',
    label: "daily profile: hours per day at peak load (the day's traffic divided by the peak rate)",
    unit: 'hours/day',
    source: 'assumption: the seeds give no daily profile; 24 = the peak all day',
    range: [3, 6, 12],
    domain: { min: 0.25, max: 24, integer: false },
  },
  paidShare: {
    group: 'load',
    label: "share of users on a paid tier (core + studio, in the profile's ratio)",
    unit: 'share',
    source:
      'launch-readiness-report.md:268 "1,000 paying users" at 10k users (profile tierMix); range is an assumption',
    range: [0.05, 0.1, 0.2],
    domain: SHARE,
  },
  freeTierSyncs: {
    group: 'load',
    label: 'free-tier clients sync too (1) or only paid tiers sync (0)',
    unit: '0 or 1',
    source: 'storage-architecture-analysis.md:43 "30s Background Sync (Paid Only)", :310-311',
    range: [0, 0, 1],
    domain: { min: 0, max: 1, integer: true },
  },
  upstreamMedianMs: {
    group: 'upstream',
    label: 'language-model call, median time holding a socket',
    unit: 'ms',
    source: 'launch-readiness-report.md:35 "Each API call holds connection for ~500ms"; range an assumption',
    range: [300, 500, 1000],
    domain: { min: 1, max: 600_000, integer: false },
  },
  upstreamP95Ms: {
    group: 'upstream',
    label: 'language-model call, p95 time holding a socket (log-normal with the median)',
    unit: 'ms',
    source: 'assumption: no document gives a p95; 3× the median',
    range: [800, 1500, 4000],
    domain: { min: 1, max: 600_000, integer: false },
  },
  serviceDemandScale: {
    group: 'machine',
    label:
      "the deployment's time and CPU per statement and request, × what this machine's calibration runs measured",
    unit: '×',
    source: SERVICE_DEMAND_SCALE_SOURCE,
    range: [0.8, 1, 1.25],
    domain: { min: 0.01, max: 100, integer: false },
  },
  heapRowsPerPage: {
    group: 'data',
    label: "rows of one user's sync that share a heap page on the deployment (the pages a sync reads)",
    unit: 'rows per page',
    source:
      "assumption: a chat's messages arrive over days, interleaved with every other user's, a message and its reply written together (2); 1 = every row on a page of its own; 10 = a user's rows together, as the seeder writes them (measured: 200 messages of a ci-smoke user on 19.9 pages) and as CLUSTER or partitioning by user would keep them",
    range: [1, 2, 10],
    domain: { min: 1, max: 30, integer: false },
  },
  sharedBuffersShare: {
    group: 'data',
    label: "share of the database compute size's RAM in shared_buffers",
    unit: 'share of RAM',
    source:
      'assumption: PostgreSQL\'s documented starting point for shared_buffers, 25% of RAM, and "unlikely that an allocation of more than 40% of RAM will work better" (postgresql.org/docs/15/runtime-config-resource.html); Supabase\'s per-size value not read here',
    range: [0.125, 0.25, 0.4],
    domain: { min: 0.01, max: 1, integer: false },
  },
  pageCacheShare: {
    group: 'data',
    label: "share of the database compute size's RAM the OS page cache holds its pages in",
    unit: 'share of RAM',
    source:
      "assumption: PostgreSQL's documentation counts on the OS page cache beside shared_buffers (effective_cache_size, shared_buffers included, half to three quarters of RAM, postgresql.org/docs/15/runtime-config-query.html); less shared_buffers' quarter, and on a small instance the platform's services (PostgREST, Auth, Realtime) share the RAM",
    range: [0.25, 0.5, 0.75],
    domain: SHARE,
  },
  pageCacheInflow: {
    group: 'data',
    label:
      'pages the OS page cache takes in, never used again, for each page shared_buffers misses (readahead, the WAL)',
    unit: 'pages per miss',
    source:
      "measured on the rig, 2026-12-06: with PostgreSQL in a memory cgroup and 3,000 users' messages laid out in time order (each syncing user's rows on pages of their own, 1.97 of the syncing users' rows a page), full sync read 5.7 and 5.3 pages a sync from the disk on 603 and 407 MB of page cache and 120 and 128 of 142 misses on 287 and 187 MB, around a loop of 277 MB: an LRU with 0.04-0.47 such pages a miss puts its step there (docs/simulator.md \"Data size\"); the deployment's readahead and WAL: assumption",
    range: [0, 0.25, 1],
    domain: { min: 0, max: 100, integer: false },
  },
  diskReadMs: {
    group: 'data',
    label: 'time of one page read from the disk (a connection held, not a core)',
    unit: 'ms per read',
    source:
      'assumption: Supabase runs on AWS EBS gp3 volumes, documented as "single-digit millisecond" latency (docs.aws.amazon.com/ebs/latest/userguide/general-purpose.html); ~1 ms for a random 8 kB read',
    range: [0.5, 1, 3],
    domain: { min: 0, max: 1000, integer: false },
  },
  diskWritesPerCommit: {
    group: 'data',
    label:
      "the disk's write operations per commit that writes (its WAL flush, and its share of the checkpoints' writes)",
    unit: 'writes per commit',
    source:
      "measured on the rig, 2026-12-06: launch-mix at 1,000 users under fixed inserted 4,673 message rows in 77 s with 4,680 WAL fsyncs, and the checkpoint after it wrote its 2,632 dirtied pages in 298 writes: (4,680 + 298) / 4,680 = 1.06 (docs/simulator.md \"The disk as a resource\"); low: commits sharing a flush (group commit) at a deployment's rates; high: the rig's 2.9 disk writes a fsync, the file system's own included",
    range: [0.5, 1.06, 3],
    domain: { min: 0, max: 100, integer: false },
  },
  abuseShare: {
    group: 'stress',
    label: 'stress case: share of free users sending abusively (never in the base verdicts)',
    unit: 'share of free users',
    source:
      'assumption: the seeds say "Free tier users can spam" (launch-readiness-report.md:62) but not how many',
    range: [0.01, 0.05, 0.1],
    domain: SHARE,
  },
  abuseRatePerMinute: {
    group: 'stress',
    label: "stress case: an abusive user's /api/message sends per minute",
    unit: 'messages/min',
    source: "assumption: 10× fix #2's free limit of 20/min (launch-readiness-report.md:79)",
    range: [60, 200, 1000],
    domain: { min: 0, max: 100_000, integer: false },
  },
  inputTokensFree: tokens('input', 'free', [500, 1000, 3000]),
  inputTokensCore: tokens('input', 'core', [500, 1500, 4000]),
  inputTokensStudio: tokens('input', 'studio', [1000, 2000, 8000]),
  outputTokensFree: tokens('output', 'free', [100, 150, 400]),
  outputTokensCore: tokens('output', 'core', [100, 200, 600]),
  outputTokensStudio: tokens('output', 'studio', [150, 300, 1000]),
  llmPriceFactor: {
    group: 'llm',
    label: 'language-model list prices relative to fixtures/pricing/llm.yaml',
    unit: '×',
    source: 'assumption: list prices change; fixtures/pricing/llm.yaml has them with the date read',
    range: [0.5, 1, 2],
    domain: { min: 0, max: 100, integer: false },
  },
  llmRequestsPerMinute: {
    group: 'llm',
    label: "language-model provider's request limit per minute (organisation)",
    unit: 'requests/min',
    source: 'fixtures/pricing/llm.yaml limits (provider usage tier); range an assumption',
    range: [5_000, 10_000, 30_000],
    domain: { min: 1, max: 1e9, integer: false },
  },
  llmTokensPerMinute: {
    group: 'llm',
    label: "language-model provider's token limit per minute (organisation)",
    unit: 'tokens/min',
    source: 'fixtures/pricing/llm.yaml limits (provider usage tier); range an assumption',
    range: [2_000_000, 10_000_000, 150_000_000],
    domain: { min: 1, max: 1e12, integer: false },
  },
};

/** Base values some assumptions take from a loaded input instead of the catalogue. */
export interface AssumptionBases {
  /** The profile: paidShare from its tier mix. */
  profile?: Pick<Profile, 'tierMix'>;
  /** The language-model fixture: provider limits (and their source). */
  llmLimits?: { requestsPerMinute: number; tokensPerMinute: number; source: string };
}

function make(name: AssumptionName, row: Row, base?: number, source?: string): Assumption {
  const [low, catalogueBase, high] = row.range;
  const b = base ?? catalogueBase;
  return {
    name,
    group: row.group,
    label: row.label,
    value: b,
    unit: row.unit,
    source: source ?? row.source,
    range: { low: Math.min(low, b), base: b, high: Math.max(high, b) },
    domain: row.domain,
  };
}

/** The assumptions at their base values (bases from the profile and the language-model fixture when given). */
export function defaultAssumptions(bases: AssumptionBases = {}): Assumptions {
  const out = {} as Assumptions;
  for (const name of ASSUMPTION_NAMES) out[name] = make(name, CATALOGUE[name]);
  if (bases.profile) {
    const paid = bases.profile.tierMix.core + bases.profile.tierMix.studio;
    out.paidShare = make('paidShare', CATALOGUE.paidShare, paid);
  }
  if (bases.llmLimits) {
    const src = `${bases.llmLimits.source}; range an assumption`;
    out.llmRequestsPerMinute = make(
      'llmRequestsPerMinute',
      CATALOGUE.llmRequestsPerMinute,
      bases.llmLimits.requestsPerMinute,
      src,
    );
    out.llmTokensPerMinute = make(
      'llmTokensPerMinute',
      CATALOGUE.llmTokensPerMinute,
      bases.llmLimits.tokensPerMinute,
      src,
    );
  }
  return out;
}

/** True when `name` is an assumption's name. */
export function isAssumptionName(name: string): name is AssumptionName {
  return (ASSUMPTION_NAMES as readonly string[]).includes(name);
}

/** Checks a value against an assumption's domain; the message names the assumption and what is allowed. */
export function checkAssumptionValue(name: string, value: number): void {
  if (!isAssumptionName(name))
    throw new AssumptionError(name, `unknown assumption '${name}' (known: ${ASSUMPTION_NAMES.join(', ')})`);
  const { min, max, integer } = CATALOGUE[name].domain;
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value)))
    throw new AssumptionError(
      name,
      `${name} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, got ${value}`,
    );
}

/** A copy with one assumption set (checked against its domain); `setBy` says where it was set. */
export function withAssumption(
  assumptions: Assumptions,
  name: string,
  value: number,
  setBy = '--set',
): Assumptions {
  checkAssumptionValue(name, value);
  const key = name as AssumptionName;
  return { ...assumptions, [key]: { ...assumptions[key], value, setBy } };
}

/** Parses `name=value` (a `--set` flag); throws AssumptionError naming what was wrong. */
export function parseAssignment(text: string): { name: AssumptionName; value: number } {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new AssumptionError(text, `expected name=value, got '${text}'`);
  const name = text.slice(0, eq).trim();
  const raw = text
    .slice(eq + 1)
    .trim()
    .replace(/_/g, '');
  const value = raw === '' ? Number.NaN : Number(raw);
  if (!isAssumptionName(name)) checkAssumptionValue(name, value);
  if (!Number.isFinite(value)) throw new AssumptionError(name, `${name} must be a number, got '${raw}'`);
  checkAssumptionValue(name, value);
  return { name: name as AssumptionName, value };
}

/** Applies assignments (`name=value` texts or parsed pairs) in order; the last one of a name wins. */
export function applyAssignments(
  assumptions: Assumptions,
  assignments: ReadonlyArray<string | { name: string; value: number }>,
  setBy = '--set',
): Assumptions {
  let out = assumptions;
  for (const a of assignments) {
    const { name, value } = typeof a === 'string' ? parseAssignment(a) : a;
    out = withAssumption(out, name, value, setBy);
  }
  return out;
}

/** The current values by name (what sensitivity varies and data.json records). */
export function assumptionValues(assumptions: Assumptions): Record<AssumptionName, number> {
  const out = {} as Record<AssumptionName, number>;
  for (const name of ASSUMPTION_NAMES) out[name] = assumptions[name].value;
  return out;
}
