import type { EffectContext } from '../../libs/analytics/index.js';
import { validateEvent, type Day15Event } from '../../libs/events/index.js';
import type { Logger } from '../../libs/logging/index.js';
import type { AckItem, Claim, Effect, FailItem, OutboxEntry, PartitionedQueue } from '../../libs/queue/index.js';

export interface BatchContext {
  queue: Pick<PartitionedQueue, 'finish' | 'fail'>;
  consumerId: string;
  logger: Logger;
  now: number;
  dryRun: boolean;
  /** Whether the acks commit the events' archive lines (DAY15_ARCHIVE_ENABLED, never in a dry run). */
  archive: boolean;
  /** DAY15_BASE_CURRENCY: the currency of subscription amounts that name none. */
  baseCurrency: string;
  effectsFor: (event: Day15Event, context: EffectContext) => Effect[];
}

export interface BatchOutcome {
  processed: number;
  failed: number;
  deadLettered: number;
  lost: number;
  latencies: number[];
  byType: Record<string, number>;
  /** The outbox entries the acks committed, for the archive shipper. */
  outbox: OutboxEntry[];
}

/**
 * Turns claimed events into effects and finishes the whole batch in one round trip (ack and fail
 * pipelined). A bad event never holds up the rest: unparseable or invalid ones are dead-lettered at once
 * (no retry can fix them), a throwing rule is retried with backoff.
 */
export async function processBatch(claims: readonly Claim[], ctx: BatchContext): Promise<BatchOutcome> {
  const { logger, now } = ctx;
  logger.info(`Processing batch of ${claims.length} events`);
  const acks: AckItem[] = [];
  const ackedEvents: Day15Event[] = [];
  const fails: FailItem[] = [];
  for (const claim of claims) {
    const outcome = prepare(claim, ctx);
    if ('error' in outcome) {
      fails.push({ claim, error: outcome.error, retry: outcome.retry });
      continue;
    }
    acks.push({ claim, effects: ctx.dryRun ? [] : outcome.effects });
    ackedEvents.push(outcome.event);
    if (ctx.dryRun) {
      logger.info(
        `Dry run: would apply ${outcome.effects.length} effects for ${outcome.event.event_type} (${claim.id})`,
      );
    }
  }
  const [finished, failVerdicts] = await Promise.all([
    ctx.queue.finish(ctx.consumerId, acks, ctx.archive ? { processedAt: now } : undefined),
    ctx.queue.fail(ctx.consumerId, fails),
  ]);
  const ackVerdicts = finished.verdicts;

  const result: BatchOutcome = {
    processed: 0,
    failed: fails.length,
    deadLettered: 0,
    lost: 0,
    latencies: [],
    byType: {},
    outbox: finished.outbox,
  };
  ackedEvents.forEach((event, i) => {
    if (ackVerdicts[i] !== 'acked') {
      result.lost += 1;
      logger.warn(`Lease lost before ack: ${event.event_type} (${event.event_id}); another consumer has it`);
      return;
    }
    const latency = Math.max(0, now - (Date.parse(event.received_at ?? '') || now));
    result.processed += 1;
    result.latencies.push(latency);
    result.byType[event.event_type] = (result.byType[event.event_type] ?? 0) + 1;
    logger.info(`Processed ${event.event_type} (${event.event_id}) - latency: ${latency.toFixed(2)}ms`);
  });
  fails.forEach(({ claim, error }, i) => {
    const verdict = failVerdicts[i];
    if (verdict === 'dead') result.deadLettered += 1;
    if (verdict === 'lost') result.lost += 1;
    logger.warn(
      `Processing failed: ${claim.id} attempt ${claim.attempt} -> ${verdict === 'dead' ? 'dead-lettered' : verdict}`,
      { error },
    );
  });
  logger.info(`Batch complete: ${result.processed} success, ${result.failed} failed`);
  return result;
}

type Prepared = { event: Day15Event; effects: Effect[] } | { error: string; retry: boolean };

function prepare(claim: Claim, ctx: BatchContext): Prepared {
  let parsed: unknown;
  try {
    parsed = JSON.parse(claim.body);
  } catch (error) {
    return { error: `unparseable event body: ${(error as Error).message}`, retry: false };
  }
  const verdict = validateEvent(parsed);
  if (!verdict.ok) {
    return {
      error: `invalid event: ${verdict.issues.map((issue) => `${issue.path} ${issue.message}`).join('; ')}`,
      retry: false,
    };
  }
  try {
    return {
      event: verdict.event,
      effects: ctx.effectsFor(verdict.event, { now: ctx.now, baseCurrency: ctx.baseCurrency }),
    };
  } catch (error) {
    return { error: `analytics rule failed: ${(error as Error).message}`, retry: true };
  }
}
