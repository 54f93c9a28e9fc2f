import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface LineSink {
  /** Writes one whole line, tagged with the process it came from, to the console and the log file. */
  write(tag: string, line: string): void;
  close(): Promise<void>;
}

// The merged pipeline log. Children's output arrives line by line (readline), and each line is written
// with a single write() call on one stream, so lines from different processes never interleave mid-line.
export function createLineSink({ file, console: out = process.stdout }: { file: string; console?: NodeJS.WritableStream }): LineSink {
  mkdirSync(dirname(file), { recursive: true });
  const stream = createWriteStream(file, { flags: 'a' });
  return {
    write(tag, line) {
      const tagged = `[${tag}] ${line}\n`;
      out.write(tagged);
      stream.write(tagged);
    },
    close: () => new Promise((resolve) => stream.end(resolve)),
  };
}
