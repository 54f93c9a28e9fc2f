// Every Redis key of a queue, built here and nowhere else. All keys share one hash tag ({name}), so Redis
// Cluster places them in one slot and every Lua script may touch them together. The Lua scripts build
// per-event keys themselves from `base` as base.."ev:"..id and base.."seen:"..id: keep the two in step.

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
  event(id: string): string;
  seen(id: string): string;
  /** A key for data the queue stores on behalf of its users (analytics), under the same hash tag. */
  data(name: string): string;
}

const namePattern = /^[A-Za-z0-9_.-]{1,64}$/;

export function queueKeys(prefix: string, name = 'events'): QueueKeys {
  for (const [what, value] of [['prefix', prefix], ['queue name', name]] as const) {
    if (!namePattern.test(value)) {
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
    event: (id) => `${base}ev:${id}`,
    seen: (id) => `${base}seen:${id}`,
    data: (dataName) => `${base}${dataName}`,
  };
}
