import { type DataKeyKind, generationalKind } from '../../libs/analytics/index.js';
import type { QueueKeys } from '../../libs/queue/index.js';

/** What a key of a partition is, as far as moving it to another layout goes. */
export type KeyKind =
  /** Ready, in flight, delayed (list, zsets): must be empty before the switch. */
  | { kind: 'backlog'; what: 'ready' | 'in flight' | 'delayed' }
  | { kind: 'dead letters' }
  /** An event's hash: exists only while the event is in a backlog or the dead letters. */
  | { kind: 'event' }
  /** Consumer heartbeats: checked (none may be live), not copied. */
  | { kind: 'consumers' }
  /** Fencing counter and the layout record: not copied (no lease is outstanding after the drain). */
  | { kind: 'not copied' }
  /**
   * The generation hash and the ack sequence: not copied; every new partition gets the queue-wide values
   * instead (carried-state.ts).
   */
  | { kind: 'carried' }
  /** Archive lines not yet in the archive: written to it before the copy (archive-outbox.ts), not copied. */
  | { kind: 'outbox' }
  /** Held while npm run rebuild-analytics runs (or aborts one): checked (none may run), not copied. */
  | { kind: 'rebuild lock' }
  /** counters and intake: summed like the summable analytics hashes. */
  | { kind: 'queue hash' }
  | { kind: 'seen'; id: string }
  /** Analytics data of an analytics generation, or of none (restarts, which no rebuild recomputes). */
  | (DataKeyKind & { generation: number | 'none' })
  | { kind: 'unknown' };

/** A key's kind and the Redis type (TYPE) a key of that kind has. */
export type Classified = KeyKind & { type: 'string' | 'list' | 'set' | 'zset' | 'hash' | 'none' };

/** Classifies the keys of the partition whose keys are `keys`; every name comes from QueueKeys or analyticsKeys. */
export function keyClassifier(keys: QueueKeys): (key: string) => Classified {
  const fixed = new Map<string, Classified>([
    [keys.ready, { kind: 'backlog', what: 'ready', type: 'list' }],
    [keys.inFlight, { kind: 'backlog', what: 'in flight', type: 'zset' }],
    [keys.delayed, { kind: 'backlog', what: 'delayed', type: 'zset' }],
    [keys.dead, { kind: 'dead letters', type: 'zset' }],
    [keys.consumers, { kind: 'consumers', type: 'hash' }],
    [keys.fence, { kind: 'not copied', type: 'string' }],
    [keys.layout, { kind: 'not copied', type: 'string' }],
    [keys.generation, { kind: 'carried', type: 'hash' }],
    [keys.sequence, { kind: 'carried', type: 'string' }],
    [keys.outbox, { kind: 'outbox', type: 'hash' }],
    [keys.rebuildLock, { kind: 'rebuild lock', type: 'string' }],
    [keys.counters, { kind: 'queue hash', type: 'hash' }],
    [keys.intake, { kind: 'queue hash', type: 'hash' }],
  ]);
  const eventHead = keys.event('');
  const seenHead = keys.seen('');
  return (key) => {
    const known = fixed.get(key);
    if (known) return known;
    if (key.startsWith(eventHead)) return { kind: 'event', type: 'hash' };
    if (key.startsWith(seenHead)) return { kind: 'seen', id: key.slice(seenHead.length), type: 'string' };
    const data = key.startsWith(keys.base) ? generationalKind(key.slice(keys.base.length)) : undefined;
    if (!data) return { kind: 'unknown', type: 'none' };
    return { ...data, type: data.kind === 'user-scores' ? 'zset' : 'hash' };
  };
}
