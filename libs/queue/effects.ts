import type { ScriptArg } from './lua-scripts.js';

// Effects are data: what an acked event changes, applied by the ack script in the same atomic step that
// finishes the event. Keys are names relative to the queue's key base (see QueueKeys.data), so they share
// its hash tag. encodeEffects below writes them as script arguments; lua/includes/apply-effects.lua reads
// them back and documents the semantics of each op.

export type Effect =
  | { op: 'hincrby'; key: string; field: string; by: number }
  | { op: 'hincrbyfloat'; key: string; field: string; by: number }
  | { op: 'sadd'; key: string; member: string }
  | { op: 'expire'; key: string; seconds: number }
  /** Sets each member's score in the sorted set to `score` unless it already has a higher one (e.g. users' last active day). */
  | { op: 'zmax'; key: string; score: number; members: readonly string[] }
  /** Removes the members scored below `score` (keeps a sorted set bounded, e.g. to the last 31 days). */
  | { op: 'ztrimbelow'; key: string; score: number }
  | ContributionEffect;

/** A versioned entity (e.g. a subscription) contributing a value to totals and per-group sums while live. */
export interface ContributionEffect {
  op: 'contribution';
  /** The entity's state hash. */
  key: string;
  /** Orders writes: a lower version than the stored one changes nothing (e.g. event time in ms). */
  version: number;
  /** Group the value counts in (e.g. plan); omitted = keep the stored group. */
  group?: string;
  /** Value contributed while live (e.g. monthly amount); omitted = keep the stored value. */
  value?: number;
  /**
   * What the value is counted in (e.g. a currency); omitted = keep the stored one. Sums are kept per unit:
   * totals field `<valueField>:<unit>` and group field `<group>:<unit>` (without the suffix when no unit).
   */
  unit?: string;
  /**
   * Hash that receives the value's movements (e.g. one per day): fields `<kind>:<unit>` += signed amount,
   * kind new | expansion | contraction | churn | reactivation (see lua/includes/apply-effects.lua);
   * omitted = none recorded.
   */
  movementsKey?: string;
  live: boolean;
  totalsKey: string;
  valueField: string;
  liveField: string;
  /** Counted when a live entity stops being live (e.g. churn). */
  endField: string;
  /** Counted when a never-seen entity arrives not live (e.g. cancellation of an unknown subscription). */
  orphanField: string;
  byGroupKey: string;
  /** Extra fields stored on the entity for display. */
  fields?: Record<string, string>;
}

/**
 * Merges the effects of a batch into as few ops as give the same result: counter increments summed per
 * field, set members and expiries once each (expiries last, so their keys exist), the highest score per
 * sorted-set member and trim, contributions kept in order. One batch then costs Redis a handful of commands instead of a dozen per event.
 */
export function mergeEffects(effects: readonly Effect[]): Effect[] {
  const sums = new Map<string, Extract<Effect, { op: 'hincrby' | 'hincrbyfloat' }>>();
  const members = new Map<string, Extract<Effect, { op: 'sadd' }>>();
  const expiries = new Map<string, Extract<Effect, { op: 'expire' }>>();
  /** Sorted-set key -> member -> the highest score asked for it. */
  const maxima = new Map<string, Map<string, number>>();
  const trims = new Map<string, Extract<Effect, { op: 'ztrimbelow' }>>();
  const ordered: ContributionEffect[] = [];
  for (const effect of effects) {
    if (effect.op === 'hincrby' || effect.op === 'hincrbyfloat') {
      const id = `${effect.op}\u0000${effect.key}\u0000${effect.field}`;
      const seen = sums.get(id);
      // The sum is a copy made once, then added to in place: a batch merges thousands of these.
      if (seen) seen.by += effect.by;
      else sums.set(id, { ...effect });
    } else if (effect.op === 'sadd') {
      members.set(`${effect.key}\u0000${effect.member}`, effect);
    } else if (effect.op === 'expire') {
      const seen = expiries.get(effect.key);
      if (!seen || seen.seconds < effect.seconds) expiries.set(effect.key, effect);
    } else if (effect.op === 'zmax') {
      const scores = maxima.get(effect.key) ?? new Map<string, number>();
      for (const member of effect.members) scores.set(member, Math.max(scores.get(member) ?? -Infinity, effect.score));
      maxima.set(effect.key, scores);
    } else if (effect.op === 'ztrimbelow') {
      const seen = trims.get(effect.key);
      if (!seen || seen.score < effect.score) trims.set(effect.key, effect);
    } else {
      ordered.push(effect);
    }
  }
  return [
    ...sums.values(),
    ...members.values(),
    ...groupedByScore(maxima),
    ...trims.values(),
    ...ordered,
    ...expiries.values(),
  ];
}

