import { Redis } from 'ioredis';
import { freePort } from '../../tools/free-port.js';
import type { RedisServer } from '../../tools/redis-server.js';
import { startBenchProcess, type BenchProcess } from './bench-processes.js';
import { fmt, receiverOn, say, settle } from './harness.js';
import { errorNote, type LoadResult } from './load.js';
import type { BenchReport, Row } from './report.js';
import { spreadOf, type Spread } from './spread.js';
import { drive } from './wrk.js';

// Issue 17: single-event and batch ingest of Day15 against the bare ceiling (bare-server.ts) and the
// Express 5 + BullMQ reference (peers/), in the same run. Every figure is the median of `runs` runs taken
// in turns (bare, Day15, BullMQ, bare, Day15, BullMQ, ...), so drift of a shared machine hits all alike.
// Each contender has a private redis-server of its own, emptied before each of its runs (nothing consumes
// here, and a backlog would grow until Day15 answers 503 backpressure), and each run starts once the
// machine is quiet.

export interface IngestPlan {
  seconds: number;
  /** Of each contender, before the first run; not measured. */
  warmupSeconds: number;
  runs: number;
  /** Single-event runs: bare and Day15 at each, the BullMQ reference at the first. */
  connections: number[];
  /** Batch runs (8 connections), Day15 only: the peers have no batch endpoint. */
  batchSizes: number[];
}

type ContenderKey = 'bare' | 'day15' | 'bullmq';

const contenderLabels: Record<ContenderKey, string> = {
  bare: 'bare ceiling',
  day15: 'Day15 receiver',
  bullmq: 'Express 5 + BullMQ',
};

interface Contender {
  key: ContenderKey;
  url: string;
  process: BenchProcess;
  /** Empties the contender's own Redis. */
  flush(): Promise<void>;
}

interface Figure {
  key: string;
  label: string;
  connections: number;
  batchSize: number;
  contenders: Contender[];
}

/** One contender's runs of a figure, and their medians with min and max. */
export interface ContenderRuns {
  runs: LoadResult[];
  events_per_second: Spread;
  p50_ms: Spread;
  p99_ms: Spread;
}

export interface ComparedIngest {
  /** By figure (single_16, single_64, batch_100, ...), then by contender. */
  figures: Record<string, Partial<Record<ContenderKey, ContenderRuns>>>;
  /** The best median of the bare server: the single-event ceiling of this run. */
  bareCeiling: number;
  day15CpuSecondsPer10k: Spread;
  peakRssMb: { bare: number; day15Single: number; day15Batch: number; bullmq: number };
}

/** Adds the ingest rows to the report (raw figures in report.raw.compared_ingest) and returns the figures. */
export async function measureComparedIngest({
  plan,
  redis,
  report,
  started,
}: {
  plan: IngestPlan;
  redis: Record<ContenderKey, RedisServer>;
  report: BenchReport;
  started: BenchProcess[];
}): Promise<ComparedIngest> {
  const clients = {
    bare: new Redis(redis.bare.url),
    day15: new Redis(redis.day15.url),
    bullmq: new Redis(redis.bullmq.url),
  };
  const stopped: BenchProcess[] = [];
  try {
    const contender = async (
      key: ContenderKey,
      starting: Promise<{ process: BenchProcess; url: string }>,
    ): Promise<Contender> => {
      const { process: process_, url } = await starting;
      started.push(process_);
      stopped.push(process_);
      return {
        key,
        url,
        process: process_,
        flush: async () => {
          await clients[key].flushall();
        },
      };
    };
    // Started side by side (each takes a second or two to load).
    const starts = [
      contender('bare', serverOn(redis.bare, 'bare', 'scripts/bench/bare-server.ts')),
      contender('day15', receiverOn(redis.day15, 'receiver', 'bench')),
      // Batches go to a receiver of their own, so the single-event receiver's peak RSS is that of single events.
      contender('day15', receiverOn(redis.day15, 'receiver-batch', 'bench-batch')),
      contender('bullmq', serverOn(redis.bullmq, 'express-bullmq', 'scripts/bench/peers/express-bullmq-receiver.ts')),
    ] as const;
    // Every start ends before a failed one is reported, so each process that did start is stopped.
    await Promise.allSettled(starts);
    const [bare, day15, day15Batch, bullmq] = await Promise.all(starts);

    const figures: Figure[] = [
      ...plan.connections.map((connections, i) => ({
        key: `single_${connections}`,
        label: `single event, ${connections} conn`,
        connections,
        batchSize: 1,
        contenders: i === 0 ? [bare, day15, bullmq] : [bare, day15],
      })),
      ...plan.batchSizes.map((batchSize) => ({
        key: `batch_${batchSize}`,
        label: `batch of ${batchSize}, 8 conn`,
        connections: 8,
        batchSize,
        contenders: [day15Batch],
      })),
    ];

    // A warm-up (JIT, connection pools), not measured.
    for (const [target, batchSize] of [
      [bare, 1],
      [day15, 1],
      [bullmq, 1],
      [day15Batch, 100],
    ] as const)
      await drive({ url: target.url, connections: 16, seconds: plan.warmupSeconds, batchSize });

    const runs = new Map<string, LoadResult[]>();
    const cpuPer10k: number[] = [];
    for (let round = 1; round <= plan.runs; round += 1) {
      for (const figure of figures) {
        for (const target of figure.contenders) {
          await target.flush();
          await settle();
          const cpuBefore = target.process.cpuSeconds();
          const result = await drive({
            url: target.url,
            connections: figure.connections,
            seconds: plan.seconds,
            batchSize: figure.batchSize,
          });
          if (target === day15 && figure.key === 'single_16')
            cpuPer10k.push(((target.process.cpuSeconds() - cpuBefore) / Math.max(1, result.events)) * 10_000);
          const key = `${figure.key}/${target.key}`;
          runs.set(key, [...(runs.get(key) ?? []), result]);
          say(
            `  run ${round} of ${plan.runs}: ${figure.label}, ${contenderLabels[target.key]}: ` +
              `${fmt(result.eventsPerSecond)} events/s, p99 ${fmt(result.p99Ms, 1)} ms${errorNote(result)}`,
          );
        }
      }
    }

    const byFigure: ComparedIngest['figures'] = Object.fromEntries(
      figures.map((figure) => [
        figure.key,
        Object.fromEntries(
          figure.contenders.map((target) => [target.key, summarise(runs.get(`${figure.key}/${target.key}`) ?? [])]),
        ),
      ]),
    );
    const compared: ComparedIngest = {
      figures: byFigure,
      bareCeiling: Math.max(...Object.values(byFigure).map((figure) => figure.bare?.events_per_second.median ?? 0)),
      day15CpuSecondsPer10k: spreadOf(cpuPer10k),
      peakRssMb: {
        bare: bare.process.peakRssMb(),
        day15Single: day15.process.peakRssMb(),
        day15Batch: day15Batch.process.peakRssMb(),
        bullmq: bullmq.process.peakRssMb(),
      },
    };
    report.raw.compared_ingest = compared;
    report.rows.push(...rowsOf(figures, compared, plan.runs));
    return compared;
  } finally {
    for (const process_ of stopped) await process_.stop();
    for (const client of Object.values(clients)) client.disconnect();
  }
}

