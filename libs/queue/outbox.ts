import type { AckItem } from './queue-types.js';

// The archive outbox: archive lines committed by the step that finishes an event (ack-5.lua for processed
// events, includes/archive-dead.lua for dead letters), kept in a hash per partition until a consumer has
// written them to the archive durably (libs/archive turns an entry into lines). Fields:
//   p:<first seq>:<committed at ms>:<consumer>  value: "<processed at ms>" then one event body per line
//   d:<event id>:<committed at ms>              value: the dead letter's line after its queue field
// Committing with the ack closes the gap between ack and archive write: a consumer killed in between leaves
// its entry behind, and another one writes it out (outboxEntries with an age).

/** One outbox entry of the partition `partition` (queue name `queue`). */
export interface OutboxEntry {
  queue: string;
  partition: number;
  field: string;
  value: string;
}

/** The ack's archive text for `items`: the processing time, then each body on a line of its own. */
export function archiveText(processedAt: number, items: readonly AckItem[]): string {
  // Bodies are stored as JSON.stringify wrote them, which never has a raw newline; one that had would break
  // the line format, so it is written as a JSON string instead of being split.
  const bodies = items.map(({ claim }) => (claim.body.includes('\n') ? JSON.stringify(claim.body) : claim.body));
  return `${processedAt}\n${bodies.join('\n')}`;
}

/** The field an applied ack's entry has (ack-5.lua builds the same). */
export function outboxField(firstSeq: number, committedAt: number, consumerId: string): string {
  return `p:${firstSeq}:${committedAt}:${consumerId}`;
}

/** When an entry was committed (ms), from its field. */
export function outboxCommittedAt(field: string): number {
  const parts = field.split(':');
  return Number(field.startsWith('p:') ? parts[2] : parts[parts.length - 1]);
}

export type DecodedOutboxEntry =
  | { kind: 'processed'; firstSeq: number; processedAt: number; consumer: string; bodies: string[] }
  | { kind: 'dead'; fieldsAfterQueue: string };

/** What an entry holds, for turning it into archive lines. */
export function decodeOutboxEntry({ field, value }: Pick<OutboxEntry, 'field' | 'value'>): DecodedOutboxEntry {
  if (field.startsWith('d:')) return { kind: 'dead', fieldsAfterQueue: value };
  const [, firstSeq = '', , ...consumer] = field.split(':');
  const [processedAt = '', ...bodies] = value.split('\n');
  return {
    kind: 'processed',
    firstSeq: Number(firstSeq),
    processedAt: Number(processedAt),
    consumer: consumer.join(':'),
    bodies,
  };
}
