import type { ArchiveDay } from './archive-store.js';

const dayMs = 86_400_000;
const dayPattern = /^\d{4}-\d{2}-\d{2}$/;

/**
 * How long after midnight (UTC) a day still takes lines before it counts as closed and may be compressed: a
 * batch claimed just before midnight is archived under its day a little after it, so a day is only closed
 * once the batches in flight at midnight have long been written.
 */
export const dayCloseGraceMs = 10 * 60_000;

/** The UTC day of a time in ms, e.g. `2026-11-27`. */
export function utcDay(ms: number): ArchiveDay {
  return new Date(ms).toISOString().slice(0, 10);
}

/** True for a real calendar day written YYYY-MM-DD (2026-02-30 is not one). */
export function isArchiveDay(text: string): boolean {
  return dayPattern.test(text) && utcDay(Date.parse(`${text}T00:00:00Z`)) === text;
}

/** The day `count` days after `day` (before it when negative). */
export function addDays(day: ArchiveDay, count: number): ArchiveDay {
  return utcDay(Date.parse(`${day}T00:00:00Z`) + count * dayMs);
}

/** True once `now` is past the day's end plus the grace: nothing more should be written to it. */
export function isDayClosed(day: ArchiveDay, now: number): boolean {
  return now >= Date.parse(`${day}T00:00:00Z`) + dayMs + dayCloseGraceMs;
}

/** Throws a clear error unless `day` is a real day written YYYY-MM-DD; `what` names it in the message. */
export function assertArchiveDay(day: string, what: string): asserts day is ArchiveDay {
  if (!isArchiveDay(day)) throw new RangeError(`Invalid ${what} "${day}": expected a day as YYYY-MM-DD`);
}
