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
  event(id: string): string;
  seen(id: string): string;
  /** A key for data the queue stores on behalf of its users (analytics), under the same hash tag. */
  data(name: string): string;
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
    event: (id) => `${base}ev:${id}`,
    seen: (id) => `${base}seen:${id}`,
    data: (dataName) => `${base}${dataName}`,
  };
}
