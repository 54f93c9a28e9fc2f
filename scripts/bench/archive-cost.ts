import { rm } from 'node:fs/promises';
import type { Redis } from 'ioredis';
import { effectsFor } from '../../libs/analytics/index.js';
import { dayCloseGraceMs, FileArchiveStore } from '../../libs/archive/index.js';
import { loadConfig } from '../../libs/config/index.js';
import type { RedisServer } from '../../tools/redis-server.js';
import { waitForDrained, waitUntil } from '../../tools/wait.js';
import { rebuildAnalytics, type RebuildResult } from '../rebuild-analytics/rebuild.js';
import { startBenchProcess, type BenchProcess } from './bench-processes.js';
import { appEnv, benchArchiveDir, benchQueue, drainPollMs, fmt, prefill, say, settle } from './harness.js';
import type { BenchReport, Row } from './report.js';
import { spreadOf, type Spread } from './spread.js';

// Issue 16, item 5: what the event archive costs. The consumer drain with the archive off and on, taking
// turns in the same run (off, on, off, on, ...) so drift of a shared machine hits both alike; the bytes per
// event the archive keeps, as written and gzipped; and how fast rebuild-analytics replays it.

export interface ArchiveCostPlan {
  drainEvents: number;
  drainBatch: number;
  /** Off/on pairs of drain runs. */
  pairs: number;
}

type Archive = 'off' | 'on';

interface ArchiveDrain {
  archive: Archive;
  ms: number;
  events_per_second: number;
  peak_rss_mb: number;
  /** Archive on: from the last ack until the outbox was empty, i.e. every line written and fsynced. */
  outbox_empty_ms?: number;
}

const dayMs = 86_400_000;

/**
 * Adds the archive rows to the report (raw figures in report.raw.archive_cost); resolves with the median
 * drain rate with the archive on over the median with it off.
 */
export async function measureArchiveCost({
  plan,
  redis,
  client,
  report,
  started,
}: {
  plan: ArchiveCostPlan;
  redis: RedisServer;
  client: Redis;
  report: BenchReport;
  started: BenchProcess[];
}): Promise<number> {
  const runs: ArchiveDrain[] = [];
  for (let pair = 1; pair <= plan.pairs; pair += 1) {
    for (const archive of ['off', 'on'] as const) {
      say(
        `archive cost: consumer drain, batch size ${plan.drainBatch}, archive ${archive} (pair ${pair} of ${plan.pairs})`,
      );
      const prefix = archivePrefix(archive, pair);
      runs.push(await drainRun({ plan, redis, client, started, prefix, archive }));
      // The last archive-on run's folder is measured below; the others only take disk space.
      if (archive === 'off' || pair < plan.pairs) await rm(benchArchiveDir(prefix), { recursive: true, force: true });
    }
  }
  const measured = archivePrefix('on', plan.pairs);
  try {
    say('archive cost: bytes on disk, then rebuild-analytics from the archive');
    const { disk, rebuild } = await diskAndRebuild(client, measured, plan.drainEvents);
    const off = ratesOf(runs, 'off');
    const on = ratesOf(runs, 'on');
    const onOverOff = on.median / Math.max(1, off.median);
    const rebuildRate = rebuild.replayed / Math.max(1e-9, rebuild.ms / 1000);
    report.raw.archive_cost = {
      events: plan.drainEvents,
      batch_size: plan.drainBatch,
      pairs: plan.pairs,
      runs,
      off,
      on,
      on_over_off: onOverOff,
      disk,
      rebuild: { ...rebuild, events_per_second: rebuildRate },
    };
    report.rows.push(
      ...drainRows(plan, runs, off, on, onOverOff),
      {
        what: 'archive on disk per event, as written',
        figure: `${fmt(disk.bytes_per_event_written)} bytes`,
        detail: `${fmt(disk.bytes_written / 1e6, 1)} MB of open .jsonl parts for ${fmt(plan.drainEvents)} events`,
      },
      {
        what: 'archive on disk per event, gzipped',
        figure: `${fmt(disk.bytes_per_event_gzipped)} bytes`,
        detail:
          `${fmt(disk.bytes_gzipped / 1e6, 1)} MB once the day is closed and compressed, ` +
          `${fmt(disk.bytes_written / Math.max(1, disk.bytes_gzipped), 1)} x smaller; the benchmark's events ` +
          'differ only in id, user and quantity, so varied traffic compresses less',
      },
      {
        what: 'rebuild-analytics from the archive',
        figure: `${fmt(rebuildRate)} events/s`,
        detail:
          `${fmt(rebuild.replayed)} events replayed in ${fmt(rebuild.ms / 1000, 1)} s from the gzipped day` +
          (rebuild.skipped + rebuild.problems > 0 ? `, ${rebuild.skipped} skipped, ${rebuild.problems} bad lines` : ''),
      },
    );
    return onOverOff;
  } finally {
    await rm(benchArchiveDir(measured), { recursive: true, force: true });
  }
}

