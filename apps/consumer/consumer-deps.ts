import type { EffectContext } from '../../libs/analytics/index.js';
import { configuredArchiveStore, type ArchiveStore } from '../../libs/archive/index.js';
import type { Day15Config } from '../../libs/config/index.js';
import type { Day15Event } from '../../libs/events/index.js';
import type { Logger } from '../../libs/logging/index.js';
import type { Effect, PartitionedQueue } from '../../libs/queue/index.js';
import type { ArchiveShipperTiming } from './archive-shipper.js';

export interface ConsumerTiming {
  /** Pause between polls while the queue is empty. */
  idlePollMs: number;
  /** A partial batch is processed once no new event arrived for this long (bounded by the batch timeout). */
  fillGapMs: number;
  /** How often this consumer takes back events whose lease expired (crashed or frozen consumers). */
  recoverEveryMs: number;
  /** How often the PROCESSING STATISTICS block is logged. */
  statsEveryMs: number;
  /** Wait before retrying a failed dashboard API update. */
  dashboardRetryMs: number;
}

export const defaultTiming: ConsumerTiming = {
  idlePollMs: 25,
  fillGapMs: 20,
  recoverEveryMs: 1000,
  statsEveryMs: 30_000,
  dashboardRetryMs: 5000,
};

/** Everything the consumer needs, passed in so tests can swap the rules, the clock or the network. */
export interface ConsumerDeps {
  config: Day15Config;
  queue: PartitionedQueue;
  logger: Logger;
  clock?: () => number;
  /** Unique per process; several consumers may share one queue. */
  consumerId?: string;
  /** The analytics rules (libs/analytics effectsFor by default). */
  effectsFor?: (event: Day15Event, context: EffectContext) => Effect[];
  /** Used to push batch summaries to DAY15_DASHBOARD_API_URL. */
  fetch?: typeof fetch;
  timing?: Partial<ConsumerTiming & ArchiveShipperTiming>;
  /** Where processed and dead-lettered events are archived (with DAY15_ARCHIVE_ENABLED); none = not archived. */
  archive?: ArchiveStore;
  /**
   * Runs `run` every `ms` until the returned function is called (setInterval by default): the lease renewal
   * and the statistics report. Tests pass their own to fire the renewal at chosen moments.
   */
  every?: (ms: number, run: () => void) => () => void;
}

/** The consumer's archive as the configuration says: the configured store with DAY15_ARCHIVE_ENABLED, none without. */
export function configuredArchive(config: Day15Config): Pick<ConsumerDeps, 'archive'> {
  return config.archive.enabled ? { archive: configuredArchiveStore(config.archive) } : {};
}
