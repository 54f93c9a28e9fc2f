import type { Effect } from './effects.js';

export interface QueueItem {
  id: string;
  /** What intake counts are kept by (the event type); "unlabelled" when absent. */
  label?: string;
  /** The serialized event, stored and returned as is. */
  body: string;
  /**
   * What chooses the item's partition (partition-placement.ts): Day15 passes the user id, so a user's
   * events share one partition; the id when absent. A resend must carry the same key to be seen as a duplicate.
   */
  placementKey?: string;
}

export type EnqueueVerdict = 'accepted' | 'duplicate';

/** One event leased to a consumer. `token` fences the lease: only its holder can ack, fail or extend it. */
export interface Claim {
  id: string;
  /** The partition it was claimed from: ack, fail and extend go back there. */
  partition: number;
  token: string;
  /** Which delivery this is, from 1. */
  attempt: number;
  body: string;
}

export interface AckItem {
  claim: Claim;
  effects: readonly Effect[];
}

export interface FailItem {
  claim: Claim;
  error: string;
  /** false: the event can never succeed (e.g. unparseable); dead-letter it without further attempts. */
  retry?: boolean;
}

/** acked: effects applied; lost: the lease was no longer held, nothing changed. */
export type AckVerdict = 'acked' | 'lost';
/** retry: waits for its backoff; dead: moved to the dead letters; lost: lease no longer held. */
export type FailVerdict = 'retry' | 'dead' | 'lost';

export interface QueueCounters {
  accepted: number;
  duplicates: number;
  acked: number;
  failed_attempts: number;
  dead_lettered: number;
  redelivered: number;
  replayed: number;
  purged: number;
}

export interface QueueStats {
  ready: number;
  inFlight: number;
  delayed: number;
  dead: number;
  counters: QueueCounters;
  /**
   * With stats({ oldestReady: true }): when the event at the head of the ready list (the next one claimed)
   * was enqueued, in ms; null when the ready list is empty.
   */
  oldestReadyAt?: number | null;
}

export interface DeadLetter {
  id: string;
  /** The stored event, parsed when it is JSON, else the raw text (a poison payload may not parse). */
  event: unknown;
  error: string;
  attempts: number;
  firstFailedAt: string | undefined;
  lastFailedAt: string | undefined;
  deadAt: string | undefined;
}

/** What ReliableQueue.readData returns: each hash's fields (empty when absent) and each score count, in request order. */
export interface DataSnapshot {
  hashes: Record<string, string>[];
  scoreCounts: number[];
}

/** A count of the members of a sorted set whose score is within [min, max]. */
export interface ScoreCount {
  key: string;
  min: number;
  max: number;
}

/**
 * Where an event is, as ReliableQueue.eventStatus reads it and GET /admin/events/:id answers it (times in ISO
 * 8601). `since` is when it got this status. While the event's hash exists it is in exactly one of ready
 * (queued), in flight, delayed (retry_scheduled) and dead; after that its idempotency key tells processed or
 * purged until it expires; `finished`: the key was written before the queue recorded how events leave (it
 * was processed or purged); `unknown`: neither exists, the id is outside the idempotency window.
 */
export type EventStatus =
  | { event_id: string; status: 'queued'; since: string; enqueued_at: string; attempts: number }
  | {
      event_id: string;
      status: 'in_flight';
      since: string;
      enqueued_at: string;
      /** Which delivery this is, from 1. */
      attempt: number;
      consumer: string;
      lease_expires_at: string;
    }
  | {
      event_id: string;
      status: 'retry_scheduled';
      since: string;
      enqueued_at: string;
      attempts: number;
      next_attempt_at: string;
      last_error: string;
    }
  | { event_id: string; status: 'dead'; since: string; enqueued_at: string; attempts: number; last_error: string }
  | {
      event_id: string;
      status: 'processed';
      since: string;
      consumer: string;
      /** Absent (and so latency_ms) for events enqueued before the queue stored it with the idempotency key. */
      enqueued_at?: string;
      /** Ack time minus enqueue time. */
      latency_ms?: number;
    }
  | { event_id: string; status: 'purged'; since: string; enqueued_at?: string }
  | { event_id: string; status: 'finished' | 'unknown' };

/** A partition's analytics generations (generation-2.lua) and how far its ack order has got. */
export interface GenerationState {
  live: number;
  /** The generation a rebuild is building (acks write it too); null when none. */
  building: number | null;
  /** The partition's ack-order number (the archive's seq) at the time of reading. */
  seq: number;
}