const archivePrefix = (archive: Archive, pair: number): string => `archive-${archive}-${pair}`;

// Timed like the drain rows of main.ts: a prefilled queue, from the consumer's start-up line until every
// event is acked. With the archive on, an ack commits the lines to the outbox and the files are written
// behind it; how long after the last ack they were all on disk is recorded too.
async function drainRun({
  plan,
  redis,
  client,
  started,
  prefix,
  archive,
}: {
  plan: ArchiveCostPlan;
  redis: RedisServer;
  client: Redis;
  started: BenchProcess[];
  prefix: string;
  archive: Archive;
}): Promise<ArchiveDrain> {
  const queue = benchQueue(client, prefix);
  await prefill(queue, plan.drainEvents);
  await settle();
  const consumer = await startBenchProcess(
    `consumer-${prefix}`,
    'apps/consumer/main.ts',
    [],
    appEnv(redis, prefix, {
      DAY15_BATCH_SIZE: String(plan.drainBatch),
      DAY15_ARCHIVE_ENABLED: String(archive === 'on'),
    }),
    /Consumer started/,
  );
  started.push(consumer);
  try {
    const ms = await waitForDrained(queue, { acked: plan.drainEvents, timeoutMs: 600_000, intervalMs: drainPollMs });
    const drained = performance.now();
    if (archive === 'on') {
      await waitUntil(
        async () => (await client.hlen(queue.home.keys.outbox)) === 0,
        60_000,
        'the archive outbox empty',
        {
          intervalMs: drainPollMs,
        },
      );
    }
    return {
      archive,
      ms,
      events_per_second: plan.drainEvents / (ms / 1000),
      peak_rss_mb: consumer.peakRssMb(),
      ...(archive === 'on' ? { outbox_empty_ms: performance.now() - drained } : {}),
    };
  } finally {
    // Stopping flushes the archive and closes its parts, so the files are complete for what follows.
    await consumer.stop();
  }
}

// The archive of one archive-on run: its size as written, its size once the store has gzipped the day, and
// a rebuild of the analytics from it (the drain's analytics are live in Redis, as in production).
async function diskAndRebuild(
  client: Redis,
  prefix: string,
  events: number,
): Promise<{
  disk: {
    bytes_written: number;
    bytes_gzipped: number;
    bytes_per_event_written: number;
    bytes_per_event_gzipped: number;
  };
  rebuild: RebuildResult;
}> {
  // The consumers' own settings: appEnv sets neither the retention nor the currency.
  const config = loadConfig();
  const store = new FileArchiveStore({ dir: benchArchiveDir(prefix), retentionDays: config.archive.retentionDays });
  try {
    const bytes = async () => (await store.days()).reduce((sum, day) => sum + day.bytes, 0);
    const written = await bytes();
    // A clock past the day's end and its grace: the store's maintenance takes the day as closed and gzips it.
    await store.maintain(Date.now() + dayMs + dayCloseGraceMs + 60_000);
    if ((await store.days()).some((day) => day.open)) throw new Error(`The archive of ${prefix} was not compressed`);
    const gzipped = await bytes();
    const rebuild = await rebuildAnalytics({
      redis: client,
      queue: benchQueue(client, prefix),
      prefix,
      store,
      effectsFor,
      baseCurrency: config.analytics.baseCurrency,
      report: () => undefined,
    });
    return {
      disk: {
        bytes_written: written,
        bytes_gzipped: gzipped,
        bytes_per_event_written: written / events,
        bytes_per_event_gzipped: gzipped / events,
      },
      rebuild,
    };
  } finally {
    await store.close();
  }
}

function ratesOf(runs: ArchiveDrain[], archive: Archive): Spread {
  return spreadOf(runs.filter((run) => run.archive === archive).map((run) => run.events_per_second));
}

function drainRows(plan: ArchiveCostPlan, runs: ArchiveDrain[], off: Spread, on: Spread, onOverOff: number): Row[] {
  const what = (archive: Archive) => `consumer drain, batch size ${plan.drainBatch}, archive ${archive}`;
  const detail = (spread: Spread) =>
    `median of ${plan.pairs} (min ${fmt(spread.min)}, max ${fmt(spread.max)}), ${fmt(plan.drainEvents)} events each`;
  const outboxEmpty = Math.max(...runs.map((run) => run.outbox_empty_ms ?? 0));
  const slower = (1 - onOverOff) * 100;
  return [
    { what: what('off'), figure: `${fmt(off.median)} events/s`, detail: detail(off) },
    {
      what: what('on'),
      figure: `${fmt(on.median)} events/s`,
      detail: `${detail(on)}; all lines on disk at most ${fmt(outboxEmpty / 1000, 1)} s after the last ack`,
    },
    {
      what: 'archive on / off, consumer drain',
      figure: `${fmt(onOverOff, 2)} x`,
      detail:
        `${fmt(Math.abs(slower), 1)} % ${slower >= 0 ? 'slower' : 'faster'} with the archive (target: at most 20 % ` +
        'slower), medians of the interleaved runs',
    },
  ];
}
