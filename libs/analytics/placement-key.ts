import type { Day15Event } from '../events/index.js';

/**
 * What places an event in a partition of the queue: its user. The analytics keep per-user state (the
 * subscription's last writer, the day's unique users) that the ack script updates in the partition of the
 * event, so all of a user's events must share one. Events without a user are placed by their event_id.
 */
export function placementKey(event: Pick<Day15Event, 'user_id'>): string | undefined {
  return event.user_id;
}
