import type * as DuckDB from '@duckdb/node-api';

/** A value as JSON can hold it: what the query layer returns for every cell. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A result row: column name to value. */
export type ArchiveRow = Record<string, JsonValue>;

/**
 * Converts DuckDB values to JSON-safe ones: integers beyond 32 bits (BIGINT: seq, processed_ms, counts) to
 * numbers when they fit exactly, else to their decimal text; timestamps to ISO 8601 in UTC; everything else
 * as the node-api's JSON converter does. Needs the loaded module for its type ids.
 */
export function jsonSafeConverter(duckdb: typeof DuckDB): DuckDB.DuckDBValueConverter<JsonValue> {
  const { DuckDBTypeId: id, JsonDuckDBValueConverter } = duckdb;
  const bigIntegers = new Set([id.BIGINT, id.UBIGINT, id.HUGEINT, id.UHUGEINT, id.BIGNUM]);
  const timestampDates = new Map<DuckDB.DuckDBTypeId, (value: DuckDB.DuckDBValue) => Date>([
    [id.TIMESTAMP, duckdb.dateFromTimestampValue],
    [id.TIMESTAMP_TZ, duckdb.dateFromTimestampTZValue],
    [id.TIMESTAMP_MS, duckdb.dateFromTimestampMillisecondsValue],
    [id.TIMESTAMP_S, duckdb.dateFromTimestampSecondsValue],
    [id.TIMESTAMP_NS, duckdb.dateFromTimestampNanosecondsValue],
  ]);
  const convert: DuckDB.DuckDBValueConverter<JsonValue> = (value, type, converter) => {
    if (typeof value === 'bigint' && bigIntegers.has(type.typeId)) return safeNumber(value);
    const toDate = timestampDates.get(type.typeId);
    if (toDate && value !== null) return isoTimestamp(toDate, value);
    return JsonDuckDBValueConverter(value, type, converter) as JsonValue;
  };
  return convert;
}

function safeNumber(value: bigint): number | string {
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : value.toString();
}

// Timestamps a Date cannot hold (infinity, beyond year 275760) keep DuckDB's text.
function isoTimestamp(toDate: (value: DuckDB.DuckDBValue) => Date, value: DuckDB.DuckDBValue): string {
  try {
    return toDate(value).toISOString();
  } catch {
    return String(value);
  }
}
