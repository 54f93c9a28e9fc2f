import type { ArchiveDay, ArchiveDaySummary } from './archive-store.js';

/** A day of the archive: its files (parts, bytes, open) and what it holds once deduped. */
export interface ArchiveDayStats extends ArchiveDaySummary {
  /** Events processed that day (UTC). */
  events: number;
  /** Dead-letterings that day (UTC). */
  deadLetters: number;
}

export interface ArchiveStats {
  days: ArchiveDayStats[];
  total: { days: number; parts: number; bytes: number; events: number; deadLetters: number };
}

/** Deduped counts per UTC day, as the query layer computes them. */
export interface DayCounts {
  day: ArchiveDay;
  events: number;
  deadLetters: number;
}

/**
 * The stored days within `range` with their counts. Counts go by the time of processing, files by the day
 * they were written under, so a batch written just after midnight counts for the day before; a day with
 * counts but no folder of its own is listed with 0 parts.
 */
export function archiveStats(
  stored: readonly ArchiveDaySummary[],
  range: { from?: ArchiveDay; to?: ArchiveDay },
  counts: readonly DayCounts[],
): ArchiveStats {
  const byDay = new Map<ArchiveDay, ArchiveDayStats>();
  for (const summary of stored) {
    if (
      (range.from === undefined || summary.day >= range.from) &&
      (range.to === undefined || summary.day <= range.to)
    ) {
      byDay.set(summary.day, { ...summary, events: 0, deadLetters: 0 });
    }
  }
  for (const { day, events, deadLetters } of counts) {
    const stats = byDay.get(day) ?? { day, parts: 0, bytes: 0, open: false, events: 0, deadLetters: 0 };
    byDay.set(day, { ...stats, events, deadLetters });
  }
  const days = [...byDay.values()].sort((a, b) => a.day.localeCompare(b.day));
  const sum = (field: 'parts' | 'bytes' | 'events' | 'deadLetters') =>
    days.reduce((total, day) => total + day[field], 0);
  return {
    days,
    total: {
      days: days.length,
      parts: sum('parts'),
      bytes: sum('bytes'),
      events: sum('events'),
      deadLetters: sum('deadLetters'),
    },
  };
}
