// The value of an event id's idempotency key (QueueKeys.seen), written by the scripts:
//   enqueue-3.lua         <placement hash>:<enqueued at ms>
//   includes/outcome.lua  appends :p:<acked at ms>:<consumer> (ack-5.lua) or :x:<purged at ms> (purge-2.lua)
// Keys written by older versions hold the placement hash alone (the outcome may be appended to it), or,
// older still, a timestamp alone (never below 2^32, so never taken for a hash).

/** A placement hash is a CRC-32; idempotency keys from before it was stored hold a ms timestamp, far above. */
const placementHashLimit = 2 ** 32;

/** How the event left the queue, when it has. */
export type SeenOutcome = { status: 'processed'; at: number; consumer: string } | { status: 'purged'; at: number };

/** What an idempotency key's value says. */
export interface SeenValue {
  /** Undefined in keys written before the placement hash was stored. */
  placementHash: number | undefined;
  /** Undefined in keys written before the enqueue time was stored. */
  enqueuedAt: number | undefined;
  outcome: SeenOutcome | undefined;
}

const digits = /^\d+$/;

/** Reads an idempotency key's value (see the formats above). */
export function parseSeenValue(value: string): SeenValue {
  const [head = '', ...rest] = value.split(':');
  const hash = digits.test(head) ? Number(head) : NaN;
  const enqueuedAt = rest[0] !== undefined && digits.test(rest[0]) ? Number(rest.shift()) : undefined;
  const [mark, at, ...consumer] = rest;
  const outcome: SeenOutcome | undefined =
    mark === 'p'
      ? { status: 'processed', at: Number(at), consumer: consumer.join(':') }
      : mark === 'x'
        ? { status: 'purged', at: Number(at) }
        : undefined;
  return { placementHash: hash < placementHashLimit ? hash : undefined, enqueuedAt, outcome };
}
