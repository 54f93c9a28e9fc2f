// The archive's line format: one JSON object per line, a processed event or a dead letter. Lines are written
// at least once (a line may appear twice after a crash); readers dedupe (archive-query.ts), so an event is
// never read twice through the archive API.

/** An event whose ack committed: the line that ack put in the archive outbox (libs/queue), with its place in the ack order. */
export interface ProcessedRecord {
  outcome: 'processed';
  /**
   * Position in its queue partition's ack order: the partition's acked-events count when the ack committed,
   * kept rising across `npm run repartition`, so ordering by seq replays a user's events in the order they
   * were applied. Unique per queue.
   */
  seq: number;
  /** The queue partition that acked it, e.g. `events` or `events-3p1`. */
  queue: string;
  /** The processing time (ms) the analytics rules ran with. */
  processed_at: number;
  consumer: string;
  /** The event as received (with received_at). */
  event: { event_id: string; event_type: string; [field: string]: unknown };
}

/** An event dead-lettered: its stored body as text (it may not even parse) and why it died. */
export interface DeadRecord {
  outcome: 'dead';
  queue: string;
  event_id: string;
  dead_at: number;
  attempts: number;
  reason: string;
  body: string;
}

export type ArchiveRecord = ProcessedRecord | DeadRecord;
