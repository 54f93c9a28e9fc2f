import { parseArgs } from 'node:util';
import { configuredArchiveStore } from '../../libs/archive/index.js';
import { configSchema } from '../../libs/config/index.js';
import { connectRedis, describeRedis } from '../../libs/queue/index.js';
import { loadConfigOrExit } from '../../libs/runtime/index.js';
import { describeResult, describeStep } from './describe-repartition.js';
import { repartition } from './repartition.js';

const { minimum, maximum } = configSchema.properties.DAY15_PARTITIONS;
const usage = `Usage: npm run repartition -- --to N   (N: the new DAY15_PARTITIONS, ${minimum} to ${maximum})`;

// npm run repartition: moves the drained queue's data to another number of partitions (docs/scaling.md,
// "Changing the number of partitions"). Exit 0 when done or nothing to do, 1 when refused or failed.
async function main(): Promise<number> {
  const to = Number(parseArgs({ options: { to: { type: 'string' } } }).values.to);
  if (!Number.isInteger(to) || to < minimum || to > maximum) {
    console.error(usage);
    return 1;
  }
  const config = loadConfigOrExit();
  if (config.redis.useMock) {
    console.error('In-memory mode keeps no data between runs: start the pipeline with the new DAY15_PARTITIONS');
    return 1;
  }
  // Generous timeout: a pipeline carries hundreds of keys, and nothing here must answer within a second.
  const redis = await connectRedis(config.redis, { onError: () => undefined, commandTimeoutMs: 30_000 });
  // Where the outbox is written out before the copy; with the archive off, outbox entries refuse the move.
  const archive = config.archive.enabled ? configuredArchiveStore(config.archive) : undefined;
  try {
    console.log(`Repartitioning the queue in ${describeRedis(config.redis)} to ${to} partition(s)`);
    const result = await repartition(redis, {
      prefix: config.redis.keyPrefix,
      to,
      archive,
      onStep: (step) => console.log(describeStep(step)),
    });
    for (const line of describeResult(result)) console.log(line);
    return result.outcome === 'refused' ? 1 : 0;
  } finally {
    redis.disconnect();
    await archive?.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`repartition failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
