import type { ArchiveDay } from './archive-store.js';
import { isArchiveDay } from './archive-days.js';

// How the file store names things: `day=YYYY-MM-DD` folders (Hive-style partitions, which DuckDB and other
// engines read as a `day` column) holding one `<writer>.jsonl` part per writer, `<writer>[.N].jsonl.gz` once
// compressed.

const dayFolderPrefix = 'day=';

/** The folder of a day, e.g. `day=2026-11-27`. */
export function dayFolderName(day: ArchiveDay): string {
  return `${dayFolderPrefix}${day}`;
}

/** The day a folder holds, or undefined for anything that is not a day folder (left alone). */
export function dayOfFolder(name: string): ArchiveDay | undefined {
  const day = name.slice(dayFolderPrefix.length);
  return name.startsWith(dayFolderPrefix) && isArchiveDay(day) ? day : undefined;
}

/** The uncompressed part of a writer (a consumer id): any character outside `[A-Za-z0-9_.-]` becomes `_`. */
export function openPartName(writer: string): string {
  if (writer === '') throw new TypeError('An archive writer needs a name');
  return `${writer.replace(/[^A-Za-z0-9_.-]/g, '_')}.jsonl`;
}

/** True for a part still being written to (or not yet compressed). */
export function isOpenPartName(name: string): boolean {
  return name.endsWith('.jsonl');
}

/** True for a part, compressed or not (not for a compression's temporary file or anything else). */
export function isPartName(name: string): boolean {
  return name.endsWith('.jsonl') || name.endsWith('.jsonl.gz');
}

/**
 * The names a compressed `<stem>.jsonl` may take, in order: `<stem>.jsonl.gz`, then `<stem>.2.jsonl.gz`,
 * `<stem>.3.jsonl.gz`... (a writer that appended to its day after the day was compressed has a second part).
 */
export function compressedPartName(openName: string, attempt: number): string {
  const stem = openName.slice(0, -'.jsonl'.length);
  return attempt === 1 ? `${stem}.jsonl.gz` : `${stem}.${attempt}.jsonl.gz`;
}
