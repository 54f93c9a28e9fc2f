import { randomBytes } from 'node:crypto';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { mersenne } from 'pure-rand/generator/mersenne';

/** The largest --seed: the seeded generator takes a 32-bit seed. */
export const maxSeed = 0xffff_ffff;

/** Where every random choice of the generator comes from, so one seed reproduces a whole run. */
export interface RandomChoices {
  /** A number in [0, 1). */
  fraction(): number;
  /** `bytes` random bytes in hex, for ids. */
  hex(bytes: number): string;
}

/**
 * Seeded: the same seed gives the same choices (Mersenne Twister, whose seeding mixes neighbouring seeds
 * apart). Unseeded: Math.random, and crypto bytes for ids, so runs against the same Redis never reuse an
 * event id that its idempotency keys still remember.
 */
export function randomChoices(seed?: number): RandomChoices {
  if (seed === undefined) return { fraction: Math.random, hex: (bytes) => randomBytes(bytes).toString('hex') };
  const rng = mersenne(seed);
  return {
    fraction: () => uniformFloat64(rng),
    hex: (bytes) => Array.from({ length: bytes }, () => uniformInt(rng, 0, 255).toString(16).padStart(2, '0')).join(''),
  };
}
