import { assertArchiveDay } from './archive-days.js';
import type { ArchiveDay } from './archive-store.js';

// The SQL that turns the loaded lines (tables processed_lines and dead_lines, one `text` column each, every
// line already checked by parseArchiveLine) into the tables queries see. A line may be in the archive twice
// (written at least once), so both tables are deduped here, which is why nobody reads the lines directly.

/** The event fields read into columns; DuckDB parses each line once into this shape. */
const processedShape = JSON.stringify({
  seq: 'BIGINT',
  processed_at: 'BIGINT',
  consumer: 'VARCHAR',
  queue: 'VARCHAR',
  event: {
    event_id: 'VARCHAR',
    event_type: 'VARCHAR',
    user_id: 'VARCHAR',
    timestamp: 'VARCHAR',
    received_at: 'VARCHAR',
    metadata: 'JSON',
  },
});

const deadShape = JSON.stringify({
  queue: 'VARCHAR',
  event_id: 'VARCHAR',
  dead_at: 'BIGINT',
  attempts: 'BIGINT',
  reason: 'VARCHAR',
  body: 'VARCHAR',
});

/** An event's ISO 8601 time (any offset) as a UTC TIMESTAMP; NULL when missing or not a time. */
const utcTimestamp = (text: string) => `timezone('UTC', try_cast(${text} AS TIMESTAMPTZ))`;

/**
 * `events`: each processed event once (its lowest seq: copies of one line are identical), processed within
 * `range` (UTC days, inclusive). `dead_letters`: each dead-lettering once per (event_id, dead_at).
 */
export function createArchiveTablesSql(range: { from?: ArchiveDay; to?: ArchiveDay }): string {
  return `
    CREATE TABLE events AS
    WITH parsed AS (
      SELECT json_transform(text, '${processedShape}') AS r, json_extract(text, '$.event') AS event
      FROM processed_lines
    )
    SELECT
      r.event.event_id AS event_id,
      r.event.event_type AS event_type,
      r.event.user_id AS user_id,
      ${utcTimestamp('r.event.timestamp')} AS timestamp,
      ${utcTimestamp('r.event.received_at')} AS received_at,
      epoch_ms(r.processed_at) AS processed_at,
      r.processed_at AS processed_ms,
      r.consumer AS consumer,
      r.queue AS queue,
      r.seq AS seq,
      r.event.metadata::JSON AS metadata,
      event::JSON AS event
    FROM parsed
    WHERE ${withinDays('epoch_ms(r.processed_at)', range)}
    QUALIFY row_number() OVER (PARTITION BY r.event.event_id ORDER BY r.seq) = 1;

    CREATE TABLE dead_letters AS
    WITH parsed AS (SELECT json_transform(text, '${deadShape}') AS r FROM dead_lines)
    SELECT
      r.event_id AS event_id,
      r.queue AS queue,
      epoch_ms(r.dead_at) AS dead_at,
      r.attempts AS attempts,
      r.reason AS reason,
      r.body AS body
    FROM parsed
    WHERE ${withinDays('epoch_ms(r.dead_at)', range)}
    QUALIFY row_number() OVER (PARTITION BY r.event_id, r.dead_at) = 1;

    DROP TABLE processed_lines;
    DROP TABLE dead_lines;`;
}

/** A condition on a TIMESTAMP column: within the range's days (checked to be YYYY-MM-DD, so safe in SQL). */
function withinDays(column: string, { from, to }: { from?: ArchiveDay; to?: ArchiveDay }): string {
  if (from !== undefined) assertArchiveDay(from, 'first day');
  if (to !== undefined) assertArchiveDay(to, 'last day');
  const conditions = [
    ...(from === undefined ? [] : [`${column} >= DATE '${from}'`]),
    ...(to === undefined ? [] : [`${column} < DATE '${to}' + INTERVAL 1 DAY`]),
  ];
  return conditions.length === 0 ? 'true' : conditions.join(' AND ');
}
