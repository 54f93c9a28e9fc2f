import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** The merged pipeline log: whole lines, each tagged with the process it came from. */
export interface LineSink {
  /** Writes one whole line, tagged with the process it came from, to the console and the log file. */
  write(tag: string, line: string): void;
  /** Flushes and closes the log file; a line written afterwards still reaches the console. */
  close(): Promise<void>;
}

/**
 * The merged pipeline log. Children's output arrives line by line (readline), the orchestrator's own lines
 * from its logger (libs/logging), and each line is written with a single write() call on one stream, so
 * lines from different processes never interleave mid-line.
 */
export function createLineSink({
  file,
  console: out = process.stdout,
}: {
  file: string;
  console?: NodeJS.WritableStream;
}): LineSink {
  mkdirSync(dirname(file), { recursive: true });
  const stream = createWriteStream(file, { flags: 'a' });
  let closed = false;
  return {
    write(tag, line) {
      const tagged = `[${tag}] ${line}\n`;
      out.write(tagged);
      if (!closed) stream.write(tagged);
    },
    close: () => {
      closed = true;
      return new Promise((resolve) => stream.end(resolve));
    },
  };
}
