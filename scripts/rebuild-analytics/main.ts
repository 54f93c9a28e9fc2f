import { parseArgs } from 'node:util';
import { effectsFor } from '../../libs/analytics/index.js';
import { assertArchiveDay, configuredArchiveStore } from '../../libs/archive/index.js';
import { connectRedis, createQueue } from '../../libs/queue/index.js';
import { loadConfigOrExit } from '../../libs/runtime/index.js';
import { abortRebuild, rebuildAnalytics } from './rebuild.js';

const usage = `Usage:
  npm run rebuild-analytics                      recompute the analytics from the whole archive, then switch to them
  npm run rebuild-analytics -- --from YYYY-MM-DD  only from the events processed on that UTC day and later
  npm run rebuild-analytics -- --abort            stop an unfinished rebuild (acks stop writing its generation)`;

// npm run rebuild-analytics: recomputes the analytics from the archive with the current rules while the
// pipeline runs (rebuild.ts says how it stays exactly once), straight against Redis.
async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { from: { type: 'string' }, abort: { type: 'boolean', default: false } },
  });
  if (positionals.length > 0 || (values.abort && values.from !== undefined)) {
    console.error(usage);
    return 2;
  }
  if (values.from !== undefined) assertArchiveDay(values.from, '--from');
  const config = loadConfigOrExit();
  if (config.redis.useMock) {
    console.error(
      'rebuild-analytics works on Redis: in the in-memory mode the analytics live inside the running pipeline ' +
        'process. Set DAY15_USE_MOCK_REDIS=false (README, "Event archive and rebuilds")',
    );
    return 1;
  }
  if (!config.archive.enabled && !values.abort) {
    console.error('The archive is off (DAY15_ARCHIVE_ENABLED=false): there is nothing to rebuild from');
    return 1;
  }
  const redis = await connectRedis(config.redis, { onError: () => undefined });
  const store = configuredArchiveStore(config.archive);
  try {
    const queue = createQueue(redis, config);
    const target = { redis, queue, prefix: config.redis.keyPrefix };
    if (values.abort) {
      const aborted = await abortRebuild(target);
      console.log(aborted === null ? 'No rebuild was running' : `Aborted the rebuild of generation ${aborted}`);
      return 0;
    }
    const result = await rebuildAnalytics(
      {
        ...target,
        store,
        effectsFor,
        baseCurrency: config.analytics.baseCurrency,
        report: (line) => console.log(line),
      },
      values.from === undefined ? {} : { from: values.from },
    );
    const rate = result.ms > 0 ? Math.round((result.replayed / result.ms) * 1000) : result.replayed;
    console.log(JSON.stringify({ ...result, events_per_second: rate }));
    return 0;
  } finally {
    await store.close();
    redis.disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`rebuild-analytics failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
