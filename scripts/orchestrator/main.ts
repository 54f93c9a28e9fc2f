import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { recordRestart } from '../../libs/analytics/index.js';
import { loadConfig } from '../../libs/config/index.js';
import { createLogger } from '../../libs/logging/index.js';
import {
  createQueue,
  PartitionLayoutError,
  describeRedis,
  openRedis,
  type RedisClient,
  redisUnreachableHint,
  type PartitionedQueue,
} from '../../libs/queue/index.js';
import { loadConfigOrExit } from '../../libs/runtime/index.js';
import { banner } from './banner.js';
import { appSpecs, embeddedRedisSpec } from './child-specs.js';
import { createLineSink } from './line-sink.js';
import { machineProbes } from './machine-probes.js';
import { chooseRedis, choiceEnv } from './redis-choice.js';
import { Supervisor } from './supervisor.js';

// npm run orchestrate: validate, choose the Redis, start (embedded Redis,) receiver and consumers, supervise,
// merge logs.
async function main(): Promise<void> {
  const configured = loadConfigOrExit();
  const sink = createLineSink({ file: configured.log.file });
  // Its own lines in the children's format, merged into the same log. Always at least info: the banner,
  // starts, restarts and stops show whatever DAY15_LOG_LEVEL says for the apps.
  const logger = createLogger({
    level: configured.log.level === 'debug' ? 'debug' : 'info',
    format: configured.log.format,
    component: 'orchestrator',
    writeLine: (line) => sink.write('orchestrator', line),
  });
  const fail = async (message: string, hint: string): Promise<never> => {
    logger.error(message);
    logger.info(`Hint: ${hint}`);
    await supervisor.stop();
    await sink.close();
    process.exit(1);
  };
  let redis: RedisClient | undefined;
  let stopping = false;
  let queue: PartitionedQueue | undefined;
  const supervisor = new Supervisor({
    sink,
    logger,
    onGiveUp: (name) => void fail(`${name} keeps crashing`, `see the [${name}] lines above in ${configured.log.file}`),
    // Restarts show in /metrics (day15_process_restarts_total) and the dashboard; a restart that cannot be
    // counted while Redis is away is not worth failing the supervisor for.
    onRestart: (name) => void (queue && recordRestart(queue, name).catch(() => undefined)),
  });

  const choice = await chooseRedis(configured.redis, machineProbes);
  if (choice.kind === 'refused') return fail(choice.problem, choice.hint);
  const childEnv = choiceEnv(choice.kind);
  // The children load the config from the same sources plus childEnv; loading it so here too makes the banner
  // and what is started describe what they run. It cannot fail: childEnv only spells out what was validated.
  const config = loadConfig({ overrides: childEnv });

  if (choice.kind === 'embedded') {
    // One folder per port, so servers on different ports never share (or overwrite) an append-only file.
    const dir = resolve('data/redis', `port-${config.redis.port}`);
    mkdirSync(dir, { recursive: true });
    supervisor.start(embeddedRedisSpec(config, dir));
  }
  if (!config.redis.useMock) {
    // An external Redis may come up after us: start the children anyway (receiver 503s, consumers wait), warn
    // every 5 s until Redis answers, and carry on without a restart once it does.
    const opened = openRedis(config.redis, { onError: () => undefined, onWaiting: (message) => logger.warn(message) });
    redis = opened.redis;
    queue = createQueue(redis, config);
    if (choice.kind === 'embedded') {
      // The embedded server is ours and starts within seconds: not answering within 10 s is a failure.
      const answered = await Promise.race([opened.ready.then(() => true), delay(10_000).then(() => false)]);
      if (!answered)
        await fail(`Redis at ${describeRedis(config.redis)} is unreachable`, redisUnreachableHint(config.redis));
    } else {
      void opened.ready.then(() => {
        if (!stopping) logger.info(`Redis at ${describeRedis(config.redis)} is reachable`);
      });
    }
    // Said once here, rather than by every child crashing on it until the crash-loop limit.
    const layoutChecked = queue;
    void opened.ready
      .then(() => layoutChecked.verifyLayout())
      .catch(async (error: unknown) => {
        if (error instanceof PartitionLayoutError && !stopping)
          await fail(error.message, 'docs/scaling.md, "Changing the number of partitions"');
      });
  }

  for (const line of banner(config, choice.why)) logger.info(line);
  for (const spec of appSpecs(config, childEnv)) supervisor.start(spec);

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`Received ${signal}; stopping children`);
    redis?.disconnect();
    await supervisor.stop();
    logger.info('All processes stopped');
    await sink.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

const delay = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms).unref());

void main();
