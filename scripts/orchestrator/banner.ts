import { opsEndpoint, type Day15Config } from '../../libs/config/index.js';
import { describeRedis } from '../../libs/queue/index.js';

const rule = '='.repeat(80);

/**
 * The start-up banner of the original spec, plus what this version adds (mode and `why`, what chose it and how
 * to get another; log file), one line per entry.
 */
export function banner(config: Day15Config, why: string): string[] {
  const base = `http://localhost:${config.webhook.port}`;
  const ops = opsEndpoint(config).url;
  const opsAccess =
    config.ops.token === undefined
      ? 'no credentials, this machine only'
      : 'credential DAY15_OPS_TOKEN (Bearer or Basic)';
  const partitions = config.redis.partitions > 1 ? `, queue in ${config.redis.partitions} partitions` : '';
  const mode = config.redis.useMock
    ? 'in-memory (ioredis-mock): receiver and consumer run together in one process; events are lost when it stops'
    : `Redis at ${describeRedis(config.redis)}${config.redis.embedded === true ? ` (embedded redis-server, append-only, data/redis/port-${config.redis.port}/)` : ''}, ${config.processing.consumerCount} consumer(s)${partitions}`;
  return [
    rule,
    'Day 15 - Real-Time Analytics Orchestrator',
    rule,
    `Mode: ${mode}`,
    `Why this mode: ${why}`,
    `Webhook endpoint: ${base}/webhook/events`,
    `Health check: ${base}/health    Probes: ${base}/livez ${base}/readyz`,
    `Ops listener (${opsAccess}): dashboard ${ops}/dashboard`,
    `Metrics API: ${ops}/api/metrics    Prometheus: ${ops}/metrics    Admin: ${ops}/admin/dead-letters`,
    `Log file: ${config.log.file}`,
    'Send events: npm run generate    Stop: Ctrl+C',
    rule,
  ];
}
