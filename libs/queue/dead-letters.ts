import type { RedisClient } from './redis-client.js';
import type { RunScript } from './lua-scripts.js';
import { unavailableOnError } from './queue-errors.js';
import type { QueueKeys } from './queue-keys.js';
import type { DeadLetter } from './queue-types.js';

export type DeadLetterSelection = readonly string[] | 'all';

const pageSize = 500;
const fields = ['body', 'last_error', 'attempts', 'first_failed_at', 'last_failed_at', 'dead_at'] as const;

/** Events that exhausted their attempts, oldest first: inspect them, put them back, or drop them. */
export class DeadLetters {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: QueueKeys,
    private readonly run: RunScript,
    /** The time replay and purge record as the events' status change (the queue's clock). */
    private readonly clock: () => number,
  ) {}

  /**
   * Every read here fails as QueueUnavailableError when Redis is away, like the queue's own operations
   * (the run function passed in is already wrapped), so the admin routes answer 503, never 500.
   */
  async count(): Promise<number> {
    return unavailableOnError(() => this.redis.zcard(this.keys.dead), 'Counting dead letters failed');
  }

  async list({ offset = 0, limit = 50 } = {}): Promise<DeadLetter[]> {
    return unavailableOnError(async () => {
      const ids = await this.redis.zrange(this.keys.dead, offset, offset + limit - 1);
      const pipeline = this.redis.pipeline();
      for (const id of ids) pipeline.hmget(this.keys.event(id), ...fields);
      const replies = (await pipeline.exec()) ?? [];
      return ids.map((id, i) => {
        const [error, values] = replies[i] ?? [null, []];
        if (error) throw error;
        return toDeadLetter(id, (values ?? []) as (string | null)[]);
      });
    }, 'Listing dead letters failed');
  }

  /** Back to the ready list with a fresh attempt budget; returns how many moved. */
  async replay(selection: DeadLetterSelection): Promise<number> {
    return this.inPages(selection, (ids) => this.run('replay', [this.clock(), ...ids]));
  }

  /** Deleted for good; returns how many were removed. */
  async purge(selection: DeadLetterSelection): Promise<number> {
    return this.inPages(selection, (ids) => this.run('purge', [this.clock(), ...ids]));
  }

  private async inPages(selection: DeadLetterSelection, apply: (ids: string[]) => Promise<unknown>): Promise<number> {
    let total = 0;
    if (selection === 'all') {
      for (;;) {
        const ids = await unavailableOnError(
          () => this.redis.zrange(this.keys.dead, 0, pageSize - 1),
          'Reading dead letters failed',
        );
        if (ids.length === 0) return total;
        total += Number(await apply(ids));
      }
    }
    for (let start = 0; start < selection.length; start += pageSize) {
      total += Number(await apply(selection.slice(start, start + pageSize)));
    }
    return total;
  }
}

function toDeadLetter(id: string, values: (string | null)[]): DeadLetter {
  const [body, error, attempts, firstFailedAt, lastFailedAt, deadAt] = values;
  return {
    id,
    event: parseBody(body ?? ''),
    error: error ?? '',
    attempts: Number(attempts ?? 0),
    firstFailedAt: isoTime(firstFailedAt),
    lastFailedAt: isoTime(lastFailedAt),
    deadAt: isoTime(deadAt),
  };
}

function parseBody(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

function isoTime(ms: string | null | undefined): string | undefined {
  return ms ? new Date(Number(ms)).toISOString() : undefined;
}
