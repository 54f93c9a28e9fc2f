import { describe, expect, it } from '@jest/globals';
import {
  layoutRecheckMs,
  PartitionLayoutError,
  queueKeys,
  QueueUnavailableError,
  type PartitionedQueue,
  type QueueItem,
} from '../index.js';
import { dataFieldSum, uniquePrefix, withContractBackends } from '../../../test/support/backends.js';
import { queueHarness, type QueueHarness } from './queue-harness.js';

const partitions = 3;
const item = (id: string, user?: string): QueueItem => ({
  id,
  body: JSON.stringify({ event_id: id, user_id: user }),
  ...(user === undefined ? {} : { placementKey: user }),
});

/** Two users whose events land in different partitions of `queue`. */
function usersInTwoPartitions(queue: PartitionedQueue): [string, string] {
  const first = 'user-a';
  for (let i = 0; ; i += 1) {
    const other = `user-${i}`;
    if (queue.partitionFor(other) !== queue.partitionFor(first)) return [first, other];
  }
}

withContractBackends(`a queue of ${partitions} partitions`, (backend) => {
  let h: QueueHarness;
  const fresh = (prefix?: string) => {
    h = queueHarness(backend.redis, { partitions, ...(prefix ? { prefix } : {}) });
    return h.queue;
  };
  const readyIn = async (queue: PartitionedQueue) =>
    Promise.all(queue.partitions.map((partition) => backend.redis.lrange(partition.keys.ready, 0, -1)));

  describe('placement', () => {
    it("puts all of a user's events in the user's partition and spreads users over the partitions", async () => {
      const queue = fresh();
      const users = Array.from({ length: 12 }, (_, i) => `u${i}`);
      await queue.enqueue(users.flatMap((user) => [1, 2, 3].map((n) => item(`${user}-e${n}`, user))));
      const ready = await readyIn(queue);
      for (const user of users) {
        const home = queue.partitions.indexOf(queue.partitionFor(user));
        expect(ready[home]).toEqual(expect.arrayContaining([`${user}-e1`, `${user}-e2`, `${user}-e3`]));
      }
      expect(ready.every((ids) => ids.length > 0)).toBe(true);
      expect(ready.flat()).toHaveLength(36);
    });

    it('places an event without a user by its event id', async () => {
      const queue = fresh();
      await queue.enqueue([item('lonely')]);
      expect(await backend.redis.lrange(queue.partitionFor('lonely').keys.ready, 0, -1)).toEqual(['lonely']);
    });
  });

  describe('enqueue', () => {
    it('answers a batch over several partitions in request order, a repeated id once even with another user', async () => {
      const queue = fresh();
      const [a, b] = usersInTwoPartitions(queue);
      const verdicts = await queue.enqueue([item('e1', a), item('e2', b), item('e1', b), item('e3', a)]);
      expect(verdicts).toEqual(['accepted', 'accepted', 'duplicate', 'accepted']);
      expect((await queue.stats()).ready).toBe(3);
      expect(await queue.enqueue([item('e2', b), item('e3', a)])).toEqual(['duplicate', 'duplicate']);
    });

    it('fails the whole request when one partition fails: nothing is promised, and the retry finds the rest as duplicates', async () => {
      const queue = fresh();
      const [a, b] = usersInTwoPartitions(queue);
      const broken = queue.partitionFor(b);
      const enqueue = broken.enqueue.bind(broken);
      Object.assign(broken, {
        enqueue: () => Promise.reject(new QueueUnavailableError('partition down', { cause: undefined })),
      });
      await expect(queue.enqueue([item('ok', a), item('down', b)])).rejects.toBeInstanceOf(QueueUnavailableError);
      Object.assign(broken, { enqueue });
      expect(await queue.enqueue([item('ok', a), item('down', b)])).toEqual(['duplicate', 'accepted']);
      expect((await queue.stats()).counters.accepted).toBe(2);
    });
  });

  describe('claim', () => {
    it('takes from every partition with work, so a deep backlog does not starve a partition with a few events', async () => {
      const queue = fresh();
      const [deep, light] = usersInTwoPartitions(queue);
      await queue.enqueue(Array.from({ length: 100 }, (_, i) => item(`deep${i}`, deep)));
      await queue.enqueue([item('light1', light), item('light2', light)]);
      const ids = (await queue.claim('c', 10, 10_000)).map((claim) => claim.id);
      expect(ids).toHaveLength(10);
      expect(ids).toEqual(expect.arrayContaining(['light1', 'light2']));
    });

    it('fills a batch from the partitions that still have work when the others run dry', async () => {
      const queue = fresh();
      const [few, many] = usersInTwoPartitions(queue);
      await queue.enqueue([item('few1', few), ...Array.from({ length: 20 }, (_, i) => item(`many${i}`, many))]);
      expect(await queue.claim('c', 10, 10_000)).toHaveLength(10);
      expect((await queue.stats()).ready).toBe(11);
    });

    it('claims nothing and writes nothing when every partition is idle', async () => {
      const queue = fresh();
      expect(await queue.claim('idle', 10, 1000)).toEqual([]);
      for (const partition of queue.partitions) expect(await backend.redis.exists(partition.keys.fence)).toBe(0);
    });
  });

  describe('ack, fail and dead letters', () => {
    it("acks, fails and extends each claim in its own partition, applying an event's effects there", async () => {
      const queue = fresh();
      const users = Array.from({ length: 9 }, (_, i) => `u${i}`);
      await queue.enqueue(users.map((user) => item(`e-${user}`, user)));
      const claims = await queue.claim('c', 9, 10_000);
      expect(new Set(claims.map((claim) => claim.partition)).size).toBeGreaterThan(1);
      expect(await queue.extend('c', claims, 10_000)).toEqual(claims.map(() => true));
      const effects = [{ op: 'hincrby' as const, key: 'totals', field: 'processed', by: 1 }];
      const [first, ...rest] = claims;
      expect(await queue.fail('c', [{ claim: first!, error: 'boom', retry: false }])).toEqual(['dead']);
      expect(
        await queue.ack(
          'c',
          rest.map((claim) => ({ claim, effects })),
        ),
      ).toEqual(rest.map(() => 'acked'));
      expect(await dataFieldSum(queue, 'totals', 'processed')).toBe(8);
      expect(await queue.stats()).toMatchObject({ ready: 0, inFlight: 0, dead: 1, counters: { acked: 8 } });
    });

    it('lists the dead letters of all partitions oldest first, and replays and purges them by id alone', async () => {
      const queue = fresh();
      const users = Array.from({ length: 6 }, (_, i) => `u${i}`);
      await queue.enqueue(users.map((user) => item(`d-${user}`, user)));
      const claims = await queue.claim('c', 6, 10_000);
      for (const claim of claims) {
        await queue.fail('c', [{ claim, error: `bad ${claim.id}`, retry: false }]);
        h.advance(1000);
      }
      expect(await queue.deadLetters.count()).toBe(6);
      const listed = await queue.deadLetters.list();
      expect(listed.map((letter) => letter.id)).toEqual(claims.map((claim) => claim.id));
      expect((await queue.deadLetters.list({ offset: 2, limit: 2 })).map((letter) => letter.id)).toEqual(
        claims.slice(2, 4).map((claim) => claim.id),
      );
      expect(await queue.deadLetters.replay([claims[0]!.id, claims[1]!.id, 'unknown'])).toBe(2);
      expect(await queue.deadLetters.purge([claims[2]!.id])).toBe(1);
      expect(await queue.deadLetters.purge('all')).toBe(3);
      expect(await queue.stats()).toMatchObject({ ready: 2, dead: 0 });
    });
  });

  describe('the partition layout', () => {
    it('records the number of partitions on first use and refuses another number, naming the way to change it', async () => {
      const prefix = uniquePrefix();
      await fresh(prefix).enqueue([item('e1', 'u1')]);
      const other = queueHarness(backend.redis, { prefix, partitions: 2 }).queue;
      const refusal = other.enqueue([item('e2', 'u2')]);
      await expect(refusal).rejects.toBeInstanceOf(PartitionLayoutError);
      await expect(refusal).rejects.toThrow(
        /written with DAY15_PARTITIONS=3, but this process has DAY15_PARTITIONS=2.*npm run repartition -- --to 2/,
      );
      await expect(other.claim('c', 1, 1000)).rejects.toBeInstanceOf(PartitionLayoutError);
      const same = queueHarness(backend.redis, { prefix, partitions }).queue;
      expect(await same.enqueue([item('e3', 'u3')])).toEqual(['accepted']);
    });

    it('stops writing within layoutRecheckMs when the layout is switched under a running process', async () => {
      const queue = fresh();
      await queue.enqueue([item('before', 'u1')]);
      await backend.redis.set(queueKeys(h.prefix).layout, '6');
      h.advance(layoutRecheckMs + 1);
      await expect(queue.enqueue([item('after', 'u1')])).rejects.toThrow(/written with DAY15_PARTITIONS=6/);
      await expect(queue.claim('c', 1, 1000)).rejects.toBeInstanceOf(PartitionLayoutError);
      expect((await queue.stats()).counters.accepted).toBe(1);
    });

    it('takes data written before the layout was recorded for single-partition data', async () => {
      const prefix = uniquePrefix();
      const single = queueHarness(backend.redis, { prefix, partitions: 1 }).queue;
      await single.enqueue([item('old', 'u1')]);
      await backend.redis.del(single.home.keys.layout);
      await expect(fresh(prefix).enqueue([item('new', 'u2')])).rejects.toThrow(/written with DAY15_PARTITIONS=1/);
    });
  });
});
