import { fileURLToPath } from 'node:url';
import type { Day15Config } from '../../libs/config/index.js';
import type { ChildSpec } from './supervisor.js';

// Run from source (tsx, development) the orchestrator starts the apps' .ts entry points through tsx; run
// compiled (npm start, from dist/) it starts their compiled .js twins, so production needs no devDependency.
const runningCompiled = import.meta.url.endsWith('.js');

const nodeApp = (name: string, app: string, env: Record<string, string>): ChildSpec => {
  const entry = fileURLToPath(new URL(`../../apps/${app}/main.${runningCompiled ? 'js' : 'ts'}`, import.meta.url));
  return {
    name,
    command: process.execPath,
    args: runningCompiled ? [entry] : ['--import', 'tsx', entry],
    env,
    node: true,
  };
};

/**
 * What the orchestrator runs: the one combined process (apps/pipeline) in memory mode (ioredis-mock cannot
 * be shared between processes), else the receiver and DAY15_CONSUMER_COUNT consumers as separate processes.
 */
export function appSpecs(config: Day15Config, env: Record<string, string>): ChildSpec[] {
  if (config.redis.useMock) return [nodeApp('pipeline', 'pipeline', env)];
  // Each consumer's probe listener gets its own port, consecutive from DAY15_CONSUMER_HEALTH_PORT.
  const { healthPort } = config.processing;
  const consumers = Array.from({ length: config.processing.consumerCount }, (_, i) =>
    nodeApp(
      `consumer-${i + 1}`,
      'consumer',
      healthPort > 0 ? { ...env, DAY15_CONSUMER_HEALTH_PORT: String(healthPort + i) } : env,
    ),
  );
  return [nodeApp('receiver', 'receiver', env), ...consumers];
}

/** A private redis-server that keeps every acknowledged write: append-only file fsynced on every write. */
export function embeddedRedisSpec(config: Day15Config, dir: string): ChildSpec {
  return {
    name: 'redis',
    command: 'redis-server',
    args: [
      '--bind',
      '127.0.0.1',
      '--port',
      String(config.redis.port),
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--save',
      '',
      '--maxmemory-policy',
      'noeviction',
    ],
  };
}
