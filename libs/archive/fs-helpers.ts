import { open } from 'node:fs/promises';

/** True for the error of a file or folder that is not there (ENOENT). */
export function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

/** For `.catch()`: a file already gone is fine, any other error is not. */
export function ignoreNotFound(error: unknown): undefined {
  if (!isNotFound(error)) throw error;
  return undefined;
}

/** fsyncs a folder, so the files created, renamed or removed in it stay that way after a crash. */
export async function syncFolder(path: string): Promise<void> {
  const folder = await open(path, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}
