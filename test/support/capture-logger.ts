import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../libs/logging/index.js';

/** A real logger whose lines are kept in memory, so tests can assert on them without printing them. */
export function captureLogger(component = 'test'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger({ level: 'debug', format: 'text', component, stream }), lines };
}
