import { beforeEach, expect, it } from '@jest/globals';
import type { Effect } from '../index.js';
import { withContractBackends } from '../../../test/support/backends.js';
import { queueHarness, type QueueHarness } from './queue-harness.js';

// The analytics generations a rebuild moves through (generation-2.lua, backfill-1.lua, ack-5.lua), on one
// user's partition as the pipeline places its events.
withContractBackends('analytics generations', (backend) => {
  let h: QueueHarness;
  beforeEach(async () => {
    h = await queueHarness(backend.redis);
  });

  const partition = () => h.queue.partitionFor('u1');
  const active: Effect = { op: 'zmax', key: 'active', score: 20_000, members: ['u1'] };
  const counted: Effect = { op: 'hincrby', key: 'count', field: 'n', by: 1 };
  let sequence = 0;
  async function ack(effects: Effect[]): Promise<void> {
    sequence += 1;
    const id = `ev${sequence}`;
    await h.queue.enqueue([{ id, body: JSON.stringify({ event_id: id }), placementKey: 'u1' }]);
    const [claim] = await h.queue.claim('c', 1, 10_000);
    expect(await h.queue.ack('c', [{ claim: claim!, effects }])).toEqual(['acked']);
  }
  const count = (generation: number) =>
    backend.redis.hget(partition().keys.generationData(generation, 'count'), 'n').then(Number);
  const score = (generation: number) =>
    backend.redis.zscore(partition().keys.generationData(generation, 'active'), 'u1');

  it('writes both generations while one is built, backfills only the one being built, and switches', async () => {
    await ack([counted]);
    const cut = await partition().generationStep('begin', 1);
    expect(cut).toMatchObject({ live: 0, building: 1 });
    await ack([counted]);
    expect([await count(0), await count(1)]).toEqual([2, 1]);
    expect(await partition().backfill(1, [counted])).toBe(true);
    expect(await partition().backfill(2, [counted])).toBe(false);
    expect(await partition().generationStep('switch', 2)).toMatchObject({ live: 0, building: 1 });
    expect(await partition().generationStep('switch', 1)).toMatchObject({ live: 1, building: null });
    await ack([counted]);
    expect([await count(0), await count(1)]).toEqual([2, 3]);
    expect(await partition().backfill(1, [counted])).toBe(false);
  });

  it('redoes an ack prepared before a cut, so a member it remembered having set is set in the new generation too', async () => {
    await ack([active, counted]);
    await partition().generationStep('begin', 1);
    // The same user active the same day: the queue remembers it set that score, but only in generation 0.
    await ack([active, counted]);
    expect([await score(0), await score(1)]).toEqual(['20000', '20000']);
    expect(await count(1)).toBe(1);
  });

  it('stops writing a generation once its build is aborted', async () => {
    await partition().generationStep('begin', 1);
    await ack([counted]);
    expect(await partition().generationStep('abort', 1)).toMatchObject({ live: 0, building: null });
    await ack([counted]);
    expect([await count(0), await count(1)]).toEqual([2, 1]);
  });
});
