import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';

/**
 * The lines of an opened part (gunzipped when `gzipped`), streamed a read at a time (one array of lines per
 * chunk, so a reader pays for one await per chunk rather than per line): split on '\n' only, a last line
 * without its newline included (a reader decides it is truncated), and the handle closed at the end. A read
 * error (a damaged .gz) is thrown with the part's name.
 */
export async function* partLineChunks(handle: FileHandle, gzipped: boolean, source: string): AsyncGenerator<string[]> {
  const file = handle.createReadStream({ highWaterMark: 1 << 20 });
  const bytes = gzipped ? gunzipped(file) : file;
  const decoder = new StringDecoder('utf8');
  let rest = '';
  try {
    for await (const chunk of bytes as AsyncIterable<Buffer>) {
      const lines = (rest + decoder.write(chunk)).split('\n');
      rest = lines.pop() ?? '';
      yield lines;
    }
  } catch (error) {
    throw new Error(`Cannot read archive part ${source}: ${(error as Error).message}`, { cause: error });
  } finally {
    file.destroy();
  }
  rest += decoder.end();
  if (rest !== '') yield [rest];
}

function gunzipped(file: Readable): Readable {
  const gunzip = createGunzip();
  // pipe() passes no errors on: each side ends the other.
  file.once('error', (error) => gunzip.destroy(error));
  gunzip.once('error', () => file.destroy());
  return file.pipe(gunzip);
}
