import type { DeadLetters, DeadLetterSelection } from './dead-letters.js';
import type { DeadLetter } from './queue-types.js';

/** What the admin API and `npm run dlq` use: one partition's dead letters or all of them. */
export type DeadLetterStore = Pick<DeadLetters, 'count' | 'list' | 'replay' | 'purge'>;

/**
 * The dead letters of every partition as one list, oldest death first. An id names the event in whichever
 * partition holds it: replay and purge ask every partition, and each moves only the ids it holds.
 */
export class PartitionedDeadLetters implements DeadLetterStore {
  constructor(private readonly partitions: readonly DeadLetters[]) {}

  async count(): Promise<number> {
    const counts = await Promise.all(this.partitions.map((partition) => partition.count()));
    return counts.reduce((sum, n) => sum + n, 0);
  }

  /** A page of the merged list: each partition's first offset + limit, merged by time of death. */
  async list({ offset = 0, limit = 50 } = {}): Promise<DeadLetter[]> {
    const pages = await Promise.all(
      this.partitions.map((partition) => partition.list({ offset: 0, limit: offset + limit })),
    );
    return pages
      .flat()
      .sort((a, b) => (a.deadAt ?? '').localeCompare(b.deadAt ?? '') || a.id.localeCompare(b.id))
      .slice(offset, offset + limit);
  }

  async replay(selection: DeadLetterSelection): Promise<number> {
    return this.onEach((partition) => partition.replay(selection));
  }

  async purge(selection: DeadLetterSelection): Promise<number> {
    return this.onEach((partition) => partition.purge(selection));
  }

  private async onEach(apply: (partition: DeadLetters) => Promise<number>): Promise<number> {
    const counts = await Promise.all(this.partitions.map(apply));
    return counts.reduce((sum, n) => sum + n, 0);
  }
}
