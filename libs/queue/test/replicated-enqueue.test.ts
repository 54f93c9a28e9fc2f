import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { startRedisServer, type RedisServer } from '../../../tools/redis-server.js';
import { waitUntil } from '../../../tools/wait.js';
import { testQueue } from '../../../test/support/backends.js';
import { ReplicationTimeoutError } from '../index.js';

// A private primary with one replica: enqueue with `replication` resolves only once WAIT saw the replica
// take the write, and refuses (ReplicationTimeoutError) when the replica cannot confirm in time.
describe('enqueue with replication (Redis WAIT) on a primary with one replica', () => {
  let primary: RedisServer;
  let replica: RedisServer;
  let redis: Redis;
  beforeAll(async () => {
    primary = await startRedisServer();
    replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(primary.port)] });
    redis = new Redis(primary.url);
    await waitUntil(
      async () => /slave0:.*state=online/.test(await redis.info('replication')),
      30_000,
      async () => redis.info('replication'),
    );
  }, 60_000);
  afterAll(async () => {
    redis?.disconnect();
    await replica?.stop();
    await primary?.stop();
  });

  it('resolves once the replica has the event, which is then readable on the replica', async () => {
    const queue = testQueue(redis, { replication: { replicas: 1, timeoutMs: 2000 } });
    expect(await queue.enqueue([{ id: 'r1', body: '{}' }])).toEqual(['accepted']);
    const onReplica = new Redis(replica.url);
    try {
      expect(await onReplica.lrange(queue.home.keys.ready, 0, -1)).toEqual(['r1']);
    } finally {
      onReplica.disconnect();
    }
  });

  it('refuses with ReplicationTimeoutError while the replica cannot confirm, and takes the retry once it can', async () => {
    const queue = testQueue(redis, { replication: { replicas: 1, timeoutMs: 200 } });
    replica.process.kill('SIGSTOP');
    try {
      const refused = queue.enqueue([{ id: 'r2', body: '{}' }]);
      await expect(refused).rejects.toThrow(ReplicationTimeoutError);
      await expect(refused).rejects.toThrow('0 of 1 replica(s) confirmed the enqueue within 200 ms');
    } finally {
      replica.process.kill('SIGCONT');
    }
    // The sender's retry: a duplicate of the event the primary kept, confirmed once the replica catches up.
    expect(await queue.enqueue([{ id: 'r2', body: '{}' }])).toEqual(['duplicate']);
  });

  it('asks for no confirmation without replication settings, even with the replica stopped', async () => {
    const queue = testQueue(redis);
    replica.process.kill('SIGSTOP');
    try {
      expect(await queue.enqueue([{ id: 'r3', body: '{}' }])).toEqual(['accepted']);
    } finally {
      replica.process.kill('SIGCONT');
    }
  });
});
