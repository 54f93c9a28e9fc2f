import { outboxLines, type ArchiveStore } from '../../libs/archive/index.js';
import type { Logger } from '../../libs/logging/index.js';
import type { OutboxEntry, PartitionedQueue } from '../../libs/queue/index.js';

export interface ArchiveShipperTiming {
  /** How often written lines are made durable (fsync) and their outbox entries removed: a group commit. */
  syncEveryMs: number;
  /** An outbox entry this old was left by a consumer that stopped before writing it; any consumer takes it. */
  orphanAfterMs: number;
  /** How often the outbox is checked for such entries. */
  orphanCheckEveryMs: number;
  /** How often closed days are compressed and expired ones deleted. */
  maintainEveryMs: number;
}

export const defaultShipperTiming: ArchiveShipperTiming = {
  syncEveryMs: 1000,
  orphanAfterMs: 15_000,
  orphanCheckEveryMs: 5000,
  maintainEveryMs: 3_600_000,
};

/**
 * Writes the archive lines that acks commit to the outbox (libs/queue/outbox.ts) into the consumer's part of
 * the archive, off the ack's critical path: the consumer hands over each batch's entries and goes on; the
 * lines are appended in one write per batch, made durable once a second, and only then removed from the
 * outbox. A consumer killed before that leaves its entries in the outbox, and another consumer writes them
 * out (orphans). So every committed line reaches the archive at least once; readers dedupe.
 */
export class ArchiveShipper {
  private pending: OutboxEntry[] = [];
  private written: OutboxEntry[] = [];
  private writing: Promise<void> = Promise.resolve();
  private readonly timers: NodeJS.Timeout[] = [];
  private lastOrphanCheck = 0;
  private readonly timing: ArchiveShipperTiming;

  constructor(
    private readonly deps: {
      store: ArchiveStore;
      queue: Pick<PartitionedQueue, 'outboxEntries' | 'removeOutbox'>;
      writer: string;
      logger: Logger;
      clock: () => number;
      timing?: Partial<ArchiveShipperTiming>;
    },
  ) {
    this.timing = { ...defaultShipperTiming, ...deps.timing };
  }

  start(): void {
    this.timers.push(
      setInterval(() => void this.commit(), this.timing.syncEveryMs),
      setInterval(() => void this.maintain(), this.timing.maintainEveryMs),
    );
    void this.maintain();
  }

  /** Takes a batch's committed entries; they are written in the background. */
  ship(entries: readonly OutboxEntry[]): void {
    if (entries.length === 0) return;
    this.pending.push(...entries);
    this.writing = this.writing.then(() => this.writePending());
  }

  /**
   * Looks for entries other consumers left behind (called from the consumer loop's recovery step), at most
   * once per orphanCheckEveryMs.
   */
  async adoptOrphans(): Promise<void> {
    const now = this.deps.clock();
    if (now - this.lastOrphanCheck < this.timing.orphanCheckEveryMs) return;
    this.lastOrphanCheck = now;
    const held = new Set([...this.pending, ...this.written].map(identity));
    const orphans = (await this.deps.queue.outboxEntries({ olderThanMs: this.timing.orphanAfterMs })).filter(
      (entry) => !held.has(identity(entry)),
    );
    if (orphans.length === 0) return;
    this.deps.logger.info(`Archive: writing ${orphans.length} outbox entries a stopped consumer left`);
    this.ship(orphans);
  }

  /** Writes, syncs and clears everything handed over; the consumer calls it when it stops. */
  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    await this.writing;
    await this.commit();
    await this.deps.store.close();
  }

  private async writePending(): Promise<void> {
    const entries = this.pending;
    if (entries.length === 0) return;
    this.pending = [];
    try {
      await this.deps.store.append(this.deps.writer, entries.flatMap(outboxLines), this.deps.clock());
      this.written.push(...entries);
    } catch (error) {
      // Still in the outbox: written later by this consumer's next batch, or by another consumer as an orphan.
      this.pending.unshift(...entries);
      this.deps.logger.warn('Archive write failed; the lines stay in the outbox and are retried', {
        error: (error as Error).message,
      });
    }
  }

  // Durable first, then out of the outbox: a crash in between leaves an entry that is written again (a
  // duplicate line the readers drop), never a line that is nowhere.
  private async commit(): Promise<void> {
    await this.writing;
    const entries = this.written;
    if (entries.length === 0) return;
    this.written = [];
    try {
      await this.deps.store.sync();
      await this.deps.queue.removeOutbox(entries);
    } catch (error) {
      this.written.unshift(...entries);
      this.deps.logger.warn('Archive sync or outbox cleanup failed; retried', { error: (error as Error).message });
    }
  }

  private async maintain(): Promise<void> {
    try {
      const done = await this.deps.store.maintain(this.deps.clock());
      if (done.compressed.length + done.deleted.length > 0) this.deps.logger.info('Archive maintenance', done);
    } catch (error) {
      this.deps.logger.warn('Archive maintenance failed', { error: (error as Error).message });
    }
  }
}

const identity = (entry: OutboxEntry): string => `${entry.partition}\u0000${entry.field}`;
