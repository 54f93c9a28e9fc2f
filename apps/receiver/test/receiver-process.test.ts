import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { queueKeys } from '../../../libs/queue/index.js';
import { uniquePrefix } from '../../../test/support/backends.js';
import { killAppProcesses, startAppProcess } from '../../../tools/app-process.js';
import { waitUntil } from '../../../tools/wait.js';
import { anEvent } from './receiver-harness.js';

const entry = 'apps/receiver/main.ts';
const listening = /Receiver listening on (http:\/\/\S+)/;
const opsListening = /Ops listening on http:\/\/[^\s:]+:(\d+)/;
const opsPaths = ['/dashboard', '/api/metrics', '/metrics', '/admin/dead-letters'];

// This machine's first non-loopback IPv4 address, if it has one: a listener bound to 0.0.0.0 answers there too.
const externalAddress = Object.values(networkInterfaces())
  .flat()
  .find((address) => address?.family === 'IPv4' && !address.internal)?.address;

async function post(url: string, body: unknown): Promise<number> {
  const res = await fetch(`${url}/webhook/events`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}

// Real processes: starting `node --import tsx` alone takes seconds on a busy 2-core machine, so each test
// gets far more time than it needs on an idle one; waits end as soon as their condition holds.
const processTestTimeoutMs = 90_000;

describe('the receiver process (apps/receiver/main.ts)', () => {
  afterEach(killAppProcesses);

  it(
    'starts with the default settings in memory mode, answers /health, says so, and exits 0 on SIGTERM',
    async () => {
      const app = startAppProcess(entry, { DAY15_WEBHOOK_PORT: '0' });
      const [, url] = await app.waitForLine(listening);
      const res = await fetch(`${url}/health`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'healthy', mode: 'memory' });
      await app.waitForLine(/WARN - receiver - In-memory mode/);
      app.child.kill('SIGTERM');
      expect(await app.exited).toBe(0);
    },
    processTestTimeoutMs,
  );

  it(
    'loses no accepted event on SIGTERM under load: every 202 is in Redis, and the process exits 0',
    async () => {
      const prefix = uniquePrefix('shutdown');
      const app = startAppProcess(entry, {
        DAY15_WEBHOOK_PORT: '0',
        DAY15_USE_MOCK_REDIS: 'false',
        DAY15_REDIS_URL: process.env.REDIS_TEST_URL ?? '',
        DAY15_KEY_PREFIX: prefix,
      });
      const [, url] = await app.waitForLine(listening);
      const accepted: string[] = [];
      let stopped = false;
      const sender = async () => {
        while (!stopped) {
          const event = anEvent();
          try {
            if ((await post(url!, event)) === 202) accepted.push(String(event.event_id));
          } catch {
            stopped = true; // connection refused or reset: the receiver has closed; a real sender would retry later
          }
        }
      };
      const senders = Array.from({ length: 16 }, sender);
      await waitUntil(
        async () => accepted.length >= 100,
        30_000,
        () => `${accepted.length} events accepted`,
      );
      app.child.kill('SIGTERM');
      await Promise.all(senders);
      expect(await app.exited).toBe(0);

      const redis = new Redis(process.env.REDIS_TEST_URL ?? '');
      try {
        const queued = new Set(await redis.lrange(queueKeys(prefix).ready, 0, -1));
        expect(accepted.length).toBeGreaterThanOrEqual(100);
        expect(accepted.filter((id) => !queued.has(id))).toEqual([]);
      } finally {
        redis.disconnect();
      }
    },
    processTestTimeoutMs,
  );

  it(
    'refuses to start with a malformed setting, naming it, and exits 1',
    async () => {
      const app = startAppProcess(entry, { DAY15_BATCH_SIZE: 'lots' });
      expect(await app.exited).toBe(1);
      expect(app.lines.join('\n')).toContain(
        'DAY15_BATCH_SIZE="lots" is not allowed: expected an integer from 1 to 2000',
      );
    },
    processTestTimeoutMs,
  );

  it(
    'starts while Redis is unreachable: listens, alive but not ready, webhooks 503, warns with the address and hint, exits 0 on SIGTERM',
    async () => {
      // Port 1: nothing listens there, and unlike a free port nobody can take it meanwhile.
      const app = startAppProcess(entry, {
        DAY15_WEBHOOK_PORT: '0',
        DAY15_USE_MOCK_REDIS: 'false',
        DAY15_REDIS_URL: 'redis://127.0.0.1:1',
      });
      const [, url] = await app.waitForLine(listening);
      expect((await fetch(`${url}/livez`)).status).toBe(200);
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ reason: 'redis_unreachable' });
      const res = await fetch(`${url}/webhook/events`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(anEvent()),
      });
      expect([res.status, res.headers.get('retry-after')]).toEqual([503, '1']);
      await app.waitForLine(
        /WARN - receiver - Redis at redis:\/\/127\.0\.0\.1:1 is unreachable.*waiting for it\. Hint: start Redis/,
        30_000,
      );
      app.child.kill('SIGTERM');
      expect(await app.exited).toBe(0);
      expect(app.lines.join('\n')).not.toMatch(/Start-up failed|is reachable/);
    },
    processTestTimeoutMs,
  );

  it(
    'keeps the business off the public port: ingest on 0.0.0.0 answers 404 to every ops path, the ops listener on 127.0.0.1 answers them',
    async () => {
      const app = startAppProcess(entry, { DAY15_WEBHOOK_HOST: '0.0.0.0', DAY15_WEBHOOK_PORT: '0' });
      const [, ingestUrl] = await app.waitForLine(listening);
      const [, opsPort] = await app.waitForLine(opsListening);
      const ingestUrls = [ingestUrl!, ...(externalAddress ? [ingestUrl!.replace('localhost', externalAddress)] : [])];
      for (const base of ingestUrls) {
        for (const path of opsPaths)
          expect([base, path, (await fetch(`${base}${path}`)).status]).toEqual([base, path, 404]);
      }
      for (const path of opsPaths) {
        expect([path, (await fetch(`http://127.0.0.1:${opsPort}${path}`)).status]).toEqual([path, 200]);
      }
      if (externalAddress) {
        await expect(fetch(`http://${externalAddress}:${opsPort}/api/metrics`)).rejects.toThrow();
      }
      app.child.kill('SIGTERM');
      expect(await app.exited).toBe(0);
    },
    processTestTimeoutMs,
  );

  it(
    'refuses to bind the ops listener to 0.0.0.0 without DAY15_OPS_TOKEN, saying why, and exits 1',
    async () => {
      const app = startAppProcess(entry, { DAY15_WEBHOOK_PORT: '0', DAY15_OPS_HOST: '0.0.0.0' });
      expect(await app.exited).toBe(1);
      expect(app.lines.join('\n')).toContain(
        'DAY15_OPS_HOST="0.0.0.0" is not a loopback address and DAY15_OPS_TOKEN is unset',
      );
      expect(app.lines.join('\n')).not.toMatch(/listening on/);
    },
    processTestTimeoutMs,
  );

  it(
    'serves the ops listener on 0.0.0.0 with DAY15_OPS_TOKEN: 401 without the credential, 200 with it',
    async () => {
      const token = 'process-test-ops-token';
      const app = startAppProcess(entry, {
        DAY15_WEBHOOK_PORT: '0',
        DAY15_OPS_HOST: '0.0.0.0',
        DAY15_OPS_TOKEN: token,
      });
      const [, opsPort] = await app.waitForLine(opsListening);
      const hosts = ['127.0.0.1', ...(externalAddress ? [externalAddress] : [])];
      for (const host of hosts) {
        for (const path of opsPaths) {
          const url = `http://${host}:${opsPort}${path}`;
          expect([url, (await fetch(url)).status]).toEqual([url, 401]);
          const withToken = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
          expect([url, withToken.status]).toEqual([url, 200]);
        }
      }
      app.child.kill('SIGTERM');
      expect(await app.exited).toBe(0);
    },
    processTestTimeoutMs,
  );
});