// A reference server (bare-server.ts, peers/express-bullmq-receiver.ts): `<entry> <redis url> <port>`.
async function serverOn(
  redis: RedisServer,
  name: string,
  entry: string,
): Promise<{ process: BenchProcess; url: string }> {
  const port = await freePort();
  const process_ = await startBenchProcess(name, entry, [redis.url, String(port)], {}, /listening/);
  return { process: process_, url: `http://127.0.0.1:${port}` };
}

function summarise(results: LoadResult[]): ContenderRuns {
  return {
    runs: results,
    events_per_second: spreadOf(results.map((r) => r.eventsPerSecond)),
    p50_ms: spreadOf(results.map((r) => r.p50Ms)),
    p99_ms: spreadOf(results.map((r) => r.p99Ms)),
  };
}

function rowsOf(figures: Figure[], compared: ComparedIngest, runs: number): Row[] {
  const ofRuns = (spread: Spread, digits = 0) =>
    runs > 1 ? `median of ${runs} (min ${fmt(spread.min, digits)}, max ${fmt(spread.max, digits)})` : '1 run';
  const rows: Row[] = [];
  for (const figure of figures) {
    const byContender = compared.figures[figure.key] ?? {};
    for (const { key } of figure.contenders) {
      const own = byContender[key];
      if (!own) continue;
      const rate = own.events_per_second.median;
      const versus = (['bare', 'bullmq'] as const)
        .filter((other) => key === 'day15' && byContender[other])
        .map(
          (other) =>
            `${fmt(rate / Math.max(1, byContender[other]?.events_per_second.median ?? 0), 2)} x ${other === 'bare' ? 'bare' : 'BullMQ'}`,
        );
      const p99 = own.p99_ms;
      rows.push({
        what: `${figure.label}, ${contenderLabels[key]}`,
        figure: `${fmt(rate)} events/s`,
        detail:
          `${ofRuns(own.events_per_second)}; p50 ${fmt(own.p50_ms.median, 1)} ms, p99 ${fmt(p99.median, 1)} ms` +
          (runs > 1 ? ` (${fmt(p99.min, 1)}-${fmt(p99.max, 1)})` : '') +
          (figure.batchSize > 1 ? ' per request' : '') +
          versus.map((v) => `, ${v}`).join('') +
          errorNote({
            non2xx: own.runs.reduce((sum, r) => sum + r.non2xx, 0),
            errors: own.runs.reduce((sum, r) => sum + r.errors, 0),
          }),
      });
    }
    if (figure.key === 'single_16')
      rows.push({
        what: 'receiver CPU per 10k events',
        figure: `${fmt(compared.day15CpuSecondsPer10k.median, 2)} s`,
        detail: `Day15 receiver, single events, 16 connections, ${ofRuns(compared.day15CpuSecondsPer10k, 2)}`,
      });
  }
  const rss = compared.peakRssMb;
  rows.push(
    {
      what: 'receiver peak RSS, single-event load',
      figure: `${fmt(rss.day15Single, 1)} MB`,
      detail:
        `Day15 receiver, VmHWM after all its single-event runs; bare ceiling ${fmt(rss.bare, 1)} MB, ` +
        `Express 5 + BullMQ ${fmt(rss.bullmq, 1)} MB`,
    },
    {
      what: 'receiver peak RSS, after batch load',
      figure: `${fmt(rss.day15Batch, 1)} MB`,
      detail: 'Day15 receiver that took only the batch runs, VmHWM after all of them',
    },
  );
  return rows;
}
