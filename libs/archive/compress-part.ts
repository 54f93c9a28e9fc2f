import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { link, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { ignoreNotFound, isNotFound, syncFolder } from './fs-helpers.js';
import { compressedPartName } from './part-names.js';

// A writer still appending to a closed day (a clock running behind, a process frozen and resumed) makes each
// attempt stale: after this many, the part is left for the next maintain() rather than compressed in a loop.
const maxAttempts = 3;

/**
 * Compresses the part `name` of a closed day's folder into a new `.gz` beside it, then removes it. Safe while
 * another process does the same: each writes its own temporary file and publishes it under a name nobody has
 * (link() never overwrites), so the worst outcome is a line in two parts, which readers dedupe. Safe while a
 * frozen writer still appends: the part is only published and removed if it has not grown since it was
 * compressed (checked again right before the removal), and a write that lands after the removal is noticed
 * and redone by the writer (FileArchiveStore.append). False when it compressed nothing: the part was gone
 * (another process compressed it) or kept growing.
 */
export async function compressPart(folder: string, name: string): Promise<boolean> {
  const source = join(folder, name);
  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    // A name of its own: two processes compressing the same part must not write into one temporary file.
    const temporary = `${source}.gz.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
    try {
      const compressedBytes = await gzipFile(source, temporary);
      const sizeAfter = await sizeOf(source);
      if (sizeAfter === undefined) return false;
      if (sizeAfter !== compressedBytes) continue;
      await linkUnderFreeName(temporary, folder, name);
      // Grown since (a write in the last instant): the part stays, its lines compressed again next time.
      if ((await sizeOf(source)) === compressedBytes) await unlink(source).catch(ignoreNotFound);
      await syncFolder(folder);
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    } finally {
      await rm(temporary, { force: true });
    }
  }
  return false;
}

/** Gzips `source` into `target` (created, fsynced before it is closed); returns the bytes of `source` it read. */
async function gzipFile(source: string, target: string): Promise<number> {
  const reading = createReadStream(source, { highWaterMark: 1 << 20 });
  await pipeline(reading, createGzip(), createWriteStream(target, { flags: 'wx', flush: true }));
  return reading.bytesRead;
}

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

async function linkUnderFreeName(temporary: string, folder: string, openName: string): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await link(temporary, join(folder, compressedPartName(openName, attempt)));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
