import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type { Redis } from 'ioredis';
import type { RedisClient } from '../../libs/queue/index.js';
import { queueKeys } from '../../libs/queue/index.js';
import { waitUntil } from '../../tools/wait.js';
import type { StartedConsumer } from './pipeline-processes.js';

// One atomic read: the in-flight events whose claim belongs to `owner` (the claim script stores the
// consumer id as `owner` on the event's record).
const heldByScript = `
local held = {}
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if redis.call('HGET', ARGV[1] .. 'ev:' .. id, 'owner') == ARGV[2] then held[#held + 1] = id end
end
return held`;

export async function leasesHeldBy(redis: RedisClient, prefix: string, consumerId: string): Promise<string[]> {
  const keys = queueKeys(prefix);
  return ((await redis.eval(heldByScript, 1, keys.inFlight, keys.base, consumerId)) as string[]).sort();
}

// The process state from /proc (Linux): 'T' once a SIGSTOP has taken effect. Elsewhere, assume it has.
function isStopped(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return true;
  const text = readFileSync(stat, 'utf8');
  return text.slice(text.lastIndexOf(')') + 2).startsWith('T');
}

// Bytes the process has not read yet on its TCP connections to `port` (Linux, from /proc): a reply waiting
// there means a command in flight. Undefined where /proc is not available.
function unreadBytesFrom(pid: number, port: number): number | undefined {
  if (!existsSync(`/proc/${pid}/fd`)) return undefined;
  const sockets = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
      if (inode) sockets.add(inode);
    } catch {
      // closed meanwhile
    }
  }
  let unread = 0;
  for (const table of ['tcp', 'tcp6']) {
    const path = `/proc/${pid}/net/${table}`;
    if (!existsSync(path)) continue;
    // sl local_address rem_address st tx_queue:rx_queue tr:when retrnsmt uid timeout inode ...
    for (const line of readFileSync(path, 'utf8').trim().split('\n').slice(1)) {
      const [, , remote = '', , queues = '', , , , , inode = ''] = line.trim().split(/\s+/);
      if (sockets.has(inode) && parseInt(remote.split(':')[1] ?? '', 16) === port)
        unread += parseInt(queues.split(':')[1] ?? '0', 16);
    }
  }
  return unread;
}

// Freezes the consumer (SIGSTOP) at a quiet moment while it holds leases, and returns the events it holds.
// - Checking first and then stopping would race with the consumer acking in between; so it is stopped
//   first and then checked.
// - A frozen consumer changes nothing any more, except through commands it had already written: the
//   check repeats (each read a separate round trip, so Redis has run whatever was queued before) until
//   three reads agree.
// - It must not be frozen with a Redis command in flight: on SIGCONT, Node runs timers before it reads
//   sockets, so the command's 750 ms timeout fires before the waiting reply is read; the consumer then
//   takes the claim or ack as failed and forgets its batch (it would never attempt a late ack). So once
//   Redis has answered everything, no reply may be waiting unread in the consumer's connection.
// Caught between batches or mid-command, it is resumed and caught again.
export async function freezeWhileHolding(
  redis: Redis,
  prefix: string,
  consumer: StartedConsumer,
  timeoutMs = 60_000,
): Promise<string[]> {
  const pid = consumer.child.pid!;
  const redisPort = redis.options.port ?? 6379;
  let held: string[] = [];
  const missed = { betweenBatches: 0, commandInFlight: 0 };
  await waitUntil(
    async () => {
      if ((await leasesHeldBy(redis, prefix, consumer.id)).length === 0) return false;
      consumer.child.kill('SIGSTOP');
      let inFlight = 0;
      try {
        await waitUntil(() => isStopped(pid), 10_000, `SIGSTOP to take effect on pid ${pid}`, { intervalMs: 5 });
        held = await leasesHeldBy(redis, prefix, consumer.id);
        for (let agreeing = 1; agreeing < 3;) {
          const again = await leasesHeldBy(redis, prefix, consumer.id);
          agreeing = again.join() === held.join() ? agreeing + 1 : 1;
          held = again;
        }
        inFlight = unreadBytesFrom(pid, redisPort) ?? 0;
      } catch (error) {
        consumer.child.kill('SIGCONT');
        throw error;
      }
      if (held.length > 0 && inFlight === 0) return true;
      if (held.length === 0) missed.betweenBatches += 1;
      else missed.commandInFlight += 1;
      consumer.child.kill('SIGCONT');
      return false;
    },
    timeoutMs,
    {
      what: `consumer ${consumer.id} frozen at a quiet moment while it holds leases`,
      state: () =>
        `caught ${missed.betweenBatches} time(s) between batches, ${missed.commandInFlight} time(s) mid-command; exit code ${consumer.child.exitCode}`,
    },
    { intervalMs: 5 },
  );
  return held;
}
