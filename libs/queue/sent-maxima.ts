import type { Effect } from './effects.js';

/**
 * The sorted-set scores this queue's applied acks have set with zmax effects, so later acks leave out the
 * members already at that score or higher. zmax never lowers a score, so sending them again would change
 * nothing, yet on a busy day most events come from users already marked active today, and each costs the
 * consumer and Redis work. Only what an applied ack set is remembered (a lost ack remembers nothing), and at
 * most `limit` members (then it starts over). It relies on nothing else lowering those scores while the
 * process runs: a trim removes only scores below its bound, which the ack carrying a lower score trims too;
 * `npm run repartition` runs with the consumers stopped. After Redis lost acknowledged writes (a failover
 * without WAIT, a restart without AOF), users active before the loss are marked again from the next process
 * start or the next day.
 */
export class SentMaxima {
  private readonly scores = new Map<string, number>();

  constructor(private readonly limit = 200_000) {}

  /** `effects` without the zmax members already set to at least their score. */
  unsent(effects: readonly Effect[]): Effect[] {
    return effects.flatMap((effect): Effect[] => {
      if (effect.op !== 'zmax') return [effect];
      const members = effect.members.filter(
        (member) => !((this.scoreOf(effect.key, member) ?? -Infinity) >= effect.score),
      );
      return members.length === 0 ? [] : [{ ...effect, members }];
    });
  }

  /** Remembers the zmax scores of effects an ack applied. */
  remember(effects: readonly Effect[]): void {
    if (this.scores.size > this.limit) this.scores.clear();
    for (const effect of effects) {
      if (effect.op !== 'zmax') continue;
      for (const member of effect.members) {
        const id = `${effect.key}\u0000${member}`;
        this.scores.set(id, Math.max(this.scores.get(id) ?? -Infinity, effect.score));
      }
    }
  }

  private scoreOf(key: string, member: string): number | undefined {
    return this.scores.get(`${key}\u0000${member}`);
  }
}