// One zmax per sorted set and score (a batch's events mostly share their arrival day), members listed once.
function groupedByScore(maxima: Map<string, Map<string, number>>): Effect[] {
  const grouped: Effect[] = [];
  for (const [key, scores] of maxima) {
    const byScore = new Map<number, string[]>();
    for (const [member, score] of scores) {
      const members = byScore.get(score);
      if (members) members.push(member);
      else byScore.set(score, [member]);
    }
    for (const [score, members] of byScore) grouped.push({ op: 'zmax', key, score, members });
  }
  return grouped;
}

/**
 * The encoding's opcodes and how many arguments follow each (a contribution's 14 are followed by 2 per
 * extra field, a zmax's 3 by its members). The interpreter in lua/includes/apply-effects.lua knows exactly these; a test checks it.
 */
export const effectOps = {
  hincrby: 3,
  hincrbyfloat: 3,
  sadd: 2,
  expire: 2,
  zmax: 3,
  ztrimbelow: 2,
  contribution: 14,
} as const satisfies Record<Effect['op'], number>;

/** Flattens effects into the ack script's arguments: per op, its name then its arguments (see effectOps). */
export function encodeEffects(effects: readonly Effect[]): ScriptArg[] {
  const args: ScriptArg[] = [];
  for (const effect of effects) {
    switch (effect.op) {
      case 'hincrby':
        if (!Number.isSafeInteger(effect.by)) throw new TypeError(`hincrby needs an integer, got ${effect.by}`);
        args.push(effect.op, effect.key, effect.field, effect.by);
        break;
      case 'hincrbyfloat':
        if (!Number.isFinite(effect.by)) throw new TypeError(`hincrbyfloat needs a finite number, got ${effect.by}`);
        args.push(effect.op, effect.key, effect.field, effect.by);
        break;
      case 'sadd':
        args.push(effect.op, effect.key, effect.member);
        break;
      case 'expire':
        args.push(effect.op, effect.key, Math.max(1, Math.round(effect.seconds)));
        break;
      case 'zmax':
        if (!Number.isFinite(effect.score)) throw new TypeError(`zmax needs a finite score, got ${effect.score}`);
        args.push(effect.op, effect.key, effect.score, effect.members.length, ...effect.members);
        break;
      case 'ztrimbelow':
        if (!Number.isFinite(effect.score)) throw new TypeError(`ztrimbelow needs a finite score, got ${effect.score}`);
        args.push(effect.op, effect.key, effect.score);
        break;
      case 'contribution':
        args.push(...encodeContribution(effect));
        break;
    }
  }
  return args;
}

function encodeContribution(effect: ContributionEffect): ScriptArg[] {
  if (effect.value !== undefined && !Number.isFinite(effect.value)) {
    throw new TypeError(`contribution value must be finite, got ${effect.value}`);
  }
  const fields = Object.entries(effect.fields ?? {});
  return [
    effect.op,
    effect.key,
    effect.version,
    effect.group ?? '',
    effect.value ?? '',
    effect.live ? 1 : 0,
    effect.totalsKey,
    effect.valueField,
    effect.liveField,
    effect.endField,
    effect.orphanField,
    effect.byGroupKey,
    effect.unit ?? '',
    effect.movementsKey ?? '',
    fields.length,
    ...fields.flat(),
  ];
}
