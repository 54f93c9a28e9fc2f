import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { killAppProcesses } from '../../tools/app-process.js';
import { freePort } from '../../tools/free-port.js';
import { pidsOf, runGenerator, startOrchestrator } from './orchestrator-harness.js';

// Real processes, each a `node --import tsx` start that takes seconds on a busy 2-core machine.
const timeoutMs = 180_000;

// The quick start (`npm run orchestrate` with nothing set): DAY15_REDIS_EMBEDDED=auto picks a private
// redis-server when one is installed, else the in-memory mode, and the banner says which and why. Neither test
// sets DAY15_USE_MOCK_REDIS; the harness passes on no DAY15_* variable of this process.
describe('npm run orchestrate with nothing chosen (DAY15_REDIS_EMBEDDED=auto)', () => {
  afterEach(killAppProcesses);

  it(
    'runs on an embedded redis-server when one is on PATH: receiver and consumer processes, events processed',
    async () => {
      // Never the machine's 6379 (taken there, auto would rightly fall back): a free port per start attempt.
      const redisPorts: number[] = [];
      try {
        const { orchestrator, url, ops } = await startOrchestrator({}, async () => {
          redisPorts.push(await freePort());
          return { DAY15_REDIS_PORT: String(redisPorts.at(-1)) };
        });
        const startup = orchestrator.lines.join('\n');
        expect(startup).toMatch(
          /Started redis \(pid \d+\)[\s\S]*Mode: Redis at 127\.0\.0\.1:\d+\/0 \(embedded redis-server, append-only/,
        );
        expect(startup).toContain(
          'Why this mode: redis-server found on PATH (DAY15_REDIS_EMBEDDED=auto); set DAY15_USE_MOCK_REDIS=true for the in-memory mode',
        );
        expect([pidsOf(orchestrator, 'receiver'), pidsOf(orchestrator, 'consumer-1')]).toEqual([
          [expect.any(Number)],
          [expect.any(Number)],
        ]);
        const { code, summary } = await runGenerator(url, ops.env, 'basic');
        expect([code, summary.accepted, summary.processed]).toEqual([0, 5, true]);
        orchestrator.child.kill('SIGTERM');
        expect(await orchestrator.exited).toBe(0);
      } finally {
        for (const port of redisPorts) rmSync(`data/redis/port-${port}`, { recursive: true, force: true });
      }
    },
    timeoutMs,
  );

  it(
    'falls back to the in-memory mode when redis-server is not on PATH, and says how to get Redis',
    async () => {
      // A PATH with node alone: everything the orchestrator starts by absolute path still starts.
      const bin = mkdtempSync(join(tmpdir(), 'day15-no-redis-bin-'));
      symlinkSync(process.execPath, join(bin, 'node'));
      try {
        const { orchestrator, url } = await startOrchestrator({ PATH: bin });
        const startup = orchestrator.lines.join('\n');
        expect(startup).toMatch(/Mode: in-memory \(ioredis-mock\)/);
        expect(startup).toMatch(
          /Why this mode: redis-server not found on PATH; install it \(apt-get install -y redis-server\) for a durable, faster pipeline, or set DAY15_USE_MOCK_REDIS=false/,
        );
        expect(startup).not.toMatch(/Started redis /);
        const accepted = await fetch(`${url}/webhook/events`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({
            event_id: `evt_auto_memory_${Date.now()}`,
            event_type: 'user_signup',
            user_id: 'user_auto',
            timestamp: new Date().toISOString(),
            metadata: { source: 'organic' },
          }),
        });
        expect(accepted.status).toBe(202);
        orchestrator.child.kill('SIGTERM');
        expect(await orchestrator.exited).toBe(0);
      } finally {
        rmSync(bin, { recursive: true, force: true });
      }
    },
    timeoutMs,
  );
});
