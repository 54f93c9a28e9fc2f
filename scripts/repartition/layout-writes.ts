import { parseSeenValue, partitionOfKey, type QueueKeys } from '../../libs/queue/index.js';
import type { CarriedState } from './carried-state.js';
import { groupBy, type Write } from './key-space.js';

/**
 * The writes that rebuild old keys in a new layout, whose partitions' keys are `target`, and where each goes.
 * Each key keeps its name after the key base and its remaining TTL; where several old keys become one (sums,
 * the active users), the new key gets the longest TTL among them. Plain SET/HSET/ZADD: correct only into a
 * layout cleared first (repartition.ts clears it).
 */
export class LayoutWrites {
  private readonly writes: Write[] = [];
  /** Keys written into each new partition. */
  private readonly keys: Set<string>[];
  /** Summed hashes: name after the base -> field -> the old partitions' values, in partition order. */
  private readonly sums = new Map<string, Map<string, string[]>>();
  /** Keys several old keys merge into -> the longest TTL among those. */
  private readonly mergedTtls = new Map<string, number>();

  constructor(private readonly target: readonly QueueKeys[]) {
    this.keys = target.map(() => new Set<string>());
  }

  /**
   * An idempotency key: into the partition of the placement hash it holds, or, from before, into all. Its value
   * is copied as it is (with the enqueue time and outcome the status lookup reads).
   */
  seen(suffix: string, value: string, ttlMs: number): 'placed' | 'legacy' {
    const hash = parseSeenValue(value).placementHash;
    const placed = hash !== undefined;
    const partitions = placed ? [hash % this.target.length] : this.target.map((_, p) => p);
    for (const p of partitions) this.add(p, { op: 'set', key: this.keyIn(p, suffix), value, ttlMs });
    return placed ? 'placed' : 'legacy';
  }

  /** Per-user state: into its user's partition, where that user's events now go. */
  perUser(suffix: string, user: string, fields: Record<string, string>, ttlMs: number): void {
    const p = partitionOfKey(user, this.target.length);
    this.add(p, { op: 'hset', key: this.keyIn(p, suffix), fields });
    if (ttlMs > 0) this.add(p, { op: 'pexpire', key: this.keyIn(p, suffix), ttlMs });
  }

  /** A sorted set of user ids (ZRANGE WITHSCORES: member, score, ...): each member into its user's partition. */
  userScores(suffix: string, withScores: readonly string[], ttlMs: number): void {
    const pairs = Array.from({ length: withScores.length / 2 }, (_, i) => ({
      member: withScores[2 * i] ?? '',
      score: withScores[2 * i + 1] ?? '',
    }));
    for (const [p, share] of groupBy(pairs, ({ member }) => partitionOfKey(member, this.target.length))) {
      this.add(p, {
        op: 'zadd',
        key: this.keyIn(p, suffix),
        scored: share.flatMap(({ member, score }) => [score, member]),
      });
      this.mergeTtl(this.keyIn(p, suffix), ttlMs);
    }
  }

  /** A hash of counts or sums: added field by field into the new partition 0. Call in old partition order. */
  summed(suffix: string, fields: Record<string, string>, ttlMs: number): void {
    const sum = this.sums.get(suffix) ?? new Map<string, string[]>();
    for (const [field, value] of Object.entries(fields)) sum.set(field, [...(sum.get(field) ?? []), String(value)]);
    this.sums.set(suffix, sum);
    this.mergeTtl(this.keyIn(0, suffix), ttlMs);
  }

  /**
   * What every new partition starts from (carried-state.ts): the live generation (an absent one is 0, as in a
   * new queue) and the ack sequence to continue from (likewise).
   */
  carry({ live, sequence }: CarriedState): void {
    this.target.forEach((keys, p) => {
      if (live !== 0) this.add(p, { op: 'hset', key: keys.generation, fields: { live: String(live) } });
      if (sequence > 0) this.add(p, { op: 'set', key: keys.sequence, value: String(sequence), ttlMs: -1 });
    });
  }

  /** Every write, the sums and merged TTLs last, and how many keys each new partition gets. */
  finish(): { writes: Write[]; written: number[] } {
    for (const [suffix, fields] of this.sums) {
      const summed = Object.fromEntries([...fields].map(([field, values]) => [field, sumOf(values)]));
      this.add(0, { op: 'hset', key: this.keyIn(0, suffix), fields: summed });
    }
    for (const [key, ttlMs] of this.mergedTtls) {
      if (ttlMs > 0) this.writes.push({ op: 'pexpire', key, ttlMs });
    }
    return { writes: this.writes, written: this.keys.map((keys) => keys.size) };
  }

  private add(partition: number, write: Write): void {
    this.writes.push(write);
    this.keys[partition]?.add(write.key);
  }

  private keyIn(partition: number, suffix: string): string {
    return `${(this.target[partition] as QueueKeys).base}${suffix}`;
  }

  private mergeTtl(key: string, ttlMs: number): void {
    const seen = this.mergedTtls.get(key);
    // -1 (no expiry) is the longest.
    this.mergedTtls.set(key, seen === undefined ? ttlMs : seen === -1 || ttlMs === -1 ? -1 : Math.max(seen, ttlMs));
  }
}

/**
 * The sum of one field's values over the old partitions: exact in integers (counts, cents); for decimals
 * (sums kept with HINCRBYFLOAT) the very double readMetrics computed, adding them in partition order.
 */
function sumOf(values: readonly string[]): string {
  if (values.every((value) => /^-?\d+$/.test(value))) return String(values.reduce((sum, v) => sum + BigInt(v), 0n));
  return String(values.reduce((sum, v) => sum + Number(v), 0));
}
