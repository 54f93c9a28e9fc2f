import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import RedisMock from 'ioredis-mock';
import { loadConfig } from '../../../libs/config/index.js';
import { createQueue } from '../../../libs/queue/index.js';
import { uniquePrefix } from '../../../test/support/backends.js';
import { captureLogger } from '../../../test/support/capture-logger.js';
import { createReceiverApp } from '../app.js';
import { startServer, type RunningServer } from '../server.js';

const mib = 1024 * 1024;

// Sends headers declaring `declared` bytes, then `sent` bytes of body in 64 KiB writes, and collects what
// the server answers. Resolves when the answer matches `until`, when the server closes, or after 3 s without
// anything new.
function upload(
  port: number,
  { declared, sent, then = '', until }: { declared: number; sent: number; then?: string; until?: RegExp },
) {
  return new Promise<{ text: string; writeError?: string; closedByServer: boolean }>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let writeError: string | undefined;
    let idle: NodeJS.Timeout | undefined;
    const finish = (closedByServer: boolean) => {
      clearTimeout(idle);
      socket.destroy();
      resolve({ text, writeError, closedByServer });
    };
    socket.on('data', (chunk) => {
      text += chunk.toString();
      if (until?.test(text)) return finish(false);
      clearTimeout(idle);
      idle = setTimeout(() => finish(false), 3000);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      writeError ??= error.code;
    });
    socket.on('close', () => finish(true));
    socket.on('connect', async () => {
      socket.write(
        `POST /webhook/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${declared}\r\n\r\n`,
      );
      const chunk = Buffer.alloc(64 * 1024, 'x');
      for (let written = 0; written < sent && !socket.destroyed; written += chunk.length) {
        if (!socket.write(chunk.subarray(0, Math.min(chunk.length, sent - written)))) {
          await new Promise((drained) => socket.once('drain', drained).once('close', drained));
        }
      }
      if (then && !socket.destroyed) socket.write(then);
    });
  });
}

describe('oversized uploads on the real listener', () => {
  let server: RunningServer;
  beforeAll(async () => {
    const config = loadConfig({ env: { DAY15_KEY_PREFIX: uniquePrefix() }, envFile: '/nonexistent/.env' });
    const { ingest } = createReceiverApp({
      config,
      queue: createQueue(new RedisMock(), config),
      logger: captureLogger().logger,
    });
    server = await startServer(ingest, { host: '127.0.0.1', port: 0 });
  });
  afterAll(() => server.close());

  it('reads and discards a 10 MB body after answering 413, so the sender gets the answer (not a reset) and the connection serves its next request', async () => {
    const next = 'GET /health HTTP/1.1\r\nHost: x\r\n\r\n';
    const answer = await upload(server.port, {
      declared: 10 * mib,
      sent: 10 * mib,
      then: next,
      until: /"status":"healthy"/,
    });
    expect(answer.writeError).toBeUndefined();
    expect(answer.text).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer.text).toContain('"error":"payload_too_large"');
    expect(answer.text).toMatch(/HTTP\/1\.1 200 [\s\S]*"status":"healthy"/);
  });

  it('cuts the connection of an upload that goes on past the drain limit, after answering 413', async () => {
    const answer = await upload(server.port, { declared: 200 * mib, sent: 64 * mib });
    expect(answer.text).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer.closedByServer).toBe(true);
  }, 60_000);
});
