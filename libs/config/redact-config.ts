import type { Day15Config } from './day15-config.js';

/** The config as it may be logged at start-up: secrets, tokens and passwords (also inside a Redis URL) replaced by "***". */
export function redactConfig(config: Day15Config): Day15Config {
  return {
    ...config,
    webhook: {
      ...config.webhook,
      secrets: config.webhook.secrets.map(() => '***'),
    },
    ops: { ...config.ops, token: config.ops.token && '***' },
    redis: {
      ...config.redis,
      password: config.redis.password === '' ? '' : '***',
      url: config.redis.url?.replace(/\/\/([^@/]*)@/, (_match, auth: string) => {
        const user = auth.includes(':') ? auth.slice(0, auth.indexOf(':')) : '';
        return `//${user}:***@`;
      }),
    },
  };
}
