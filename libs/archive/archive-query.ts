import type * as DuckDB from '@duckdb/node-api';
import { addDays, assertArchiveDay } from './archive-days.js';
import { readArchiveEntries, validArchiveEntries, type ArchiveProblem } from './archive-lines.js';
import { archiveStats, type ArchiveStats, type DayCounts } from './archive-stats.js';
import type { ArchiveDay, ArchiveLine, ArchiveStore } from './archive-store.js';
import { createArchiveTablesSql } from './archive-tables.js';
import { jsonSafeConverter, type ArchiveRow, type JsonValue } from './json-safe-values.js';
import { loadArchiveLines } from './load-archive-lines.js';

/** The formats exportTo() writes. */
export const exportFormats = ['parquet', 'csv', 'jsonl'] as const;
export type ExportFormat = (typeof exportFormats)[number];

const copyOptions: Record<ExportFormat, string> = {
  parquet: 'FORMAT parquet',
  csv: 'FORMAT csv, HEADER true',
  jsonl: 'FORMAT json',
};

export interface ArchiveQueryOptions {
  store: ArchiveStore;
  /** The UTC days of processing (dead letters: of dead-lettering) to load, inclusive; all when left out. */
  range?: { from?: ArchiveDay; to?: ArchiveDay };
  /** Lines in the archive's format not yet in the store (the outbox still in Redis), loaded as if they were. */
  extraLines?: Iterable<string> | AsyncIterable<string>;
  /** Told of each line that was skipped; extra lines are reported as source `extra`, numbered from 1. */
  onProblem: (problem: ArchiveProblem) => void;
}

/**
 * The archive loaded into an in-memory DuckDB, as the tables `events` (each processed event once: event_id,
 * event_type, user_id, timestamp, received_at, processed_at, processed_ms, consumer, queue, seq, metadata,
 * event) and `dead_letters` (event_id, queue, dead_at, attempts, reason, body). Values come back JSON-safe.
 */
export interface ArchiveQuery {
  /** Every row of the query's result. */
  all(sql: string): Promise<ArchiveRow[]>;
  /** The result's rows, read from DuckDB a chunk at a time, so millions of rows never sit in memory at once. */
  stream(sql: string): AsyncGenerator<ArchiveRow>;
  /** Writes the events (oldest first) to `path`; returns how many. */
  exportTo(path: string, format: ExportFormat): Promise<number>;
  /** Each day's files and deduped counts, and the totals. */
  stats(): Promise<ArchiveStats>;
  close(): Promise<void>;
}

/** Loads the store's lines of `range` (and `extraLines`) into DuckDB; bad lines go to `onProblem`, skipped. */
export async function openArchiveQuery({
  store,
  range = {},
  extraLines = [],
  onProblem,
}: ArchiveQueryOptions): Promise<ArchiveQuery> {
  if (range.from !== undefined) assertArchiveDay(range.from, 'first day');
  if (range.to !== undefined) assertArchiveDay(range.to, 'last day');
  // Loaded when needed: a consumer that only writes the archive never loads DuckDB's native library.
  const duckdb = await import('@duckdb/node-api');
  const instance = await duckdb.DuckDBInstance.create(':memory:');
  const connection = await utcConnection(instance);
  try {
    // A batch may be written just after midnight under the next day, and a day's first ones just before it
    // under the day before: the days around the range are read too, and the range applied to the times.
    const stored = {
      ...(range.from === undefined ? {} : { from: addDays(range.from, -1) }),
      ...(range.to === undefined ? {} : { to: addDays(range.to, 1) }),
    };
    await loadArchiveLines(connection, [
      readArchiveEntries(store, stored, onProblem),
      validArchiveEntries(numbered(extraLines), onProblem),
    ]);
    await connection.run(createArchiveTablesSql(range));
  } catch (error) {
    connection.closeSync();
    instance.closeSync();
    throw error;
  }
  return archiveQuery({ instance, connection, converter: jsonSafeConverter(duckdb), store, range });
}

function archiveQuery({
  instance,
  connection,
  converter,
  store,
  range,
}: {
  instance: DuckDB.DuckDBInstance;
  connection: DuckDB.DuckDBConnection;
  converter: DuckDB.DuckDBValueConverter<JsonValue>;
  store: ArchiveStore;
  range: { from?: ArchiveDay; to?: ArchiveDay };
}): ArchiveQuery {
  const all = async (sql: string) => (await connection.runAndReadAll(sql)).convertRowObjects(converter);
  let closed = false;
  return {
    all,
    async *stream(sql) {
      // A connection of its own: a query run on the shared one meanwhile would cut this result short.
      const own = await utcConnection(instance);
      try {
        for await (const rows of (await own.stream(sql)).yieldConvertedRowObjects(converter)) yield* rows;
      } finally {
        own.closeSync();
      }
    },
    async exportTo(path, format) {
      const copy = `COPY (SELECT * FROM events ORDER BY processed_ms, queue, seq) TO '${path.replaceAll("'", "''")}' (${copyOptions[format]})`;
      return (await connection.run(copy)).rowsChanged;
    },
    async stats() {
      const counts = await all(`
        SELECT day, sum(events)::BIGINT AS events, sum(dead)::BIGINT AS "deadLetters" FROM (
          SELECT strftime(processed_at, '%Y-%m-%d') AS day, count(*) AS events, 0 AS dead FROM events GROUP BY day
          UNION ALL
          SELECT strftime(dead_at, '%Y-%m-%d') AS day, 0 AS events, count(*) AS dead FROM dead_letters GROUP BY day
        ) GROUP BY day`);
      const perDay = counts.map((row): DayCounts => ({
        day: String(row.day),
        events: Number(row.events),
        deadLetters: Number(row.deadLetters),
      }));
      return archiveStats(await store.days(), range, perDay);
    },
    async close() {
      if (closed) return;
      closed = true;
      connection.closeSync();
      instance.closeSync();
    },
  };
}

async function utcConnection(instance: DuckDB.DuckDBInstance): Promise<DuckDB.DuckDBConnection> {
  const connection = await instance.connect();
  // The archive's days are UTC days: TIMESTAMPTZ values show in UTC too, whatever the machine's zone.
  await connection.run("SET TimeZone = 'UTC'");
  return connection;
}

/** Extra lines as lines of the source `extra`, numbered from 1. */
async function* numbered(texts: Iterable<string> | AsyncIterable<string>): AsyncGenerator<ArchiveLine> {
  let line = 0;
  for await (const text of texts) yield { source: 'extra', line: (line += 1), text };
}
