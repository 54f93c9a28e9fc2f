import { keyNamePattern } from '../config/index.js';

// Every Redis key of a queue, built here for TypeScript. All keys share one hash tag ({name}), so Redis
// Cluster places them in one slot and every Lua script may touch them together. The scripts get the fixed
// keys from here (scriptKeys in lua-scripts.ts) and `base` as ARGV[1]; the keys that depend on an event id
// or a name they build in one place, lua/includes/keys.lua (eventKey, seenKey, dataKey, the twins of
// event, seen and data below). lua-scripts.test.ts runs both builders and checks they give the same keys.

export interface QueueKeys {
  /** Prefix of every key, e.g. `day15:{events}:`; passed to the scripts. */
  readonly base: string;
  readonly ready: string;
  readonly inFlight: string;
  readonly delayed: string;
  readonly dead: string;
  readonly fence: string;
  readonly counters: string;
  /** Accepted / duplicate / rejected counts by event type. */
  readonly intake: string;
  /** Consumer id -> last heartbeat (ms). */
  readonly consumers: string;
  /** The number of partitions the queue was written with (partition-layout.ts); kept under the queue's own name. */
  readonly layout: string;
  /**
   * Which generation of the analytics data acks write (field `live`) and, while `npm run rebuild-analytics`
   * runs, the one being rebuilt (field `building`), which acks write as well (generations.ts).
   */
  readonly generation: string;
  /** The queue's ack order: every archived ack takes the next numbers (the archive's `seq`). */
  readonly sequence: string;
  /** Archive lines committed by acks and dead-lettering, until a consumer has written them to the archive. */
  readonly outbox: string;
  /** Held by the running `npm run rebuild-analytics` (in partition 0), so two never run at once. */
  readonly rebuildLock: string;
  event(id: string): string;
  seen(id: string): string;
  /** A key for data the queue stores on behalf of its users (analytics), under the same hash tag. */
  data(name: string): string;
  /** The key of `name` in analytics generation `generation` (0: the names from before generations, data(name)). */
  generationData(generation: number, name: string): string;
}

/** Every key of the queue `name` under `prefix`, all under the hash tag {name}; rejects names outside keyNamePattern. */
export function queueKeys(prefix: string, name = 'events'): QueueKeys {
  for (const [what, value] of [
    ['prefix', prefix],
    ['queue name', name],
  ] as const) {
    if (!keyNamePattern.test(value)) {
      throw new TypeError(`Invalid ${what} "${value}": use 1-64 of A-Z a-z 0-9 _ . -`);
    }
  }
  const base = `${prefix}:{${name}}:`;
  return {
    base,
    ready: `${base}ready`,
    inFlight: `${base}inflight`,
    delayed: `${base}delayed`,
    dead: `${base}dead`,
    fence: `${base}fence`,
    counters: `${base}counters`,
    intake: `${base}intake`,
    consumers: `${base}consumers`,
    layout: `${base}partitions`,
    generation: `${base}generation`,
    sequence: `${base}seq`,
    outbox: `${base}outbox`,
    rebuildLock: `${base}rebuild`,
    event: (id) => `${base}ev:${id}`,
    seen: (id) => `${base}seen:${id}`,
    data: (dataName) => `${base}${dataName}`,
    generationData: (generation, dataName) => `${base}${generationPrefix(generation)}${dataName}`,
  };
}

/** What generation `generation`'s data names start with: nothing for 0, `g<n>:` after. */
export function generationPrefix(generation: number): string {
  return generation === 0 ? '' : `g${generation}:`;
}
