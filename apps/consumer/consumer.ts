import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { effectsFor as analyticsEffects } from '../../libs/analytics/index.js';
import type { Claim } from '../../libs/queue/index.js';
import { ArchiveShipper } from './archive-shipper.js';
import { defaultTiming, type ConsumerDeps } from './consumer-deps.js';
import { DashboardNotifier } from './dashboard-notifier.js';
import { InterruptibleSleep } from './interruptible-sleep.js';
import { processBatch } from './process-batch.js';
import { ProcessingStats } from './processing-stats.js';

export { configuredArchive, type ConsumerDeps } from './consumer-deps.js';

export interface Consumer {
  readonly id: string;
  start(): void;
  /** When the loop last reached Redis (a claim or poll answered), in clock ms; undefined before the first time. */
  lastCycleAt(): number | undefined;
  /** Stops claiming, finishes and acks the batch in hand, logs the statistics. Idempotent. */
  stop(): Promise<void>;
}

const maxOutageBackoffMs = 5000;

function everyInterval(ms: number, run: () => void): () => void {
  const timer = setInterval(run, ms);
  return () => clearInterval(timer);
}

/**
 * The batch consumer: claims micro-batches, applies their analytics exactly once through the queue's
 * atomic ack, retries and dead-letters failures, keeps its leases alive and takes back crashed consumers'
 * events. Batching: a batch is processed when full, when no new event arrived for fillGapMs, or when its
 * first event has waited DAY15_BATCH_TIMEOUT_SECONDS, whichever comes first.
 */
