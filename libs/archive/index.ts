export type { ArchiveRecord, DeadRecord, ProcessedRecord } from './archive-record.js';
export type { ArchiveDay, ArchiveDaySummary, ArchiveLine, ArchiveStore } from './archive-store.js';
export { outboxLines } from './outbox-lines.js';
export { FileArchiveStore, type FileArchiveStoreOptions } from './file-archive-store.js';
export { addDays, assertArchiveDay, dayCloseGraceMs, isArchiveDay, isDayClosed, utcDay } from './archive-days.js';
export {
  parseArchiveLine,
  readArchiveEntries,
  validArchiveEntries,
  type ArchiveEntry,
  type ArchiveProblem,
} from './archive-lines.js';
export {
  exportFormats,
  openArchiveQuery,
  type ArchiveQuery,
  type ArchiveQueryOptions,
  type ExportFormat,
} from './archive-query.js';
export type { ArchiveDayStats, ArchiveStats } from './archive-stats.js';
export type { ArchiveRow, JsonValue } from './json-safe-values.js';
export { configuredArchiveStore } from './configured-store.js';
