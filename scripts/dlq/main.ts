import { parseArgs } from 'node:util';
import { opsEndpoint } from '../../libs/config/index.js';
import { connectRedis, createQueue, describeRedis, type DeadLetterSelection } from '../../libs/queue/index.js';
import { loadConfigOrExit } from '../../libs/runtime/index.js';
import { opsDeadLetters, type DeadLetterOperations } from './ops-dead-letters.js';

const usage = `Usage:
  npm run dlq -- list [--limit N] [--offset N]     show dead-lettered events with their errors
  npm run dlq -- replay <event_id...> | --all      put them back in the queue (processed once)
  npm run dlq -- purge <event_id...> | --all       delete them for good`;

// npm run dlq: the dead-letter operations of the admin API, straight against Redis in Redis mode (no receiver
// needed), through the running pipeline's ops listener in in-memory mode (the dead letters live in its process).
async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      all: { type: 'boolean', default: false },
      limit: { type: 'string', default: '20' },
      offset: { type: 'string', default: '0' },
    },
  });
  const [command, ...ids] = positionals;
  if (
    !command ||
    !['list', 'replay', 'purge'].includes(command) ||
    (command !== 'list' && values.all === ids.length > 0)
  ) {
    console.error(usage);
    return 1;
  }
  const config = loadConfigOrExit();
  if (config.redis.useMock) {
    const ops = opsEndpoint(config);
    return run(command, ids, values, opsDeadLetters(ops), `the pipeline at ${ops.url}`);
  }
  const redis = await connectRedis(config.redis, { onError: () => undefined });
  try {
    const queue = createQueue(redis, config);
    // With another DAY15_PARTITIONS than the data's, it would look in partitions that hold nothing.
    await queue.verifyLayout();
    return await run(
      command,
      ids,
      values,
      queue.deadLetters,
      `${describeRedis(config.redis)} (prefix ${config.redis.keyPrefix})`,
    );
  } finally {
    redis.disconnect();
  }
}

async function run(
  command: string,
  ids: string[],
  values: { all: boolean; limit: string; offset: string },
  deadLetters: DeadLetterOperations,
  source: string,
): Promise<number> {
  if (command === 'list') {
    const [total, letters] = await Promise.all([
      deadLetters.count(),
      deadLetters.list({ offset: Number(values.offset), limit: Number(values.limit) }),
    ]);
    console.log(`${total} dead letter(s) in ${source}`);
    for (const letter of letters) {
      console.log(`${letter.id}  attempts=${letter.attempts}  dead_at=${letter.deadAt ?? '-'}  error=${letter.error}`);
    }
    return 0;
  }
  const selection: DeadLetterSelection = values.all ? 'all' : ids;
  const count = command === 'replay' ? await deadLetters.replay(selection) : await deadLetters.purge(selection);
  console.log(`${command === 'replay' ? 'Replayed' : 'Purged'} ${count} dead letter(s)`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`dlq failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
