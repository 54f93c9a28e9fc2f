import type { RedisClient } from './redis-client.js';
import { unavailableOnError } from './queue-errors.js';
import type { QueueKeys } from './queue-keys.js';
import type { EventStatus } from './queue-types.js';
import { parseSeenValue, type SeenValue } from './seen-value.js';

// Where one event is, read from the keys the scripts keep anyway: its hash (enqueued_at, attempts, owner while
// leased, changed_at: when a script last changed its status), the score of its id in the in-flight, delayed
// and dead sorted sets (lease deadline, due time, time of death), and its idempotency key (seen-value.ts),
// which outlives the hash with the outcome. Ready needs no read: an event with a hash in none of the sets is
// in the ready list (the queue's invariant), so no LPOS over a deep backlog.
//
// One pipeline of plain reads, not MULTI: Redis refuses MULTI at maxmemory, and a lookup is wanted then most.
// Pipelined reads are not one snapshot: a script may run between two of them. Every script that changes an
// event's status writes its hash (owner, attempts, token, dead_at, changed_at), so the pipeline reads the
// hash first and last, and reads again when the two differ.

const fields = ['attempts', 'enqueued_at', 'changed_at', 'owner', 'token', 'last_error', 'dead_at'] as const;
type EventHash = Record<(typeof fields)[number], string | null>;

interface Snapshot {
  /** The event's hash fields; undefined when it has no hash. */
  record: EventHash | undefined;
  inFlight: number | undefined;
  delayed: number | undefined;
  dead: number | undefined;
  seen: SeenValue | undefined;
  /** Whether the hash read last was the hash read first: no status change in between. */
  still: boolean;
}

// Reads before a changing event is answered as last read (a read takes well under a millisecond, and an event
// changes status at most once per consumer round trip, so a second read is already rare).
const maxReads = 5;

/** The status of the event `id` in the queue partition whose keys are `keys`. */
export async function readEventStatus(redis: RedisClient, keys: QueueKeys, id: string): Promise<EventStatus> {
  let snapshot = await readSnapshot(redis, keys, id);
  for (let reads = 1; reads < maxReads && !snapshot.still; reads += 1) snapshot = await readSnapshot(redis, keys, id);
  return statusOf(id, snapshot);
}

/**
 * Of the answers of several partitions, the one that knows most: an event with a hash, then one with an
 * outcome, then `finished`, then `unknown`; the latest `since` among equals. (One id accepted under two
 * placement keys lives in two partitions.)
 */
export function mostInformative(statuses: readonly EventStatus[]): EventStatus {
  const since = (s: EventStatus) => ('since' in s ? s.since : '');
  return statuses.reduce((best, s) =>
    rank[s.status] > rank[best.status] || (rank[s.status] === rank[best.status] && since(s) > since(best)) ? s : best,
  );
}

// How much each status tells: the event itself, its outcome, that it left, nothing.
const rank: Record<EventStatus['status'], number> = {
  queued: 3,
  in_flight: 3,
  retry_scheduled: 3,
  dead: 3,
  processed: 2,
  purged: 2,
  finished: 1,
  unknown: 0,
};

async function readSnapshot(redis: RedisClient, keys: QueueKeys, id: string): Promise<Snapshot> {
  const [first, inFlight, delayed, dead, seen, last] = await unavailableOnError(async () => {
    const replies = await redis
      .pipeline()
      .hmget(keys.event(id), ...fields)
      .zscore(keys.inFlight, id)
      .zscore(keys.delayed, id)
      .zscore(keys.dead, id)
      .get(keys.seen(id))
      .hmget(keys.event(id), ...fields)
      .exec();
    return (replies ?? []).map(([error, value]) => {
      if (error) throw error;
      return value;
    });
  }, 'Reading the event status failed');
  const hash = (first ?? []) as (string | null)[];
  const score = (value: unknown) => (value === null || value === undefined ? undefined : Number(value));
  return {
    // attempts is written with the hash and never removed, so it says whether the hash exists.
    record:
      hash[0] === null || hash[0] === undefined
        ? undefined
        : (Object.fromEntries(fields.map((field, i) => [field, hash[i] ?? null])) as EventHash),
    inFlight: score(inFlight),
    delayed: score(delayed),
    dead: score(dead),
    seen: typeof seen === 'string' ? parseSeenValue(seen) : undefined,
    still: JSON.stringify(first) === JSON.stringify(last),
  };
}

function statusOf(id: string, { record, inFlight, delayed, dead, seen }: Snapshot): EventStatus {
  if (record) {
    const enqueuedAt = Number(record.enqueued_at);
    const common = {
      event_id: id,
      since: iso(Number(record.changed_at ?? enqueuedAt)),
      enqueued_at: iso(enqueuedAt),
    };
    const attempts = Number(record.attempts);
    const lastError = record.last_error ?? '';
    if (inFlight !== undefined) {
      const lease = { attempt: attempts, consumer: record.owner ?? '', lease_expires_at: iso(inFlight) };
      return { ...common, status: 'in_flight', ...lease };
    }
    if (dead !== undefined) return { ...common, status: 'dead', since: iso(dead), attempts, last_error: lastError };
    if (delayed !== undefined) {
      return { ...common, status: 'retry_scheduled', attempts, next_attempt_at: iso(delayed), last_error: lastError };
    }
    return { ...common, status: 'queued', attempts };
  }
  if (!seen) return { event_id: id, status: 'unknown' };
  const { outcome, enqueuedAt } = seen;
  if (!outcome) return { event_id: id, status: 'finished' };
  const enqueued = enqueuedAt === undefined ? {} : { enqueued_at: iso(enqueuedAt) };
  if (outcome.status === 'purged') return { event_id: id, status: 'purged', since: iso(outcome.at), ...enqueued };
  return {
    event_id: id,
    status: 'processed',
    since: iso(outcome.at),
    consumer: outcome.consumer,
    ...enqueued,
    ...(enqueuedAt === undefined ? {} : { latency_ms: outcome.at - enqueuedAt }),
  };
}

const iso = (ms: number): string => new Date(ms).toISOString();
