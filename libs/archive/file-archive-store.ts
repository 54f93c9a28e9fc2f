import { mkdir, open, readdir, rm, stat, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { addDays, assertArchiveDay, isDayClosed, utcDay } from './archive-days.js';
import type { ArchiveDay, ArchiveDaySummary, ArchiveLine, ArchiveStore } from './archive-store.js';
import { compressPart } from './compress-part.js';
import { encodeLines } from './encode-lines.js';
import { ignoreNotFound, isNotFound, syncFolder } from './fs-helpers.js';
import { partLineChunks } from './part-lines.js';
import { dayFolderName, dayOfFolder, isOpenPartName, isPartName, openPartName } from './part-names.js';

export interface FileArchiveStoreOptions {
  /** The archive folder (DAY15_ARCHIVE_DIR); created by the first append. */
  dir: string;
  /** Days kept, today included (DAY15_ARCHIVE_DAYS). */
  retentionDays: number;
  /** The time (ms) sync() checks open parts against, to let go of closed days' files; Date.now by default. */
  clock?: () => number;
}

interface OpenPart {
  readonly key: string;
  readonly day: ArchiveDay;
  readonly handle: FileHandle;
}

/**
 * The archive as files: `<dir>/day=YYYY-MM-DD/<writer>.jsonl`, one part per writer per UTC day, so consumers
 * never write to the same file; maintain() gzips the closed days and deletes the expired ones.
 */
export class FileArchiveStore implements ArchiveStore {
  private readonly dir: string;
  private readonly retentionDays: number;
  private readonly clock: () => number;
  private readonly parts = new Map<string, OpenPart>();
  private readonly unsynced = new Set<OpenPart>();
  private readonly unsyncedFolders = new Set<string>();
  // Appends, syncs and closes run one at a time, so none closes a descriptor another is writing through.
  private tail: Promise<unknown> = Promise.resolve();
  private closing: Promise<void> | undefined;

  constructor({ dir, retentionDays, clock = Date.now }: FileArchiveStoreOptions) {
    if (!Number.isInteger(retentionDays) || retentionDays < 1) {
      throw new RangeError(`Invalid archive retention ${retentionDays}: keep at least 1 day`);
    }
    this.dir = dir;
    this.retentionDays = retentionDays;
    this.clock = clock;
  }

  append(writer: string, lines: readonly string[], at: number): Promise<void> {
    if (this.closing) return Promise.reject(new Error('The archive store is closed'));
    const name = openPartName(writer);
    if (lines.length === 0) return Promise.resolve();
    const data = encodeLines(lines);
    return this.exclusive(() => this.write(utcDay(at), name, data));
  }

  sync(): Promise<void> {
    return this.exclusive(async () => {
      await Promise.all([...this.unsynced].map((part) => part.handle.datasync()));
      this.unsynced.clear();
      await Promise.all([...this.unsyncedFolders].map(syncFolder));
      this.unsyncedFolders.clear();
      // An idle writer would otherwise hold yesterday's file open after maintain() compressed and removed it,
      // keeping its disk space taken.
      await this.release((part) => isDayClosed(part.day, this.clock()));
    });
  }

  async days(): Promise<ArchiveDaySummary[]> {
    const summaries: ArchiveDaySummary[] = [];
    for (const day of await this.storedDays()) {
      const names = await this.partNamesOf(day);
      const sizes = await Promise.all(names.map((name) => sizeOrZero(join(this.folderOf(day), name))));
      summaries.push({
        day,
        parts: names.length,
        bytes: sizes.reduce((sum, size) => sum + size, 0),
        open: names.some(isOpenPartName),
      });
    }
    return summaries;
  }

  async *read(range: { from?: ArchiveDay; to?: ArchiveDay } = {}): AsyncGenerator<ArchiveLine> {
    if (range.from !== undefined) assertArchiveDay(range.from, 'first day');
    if (range.to !== undefined) assertArchiveDay(range.to, 'last day');
    for (const day of await this.storedDays()) {
      if ((range.from !== undefined && day < range.from) || (range.to !== undefined && day > range.to)) continue;
      for await (const { name, handle } of this.openPartsOf(day)) {
        const source = `${dayFolderName(day)}/${name}`;
        let line = 0;
        // One loop here rather than generators delegating to each other: this runs once per line.
        for await (const texts of partLineChunks(handle, name.endsWith('.gz'), source)) {
          for (const text of texts) yield { source, line: (line += 1), text };
        }
      }
    }
  }

  async maintain(now: number): Promise<{ compressed: ArchiveDay[]; deleted: ArchiveDay[] }> {
    await this.exclusive(() => this.release((part) => isDayClosed(part.day, now)));
    // Keeps `retentionDays` days, today included; never today, never part of a day.
    const firstKept = addDays(utcDay(now), 1 - this.retentionDays);
    const deleted: ArchiveDay[] = [];
    const compressed: ArchiveDay[] = [];
    for (const day of await this.storedDays()) {
      if (day < firstKept) {
        await rm(this.folderOf(day), { recursive: true, force: true });
        deleted.push(day);
      } else if (isDayClosed(day, now)) {
        const open = (await this.partNamesOf(day)).filter(isOpenPartName);
        const done = await Promise.all(open.map((name) => compressPart(this.folderOf(day), name)));
        if (done.includes(true)) compressed.push(day);
      }
    }
    if (deleted.length > 0) await syncFolder(this.dir);
    return { compressed, deleted };
  }

  close(): Promise<void> {
    this.closing ??= this.exclusive(async () => {
      await this.release(() => true);
    });
    return this.closing;
  }

  private async write(day: ArchiveDay, name: string, data: Buffer): Promise<void> {
    for (;;) {
      const part = this.parts.get(`${day}/${name}`) ?? (await this.openPart(day, name));
      for (let written = 0; written < data.length;) {
        written += (await part.handle.write(data, written)).bytesWritten;
      }
      this.unsynced.add(part);
      // A writer frozen past its day's close may have written into a file maintain() had just compressed and
      // removed: those lines would go with it, so they are written again, to a new part under the same name.
      if ((await part.handle.stat()).nlink > 0) return;
      this.unsynced.delete(part);
      await this.release((open) => open === part);
    }
  }

  private async openPart(day: ArchiveDay, name: string): Promise<OpenPart> {
    // Appending to a newer day: the older days' parts are done with.
    await this.release((part) => part.day < day);
    const folder = this.folderOf(day);
    if ((await mkdir(folder, { recursive: true })) !== undefined) this.unsyncedFolders.add(dirname(folder));
    const handle = await open(join(folder, name), 'a');
    // A new file: its folder entry has to be made durable as well as its content.
    if ((await handle.stat()).size === 0) this.unsyncedFolders.add(folder);
    const part = { key: `${day}/${name}`, day, handle };
    this.parts.set(part.key, part);
    return part;
  }

  /** Makes the chosen open parts durable and closes them. */
  private async release(chosen: (part: OpenPart) => boolean): Promise<void> {
    for (const part of [...this.parts.values()].filter(chosen)) {
      this.parts.delete(part.key);
      if (this.unsynced.delete(part)) await part.handle.datasync();
      await part.handle.close();
    }
  }

  /** The day's parts, opened one after the other in name order. */
  private async *openPartsOf(day: ArchiveDay): AsyncGenerator<{ name: string; handle: FileHandle }> {
    const opened = new Set<string>();
    for (;;) {
      let vanished = false;
      for (const name of (await this.partNamesOf(day)).filter((name) => !opened.has(name))) {
        const handle = await open(join(this.folderOf(day), name), 'r').catch(ignoreNotFound);
        // Compressed by maintain() since the listing: its .gz shows in the next listing.
        if (!handle) vanished = true;
        else {
          opened.add(name);
          yield { name, handle };
        }
      }
      if (!vanished) return;
    }
  }

  private async storedDays(): Promise<ArchiveDay[]> {
    const entries = await readdir(this.dir, { withFileTypes: true }).catch((error: unknown) => {
      if (isNotFound(error)) return [];
      throw error;
    });
    return entries
      .filter((entry) => entry.isDirectory())
      .map((entry) => dayOfFolder(entry.name))
      .filter((day): day is ArchiveDay => day !== undefined)
      .sort();
  }

  private async partNamesOf(day: ArchiveDay): Promise<string[]> {
    const names = await readdir(this.folderOf(day)).catch((error: unknown) => {
      // Deleted by another process's maintain() meanwhile.
      if (isNotFound(error)) return [];
      throw error;
    });
    return names.filter(isPartName).sort();
  }

  private folderOf(day: ArchiveDay): string {
    return join(this.dir, dayFolderName(day));
  }

  private exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.tail.then(operation);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

async function sizeOrZero(path: string): Promise<number> {
  return stat(path).then(
    (stats) => stats.size,
    (error: unknown) => {
      if (isNotFound(error)) return 0;
      throw error;
    },
  );
}
