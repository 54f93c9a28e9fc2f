import type { Day15Config } from '../config/index.js';
import type { ArchiveStore } from './archive-store.js';
import { FileArchiveStore } from './file-archive-store.js';

/**
 * The archive store the configuration describes (DAY15_ARCHIVE_DIR, DAY15_ARCHIVE_DAYS): the files, the one
 * implementation so far. Every process opens its store here, so another implementation is chosen in one place.
 */
export function configuredArchiveStore(settings: Day15Config['archive']): ArchiveStore {
  return new FileArchiveStore({ dir: settings.dir, retentionDays: settings.retentionDays });
}
