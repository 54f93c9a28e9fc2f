import { parseArgs } from 'node:util';
import { connectRedis, createQueue, describeRedis, type DeadLetterSelection } from '../../libs/queue/index.js';
import { loadConfigOrExit } from '../../libs/runtime/index.js';

const usage = `Usage:
  npm run dlq -- list [--limit N] [--offset N]     show dead-lettered events with their errors
  npm run dlq -- replay <event_id...> | --all      put them back in the queue (processed once)
  npm run dlq -- purge <event_id...> | --all       delete them for good`;

// npm run dlq: the dead-letter operations of the admin API, straight against Redis (Redis mode).
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
    console.error(
      'In-memory mode keeps dead letters inside the running pipeline process; use the admin API there\n' +
        '(DAY15_ADMIN_TOKEN, GET/POST/DELETE /admin/dead-letters), or run with DAY15_USE_MOCK_REDIS=false.',
    );
    return 1;
  }
  const redis = await connectRedis(config.redis, { onError: () => undefined });
  try {
    const queue = createQueue(redis, config);
    if (command === 'list') {
      const [total, letters] = await Promise.all([
        queue.deadLetters.count(),
        queue.deadLetters.list({ offset: Number(values.offset), limit: Number(values.limit) }),
      ]);
      console.log(`${total} dead letter(s) in ${describeRedis(config.redis)} (prefix ${config.redis.keyPrefix})`);
      for (const letter of letters) {
        console.log(
          `${letter.id}  attempts=${letter.attempts}  dead_at=${letter.deadAt ?? '-'}  error=${letter.error}`,
        );
      }
      return 0;
    }
    const selection: DeadLetterSelection = values.all ? 'all' : ids;
    const count =
      command === 'replay' ? await queue.deadLetters.replay(selection) : await queue.deadLetters.purge(selection);
    console.log(`${command === 'replay' ? 'Replayed' : 'Purged'} ${count} dead letter(s)`);
    return 0;
  } finally {
    redis.disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`dlq failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
