import type { ArchiveRecord, DeadRecord, ProcessedRecord } from './archive-record.js';
import type { ArchiveDay, ArchiveLine, ArchiveStore } from './archive-store.js';

/** A line that was skipped, and why: its part (`source`), its 1-based line number and what is wrong with it. */
export interface ArchiveProblem {
  source: string;
  line: number;
  problem: string;
}

/** A line that passed parseArchiveLine, with its record. */
export interface ArchiveEntry extends ArchiveLine {
  record: ArchiveRecord;
}

type Fields = Record<string, unknown>;

/**
 * One archive line as a record, or what is wrong with it: not JSON (a line cut short by a crash, or damaged),
 * or not the shape of a processed or dead record (archive-record.ts).
 */
export function parseArchiveLine(text: string): { record: ArchiveRecord } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problem: `not JSON, truncated or damaged (${(error as Error).message})` };
  }
  if (!isObject(value)) return { problem: 'not a JSON object' };
  const problem =
    value.outcome === 'processed'
      ? processedProblem(value)
      : value.outcome === 'dead'
        ? deadProblem(value)
        : `unknown outcome ${JSON.stringify(value.outcome)}`;
  return problem === undefined ? { record: value as unknown as ArchiveRecord } : { problem };
}

/**
 * The good lines among `lines`, parsed. Each bad line goes to `onProblem` and is skipped (never dropped
 * silently); empty lines (e.g. after a last newline) are not lines and are passed over.
 */
export async function* validArchiveEntries(
  lines: AsyncIterable<ArchiveLine> | Iterable<ArchiveLine>,
  onProblem: (problem: ArchiveProblem) => void,
): AsyncGenerator<ArchiveEntry> {
  for await (const { source, line, text } of lines) {
    if (text.trim() === '') continue;
    const parsed = parseArchiveLine(text);
    if ('record' in parsed) yield { source, line, text, record: parsed.record };
    else onProblem({ source, line, problem: parsed.problem });
  }
}

/** The good records of the store's days from `range.from` to `range.to`, each bad line reported to `onProblem`. */
export function readArchiveEntries(
  store: ArchiveStore,
  range: { from?: ArchiveDay; to?: ArchiveDay },
  onProblem: (problem: ArchiveProblem) => void,
): AsyncGenerator<ArchiveEntry> {
  return validArchiveEntries(store.read(range), onProblem);
}

interface Check {
  test(value: unknown): boolean;
  expected: string;
}

const aCount: Check = {
  test: (value) => Number.isSafeInteger(value) && (value as number) >= 0,
  expected: 'an integer >= 0',
};
const aName: Check = { test: (value) => typeof value === 'string' && value !== '', expected: 'a non-empty string' };
const aString: Check = { test: (value) => typeof value === 'string', expected: 'a string' };
const anObject: Check = { test: isObject, expected: 'an object' };

// Keyed by the contract's own field names, so a field added to archive-record.ts without a check here fails
// the typecheck.
const processedFields = checks({
  seq: aCount,
  queue: aName,
  processed_at: aCount,
  consumer: aString,
  event: anObject,
} satisfies Record<Exclude<keyof ProcessedRecord, 'outcome'>, Check>);
const deadFields = checks({
  queue: aName,
  event_id: aName,
  dead_at: aCount,
  attempts: aCount,
  reason: aString,
  body: aString,
} satisfies Record<Exclude<keyof DeadRecord, 'outcome'>, Check>);
const eventFields = checks({ event_id: aName, event_type: aName });
// Fields of the event the query layer reads into columns: optional in an event, but of one type when there.
const optionalEventFields = checks({ user_id: aString, timestamp: aString, received_at: aString, metadata: anObject });

function processedProblem(value: Fields): string | undefined {
  return (
    fieldProblem(value, processedFields) ??
    fieldProblem(value.event as Fields, eventFields, 'event.') ??
    fieldProblem(value.event as Fields, optionalEventFields, 'event.', { optional: true })
  );
}

function deadProblem(value: Fields): string | undefined {
  return fieldProblem(value, deadFields);
}

/** The first field of `value` that fails its check, described; undefined when all pass. */
function fieldProblem(
  value: Fields,
  fieldChecks: FieldChecks,
  path = '',
  { optional = false } = {},
): string | undefined {
  for (const [field, check] of fieldChecks) {
    const fieldValue = value[field];
    if ((optional && fieldValue === undefined) || check.test(fieldValue)) continue;
    const found = fieldValue === undefined ? 'missing' : JSON.stringify(fieldValue).slice(0, 40);
    return `${path}${field}: ${found}, expected ${check.expected}`;
  }
  return undefined;
}

type FieldChecks = readonly (readonly [string, Check])[];

// Listed once, not on every line: this runs for each line loaded.
function checks(byField: Record<string, Check>): FieldChecks {
  return Object.entries(byField);
}

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
