import { analyticsKeys } from './analytics-keys.js';

/**
 * How an analytics data key may be moved between partitions: per-user state must live in its user's
 * partition; the active users (a sorted set whose members are user ids) may be split by member; every other
 * hash holds numbers that readMetrics sums over the partitions, so it may live in any partition.
 */
export type DataKeyKind = { kind: 'per-user'; user: string } | { kind: 'user-scores' } | { kind: 'summable' };

type AnalyticsKeys = typeof analyticsKeys;
/** The names of analyticsKeys that build a family of keys from an argument (a user id, a day, a minute). */
type Family = {
  [K in keyof AnalyticsKeys]: AnalyticsKeys[K] extends (arg: string) => string ? K : never;
}[keyof AnalyticsKeys];

// The kind of each family; a family added to analyticsKeys is a type error here until it is given one.
const familyKinds: Record<Family, DataKeyKind['kind']> = {
  subscription: 'per-user',
  minute: 'summable',
  hour: 'summable',
  movements: 'summable',
};

// Every fixed name but the active users is a hash of counts or sums (readMetrics sums them over partitions).
const fixedNames = new Set<string>(Object.values(analyticsKeys).filter((key) => typeof key === 'string'));
// A family's names are its head (the name built from an empty argument) followed by the argument.
const families = Object.entries(familyKinds).map(([family, kind]) => ({
  head: analyticsKeys[family as Family](''),
  kind,
}));

/** The kind of the analytics data key `name` (after the queue's key base); undefined for names it does not know. */
export function dataKeyKind(name: string): DataKeyKind | undefined {
  if (name === analyticsKeys.activeUsers) return { kind: 'user-scores' };
  if (fixedNames.has(name)) return { kind: 'summable' };
  const family = families.find(({ head }) => name.length > head.length && name.startsWith(head));
  if (!family) return undefined;
  return family.kind === 'per-user'
    ? { kind: 'per-user', user: name.slice(family.head.length) }
    : { kind: family.kind };
}
