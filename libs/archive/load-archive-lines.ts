import type { DuckDBConnection } from '@duckdb/node-api';
import type { ArchiveEntry } from './archive-lines.js';

/**
 * Appends the text of each checked line of `sources` to `processed_lines` or `dead_lines` (created here), the input of
 * createArchiveTablesSql. Raw text through the Appender is the fast way in: DuckDB then parses the JSON in
 * parallel, instead of Node appending a dozen typed values per line.
 */
export async function loadArchiveLines(
  connection: DuckDBConnection,
  sources: readonly AsyncIterable<ArchiveEntry>[],
): Promise<void> {
  await connection.run('CREATE TABLE processed_lines (text VARCHAR); CREATE TABLE dead_lines (text VARCHAR);');
  const processed = await connection.createAppender('processed_lines');
  const dead = await connection.createAppender('dead_lines');
  try {
    for (const entries of sources) {
      for await (const { record, text } of entries) {
        const appender = record.outcome === 'processed' ? processed : dead;
        appender.appendVarchar(text);
        appender.endRow();
      }
    }
  } finally {
    processed.closeSync();
    dead.closeSync();
  }
}
