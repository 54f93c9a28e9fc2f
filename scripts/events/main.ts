import { opsEndpoint, type Day15Config } from '../../libs/config/index.js';
import { connectRedis, createQueue, type EventStatus } from '../../libs/queue/index.js';
import { loadConfigOrExit } from '../../libs/runtime/index.js';
import { opsEventStatus } from './ops-event-status.js';

const usage = `Usage:
  npm run events -- <event_id>     where the event is and since when (JSON, as GET /admin/events/<event_id>)`;

// npm run events: an event's status, straight from Redis in Redis mode (no receiver needed), through the running
// pipeline's ops listener in in-memory mode (the queue lives in its process).
async function main(): Promise<number> {
  const [id, ...rest] = process.argv.slice(2);
  if (!id || rest.length > 0 || id.startsWith('-')) {
    console.error(usage);
    return 1;
  }
  const config = loadConfigOrExit();
  console.log(JSON.stringify(await statusOf(id, config), null, 2));
  return 0;
}

async function statusOf(id: string, config: Day15Config): Promise<EventStatus> {
  if (config.redis.useMock) return opsEventStatus(opsEndpoint(config), id);
  const redis = await connectRedis(config.redis, { onError: () => undefined });
  try {
    const queue = createQueue(redis, config);
    // With another DAY15_PARTITIONS than the data's, it would look in partitions that hold nothing.
    await queue.verifyLayout();
    return await queue.eventStatus(id);
  } finally {
    redis.disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`events failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
