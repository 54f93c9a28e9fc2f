// The one interface between the archive and where its bytes live. The files under DAY15_ARCHIVE_DIR
// (file-archive-store.ts) are the first implementation; nothing outside it knows about paths, so an object
// store or a warehouse plugs in here. docs/architecture.md describes the contract.

/** A UTC day as YYYY-MM-DD. */
export type ArchiveDay = string;

export interface ArchiveDaySummary {
  day: ArchiveDay;
  /** The day's parts (one per writer). */
  parts: number;
  bytes: number;
  /** False once the day is closed and compressed. */
  open: boolean;
}

/** One line as stored, with where it came from, so a reader can report a bad one precisely. */
export interface ArchiveLine {
  /** The part the line is in, as the store names it (for the files: the path under the archive folder). */
  source: string;
  /** 1-based line number within the part. */
  line: number;
  text: string;
}

export interface ArchiveStore {
  /**
   * Appends lines (no newlines inside) to `writer`'s part of the UTC day of `at`, in one write. Not yet
   * durable when it resolves: sync() is.
   */
  append(writer: string, lines: readonly string[], at: number): Promise<void>;
  /** Makes everything appended so far durable (fsync); what was appended before a crash without it may be gone. */
  sync(): Promise<void>;
  /** The days held, oldest first. */
  days(): Promise<ArchiveDaySummary[]>;
  /** Every line of the days from `from` to `to` (inclusive; open-ended when left out), day by day. */
  read(range?: { from?: ArchiveDay; to?: ArchiveDay }): AsyncIterable<ArchiveLine>;
  /** Compresses the closed days and deletes whole days older than the retention; says what it did. */
  maintain(now: number): Promise<{ compressed: ArchiveDay[]; deleted: ArchiveDay[] }>;
  /** Closes open parts; the store may not be used afterwards. */
  close(): Promise<void>;
}
