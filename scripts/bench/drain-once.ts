import { Redis } from 'ioredis';
import { startRedisServer } from '../../tools/redis-server.js';
import { waitForDrained } from '../../tools/wait.js';
import { startBenchProcess } from './bench-processes.js';
import { appEnv, benchQueue, drainPollMs, prefill, removeBenchArchives } from './harness.js';

// The drain row of npm run bench on its own (200,000 prefilled events, one consumer, batch size 500, a private
// redis-server), printed with the consumer's CPU seconds and Redis's script time. For comparing two versions
// on a noisy machine, run it from each checkout in turn, several times, and compare medians; e.g. with an
// earlier commit in a worktree (node_modules linked):
//   for i in 1 2 3; do for dir in /tmp/before .; do (cd $dir && node --import tsx scripts/bench/drain-once.ts); done; done
// (the checkout being measured must have this file; copy it into an older one).
const events = 200_000;
const redis = await startRedisServer();
const client = new Redis(redis.url);
try {
  const queue = benchQueue(client, 'drain');
  await prefill(queue, events);
  const env = appEnv(redis, 'drain', { DAY15_BATCH_SIZE: '500' });
  const consumer = await startBenchProcess('consumer-drain-once', 'apps/consumer/main.ts', [], env, /Consumer started/);
  const ms = await waitForDrained(queue, { acked: events, timeoutMs: 600_000, intervalMs: drainPollMs });
  const scripts = /cmdstat_evalsha:calls=\d+,usec=(\d+)/.exec(String(await client.info('commandstats')))?.[1];
  console.log(
    `${process.cwd()}: ${Math.round(events / (ms / 1000))} events/s, consumer CPU ${consumer.cpuSeconds().toFixed(1)} s, ` +
      `Redis scripts ${(Number(scripts) / 1e6).toFixed(1)} s (prefill included)`,
  );
  await consumer.stop();
} finally {
  client.disconnect();
  await redis.stop();
  await removeBenchArchives();
}
