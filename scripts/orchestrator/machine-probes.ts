import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import type { RedisProbes } from './redis-choice.js';

/** The answers chooseRedis needs, from this machine. */
export const machineProbes: RedisProbes = {
  // Found the way the supervisor will start it: through PATH.
  redisServerOnPath: () => spawnSync('redis-server', ['--version']).error === undefined,
  // Binding is the test redis-server would face: any listener on the port (127.0.0.1 or all interfaces) fails it.
  localPortFree: (port) =>
    new Promise((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
    }),
};