export function createConsumer(deps: ConsumerDeps): Consumer {
  const { config, queue, logger } = deps;
  const clock = deps.clock ?? Date.now;
  const timing = { ...defaultTiming, ...deps.timing };
  const id = deps.consumerId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const { batchSize, batchTimeoutMs, leaseMs, dryRun } = config.processing;
  const stats = new ProcessingStats(clock);
  const sleeper = new InterruptibleSleep();
  const notifier = config.dashboard.updateEnabled
    ? new DashboardNotifier({
        url: config.dashboard.apiUrl,
        logger,
        fetch: deps.fetch ?? fetch,
        retryMs: timing.dashboardRetryMs,
      })
    : undefined;
  const shipper =
    deps.archive && !dryRun
      ? new ArchiveShipper({ store: deps.archive, queue, writer: id, logger, clock, timing: deps.timing })
      : undefined;
  // Claims in this consumer's hands, whose leases renewal keeps alive: `held` is being collected or prepared
  // (or was claimed ahead), `finishing` holds the batches whose acks are in flight.
  let held: Claim[] = [];
  const finishing = new Set<readonly Claim[]>();
  let stopping = false;
  let lastCycle: number | undefined;
  let loop: Promise<void> | undefined;
  let stopped: Promise<void> | undefined;
  const every = deps.every ?? everyInterval;
  const stopTimers: (() => void)[] = [];

  async function collectBatch(): Promise<Claim[]> {
    held = await queue.claim(id, batchSize, leaseMs);
    const deadline = clock() + batchTimeoutMs;
    while (held.length > 0 && held.length < batchSize && !stopping && clock() < deadline) {
      await sleeper.sleep(Math.min(timing.fillGapMs, deadline - clock()));
      // Woken by stop: finish what is in hand, claim nothing more.
      if (stopping) break;
      const more = await queue.claim(id, batchSize - held.length, leaseMs);
      if (more.length === 0) break;
      held = [...held, ...more];
    }
    return held;
  }

  /**
   * Under a backlog (the batch came full), the next batch is claimed before this one is prepared, so Redis
   * runs that claim, and then this batch's ack, while this process prepares: Redis and the consumer work at
   * the same time instead of in turns. The early claim's leases are renewed like the others; if this
   * process dies, they expire and are recovered like any claim.
   */
  function claimAhead(): Promise<Claim[]> {
    const claiming = queue.claim(id, batchSize, leaseMs);
    // Awaited by the next cycle; meanwhile a failure must not count as unhandled.
    claiming.catch(() => undefined);
    return claiming;
  }

  /** Prepares the batch and sends its ack; the promise settles when the ack's reply is in and recorded. */
  function finish(batch: Claim[]): Promise<void> {
    finishing.add(batch);
    held = [];
    const finished = processBatch(batch, {
      queue,
      consumerId: id,
      logger,
      now: clock(),
      dryRun,
      archive: shipper !== undefined,
      baseCurrency: config.analytics.baseCurrency,
      effectsFor: deps.effectsFor ?? analyticsEffects,
    })
      .then((outcome) => {
        shipper?.ship(outcome.outbox);
        stats.recordBatch(outcome);
        notifier?.push({
          consumer_id: id,
          processed_at: new Date(clock()).toISOString(),
          events: batch.length,
          success: outcome.processed,
          failed: outcome.failed,
          by_type: outcome.byType,
        });
      })
      .finally(() => finishing.delete(batch));
    finished.catch(() => undefined);
    return finished;
  }

  async function runLoop(): Promise<void> {
    let outageMs = 0;
    let lastRecovery = 0;
    let idle = false;
    let ahead: Promise<Claim[]> | undefined;
    // The previous batch's ack, awaited after the next batch's ack is sent: at most two in flight.
    let previous: Promise<void> = Promise.resolve();
    while (!stopping || ahead) {
      try {
        if (clock() - lastRecovery >= timing.recoverEveryMs) {
          lastRecovery = clock();
          await queue.heartbeat(id);
          const recovered = await queue.recoverExpired();
          if (recovered.requeued + recovered.deadLettered > 0)
            logger.warn('Recovered events from expired leases', recovered);
          await shipper?.adoptOrphans();
        }
        let batch: Claim[];
        if (ahead) {
          const claimed = ahead;
          ahead = undefined;
          batch = held = await claimed;
        } else {
          batch = idle && !(await queue.hasWork()) ? [] : await collectBatch();
        }
        if (outageMs > 0) logger.info('Queue reachable again; resuming');
        outageMs = 0;
        lastCycle = clock();
        idle = batch.length === 0;
        if (idle) {
          await previous;
          await sleeper.sleep(timing.idlePollMs);
          continue;
        }
        if (batch.length === batchSize && !stopping) ahead = claimAhead();
        const current = finish(batch);
        await previous;
        previous = current;
      } catch (error) {
        // Whatever was held stays leased and comes back through lease recovery: nothing is lost.
        held = [];
        ahead = undefined;
        previous = Promise.resolve();
        if (outageMs === 0)
          logger.warn('Queue unavailable; waiting for it to come back', { error: (error as Error).message });
        outageMs = Math.min(maxOutageBackoffMs, Math.max(250, outageMs * 2));
        await sleeper.sleep(outageMs);
      }
    }
    await previous.catch((error: Error) =>
      logger.warn('Last ack before stop failed; its events come back through lease recovery', {
        error: error.message,
      }),
    );
  }

  // Lease renewal (not the liveness heartbeat above): pushes the deadline of every claim in hand.
  function renewLeases(): void {
    const inHand = [...held, ...[...finishing].flat()];
    if (inHand.length === 0) return;
    queue.extend(id, inHand, leaseMs).then(
      (kept) => {
        // Lost means lost only for a claim still waiting for its ack when the reply comes. One handed to an ack
        // meanwhile (in flight, answered, or answered before this renewal reached Redis) has no lease left
        // because the ack finished it, or its ack reports the loss itself ("Lease lost before ack").
        const waiting = new Set(held);
        const lost = inHand.filter((claim, i) => kept[i] === false && waiting.has(claim)).length;
        if (lost > 0) logger.warn(`Lease renewal: ${lost} lease(s) already lost`);
      },
      (error: Error) => logger.warn('Lease renewal failed', { error: error.message }),
    );
  }

  return {
    id,
    lastCycleAt: () => lastCycle,
    start() {
      if (loop) return;
      logger.info('Consumer started', {
        consumer_id: id,
        batch_size: batchSize,
        batch_timeout_ms: batchTimeoutMs,
        lease_ms: leaseMs,
        dry_run: dryRun,
        archive: shipper !== undefined,
      });
      shipper?.start();
      stopTimers.push(
        every(Math.max(50, leaseMs / 3), renewLeases),
        every(timing.statsEveryMs, () => stats.report(logger)),
      );
      loop = runLoop();
    },
    stop() {
      stopped ??= (async () => {
        stopping = true;
        sleeper.wakeAll();
        await loop;
        for (const stopTimer of stopTimers) stopTimer();
        notifier?.stop();
        await shipper
          ?.stop()
          .catch((error: Error) => logger.warn('Archive flush at stop failed', { error: error.message }));
        await queue.leave(id).catch(() => undefined);
        stats.report(logger);
      })();
      return stopped;
    },
  };
}
