import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { startRedisServer } from '../../tools/redis-server.js';
import { withCpuProfiles, type BenchProcess } from './bench-processes.js';
import { mainThreadProfile, topFrames, type ProfileFrame } from './cpu-profile.js';
import { drainDay15 } from './day15-drain.js';
import { receiverOn, settle } from './harness.js';
import { drive } from './wrk.js';

/** Where the receiver and the consumer spend their CPU, and what Redis spends on each command. */
export interface Profiles {
  receiver: ProfileFrame[];
  consumer: ProfileFrame[];
  /** Redis's own time per command (INFO commandstats) over the ingest and the drain, heaviest first. */
  redis: { command: string; calls: number; usec_per_call: number; seconds: number }[];
}

/**
 * Profiles Day15 with `node --cpu-prof`: the receiver under `seconds` of single-event load (16 connections,
 * wrk), then one consumer draining `events` prefilled events at batch size 500, each on the same private
 * redis-server, and returns the `top` functions of each by self time. The profiler costs a few percent, so
 * these runs are apart from the measured ones.
 */
export async function profileDay15({ seconds, events, top }: { seconds: number; events: number; top: number }) {
  const dir = mkdtempSync(join(tmpdir(), 'day15-profiles-'));
  const redis = await startRedisServer();
  const client = new Redis(redis.url);
  const started: BenchProcess[] = [];
  try {
    await withCpuProfiles(dir, async () => {
      const receiver = await receiverOn(redis, 'receiver-profiled', 'profile-ingest');
      started.push(receiver.process);
      await settle();
      await drive({ url: receiver.url, connections: 16, seconds });
      await receiver.process.stop();
      // Its consumer process is named consumer-<prefix>-1 (day15-drain.ts).
      await drainDay15({ redis, client, started, prefix: 'profiled', events, batchSize: 500 });
    });
    const profiles: Profiles = {
      receiver: topFrames(mainThreadProfile(join(dir, 'receiver-profiled')), top),
      consumer: topFrames(mainThreadProfile(join(dir, 'consumer-profiled-1')), top),
      redis: commandStats(String(await client.info('commandstats'))),
    };
    return profiles;
  } finally {
    for (const process_ of started) await process_.stop();
    client.disconnect();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function commandStats(info: string): Profiles['redis'] {
  return [...info.matchAll(/cmdstat_([\w|]+):calls=(\d+),usec=(\d+),usec_per_call=([\d.]+)/g)]
    .map(([, command = '', calls, usec, perCall]) => ({
      command,
      calls: Number(calls),
      usec_per_call: Number(perCall),
      seconds: Number(usec) / 1e6,
    }))
    .sort((a, b) => b.seconds - a.seconds);
}
