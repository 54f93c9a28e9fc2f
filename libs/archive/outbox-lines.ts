import { decodeOutboxEntry, type OutboxEntry } from '../queue/index.js';

/**
 * The archive lines of an outbox entry (libs/queue/outbox.ts), in the format of archive-record.ts: the
 * fields the queue committed, with the ones that are the same for a whole entry (queue, processing time,
 * consumer) written into every line. Built as text around the stored bodies, which are already JSON.
 */
export function outboxLines(entry: OutboxEntry): string[] {
  const decoded = decodeOutboxEntry(entry);
  const queue = JSON.stringify(entry.queue);
  if (decoded.kind === 'dead') return [`{"outcome":"dead","queue":${queue},${decoded.fieldsAfterQueue}`];
  const shared =
    `,"outcome":"processed","processed_at":${decoded.processedAt},` +
    `"consumer":${JSON.stringify(decoded.consumer)},"queue":${queue},"event":`;
  return decoded.bodies.map((body, i) => `{"seq":${decoded.firstSeq + i}${shared}${body}}`);
}
