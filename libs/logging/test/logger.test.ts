import { execFile } from 'node:child_process';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { createLogger } from '../index.js';
import type { LogFormat } from '../../config/index.js';

function capture(format: LogFormat, level: 'info' | 'debug' = 'info') {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, logger: createLogger({ level, format, component: 'receiver', stream }) };
}

describe('createLogger', () => {
  it('writes the original spec text format: time with comma millis, level, component, message', () => {
    const { lines, logger } = capture('text');
    logger.info('Event received: user_signup (evt_a1b2c3) - latency: 1.20ms');
    expect(lines[0]).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} - INFO - receiver - Event received: user_signup \(evt_a1b2c3\) - latency: 1\.20ms$/,
    );
  });

  it('appends data fields as key=value in text format', () => {
    const { lines, logger } = capture('text');
    logger.warn('Batch complete', { success: 3, failed: 0, ids: ['a'] });
    expect(lines[0]).toMatch(/ - WARN - receiver - Batch complete success=3 failed=0 ids=\["a"\]$/);
  });

  it('writes one JSON object per line in json format, with child bindings', () => {
    const { lines, logger } = capture('json');
    logger.child({ component: 'consumer', consumer_id: 'c1' }).error('Processing failed', { event_id: 'e1' });
    const entry = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    expect(entry).toMatchObject({
      level: 'error',
      component: 'consumer',
      consumer_id: 'c1',
      message: 'Processing failed',
      event_id: 'e1',
    });
    expect(typeof entry.timestamp).toBe('string');
  });

  it('never writes secrets or e-mail addresses, in fields or in text', () => {
    const { lines, logger } = capture('json');
    logger.info('Signup from jane.doe@example.com', {
      password: 'hunter2',
      metadata: { email: 'jane.doe@example.com', note: 'cc bob@example.org' },
      headers: { authorization: 'Bearer abc' },
    });
    const text = lines.join('\n');
    expect(text).not.toMatch(/hunter2|jane\.doe|bob@|Bearer abc/);
    expect(text).toContain('[email]');
    expect(text).toContain('[redacted]');
  });

  it('drops lines below the configured level', () => {
    const { lines, logger } = capture('text', 'info');
    logger.debug('noise');
    logger.info('signal');
    expect(lines).toHaveLength(1);
    expect(logger.isDebugEnabled()).toBe(false);
  });

  it('hands each whole line to writeLine at once, a multi-line entry as separate lines', () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'info',
      format: 'text',
      component: 'orchestrator',
      writeLine: (line) => lines.push(line),
    });
    logger.warn('consumer-1 exited unexpectedly');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} - WARN - orchestrator - consumer-1 exited unexpectedly$/,
    );
    logger.error('Start-up failed', { stack: 'Error: boom\n    at main' });
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/ - ERROR - orchestrator - Start-up failed stack=Error: boom$/),
      '    at main',
    ]);
  });
});

describe('createLogger on stdout', () => {
  it('writes every line to stdout in order, those still buffered included when the process exits at once', async () => {
    // A child process logs 20,000 lines as fast as it can, then calls process.exit with writes in flight.
    const script = [
      "import { createLogger } from './libs/logging/index.ts';",
      "const logger = createLogger({ level: 'info', format: 'text', component: 'probe' });",
      'for (let i = 0; i < 20000; i += 1) logger.info(`line ${i}`);',
      'process.exit(0);',
    ].join('\n');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        maxBuffer: 64 << 20,
      },
    );
    const numbers = stdout
      .trim()
      .split('\n')
      .map((line) => Number(/ - INFO - probe - line (\d+)$/.exec(line)?.[1]));
    expect(numbers).toEqual(Array.from({ length: 20000 }, (_, i) => i));
  });
});
