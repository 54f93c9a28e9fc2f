import { Writable } from 'node:stream';

/**
 * A stream that hands every whole line written to it to `writeLine` (without the line break), so a logger's
 * output can go somewhere that takes lines rather than bytes, such as the orchestrator's merged log. Writes
 * are handled synchronously; a last line without a break is handed over when the stream ends.
 */
export function lineStream(writeLine: (line: string) => void): Writable {
  let pending = '';
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      const lines = (pending + chunk.toString()).split(/\r?\n/);
      pending = lines.pop() ?? '';
      for (const line of lines) writeLine(line);
      done();
    },
    final(done) {
      if (pending !== '') writeLine(pending);
      pending = '';
      done();
    },
  });
}
