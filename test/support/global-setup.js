import { startRedisServer, waitForPing } from '../../tools/redis-server.js';

// Real-Redis tests talk to a private redis-server: the one .ci/run started (REDIS_TEST_URL) or one started
// here on a free port, never the machine's shared 6379. A missing redis-server fails the run, never skips.
export default async function globalSetup() {
  const given = process.env.REDIS_TEST_URL;
  if (given) {
    await waitForPing(given);
    return;
  }
  const server = await startRedisServer();
  process.env.REDIS_TEST_URL = server.url;
  globalThis.day15RedisServer = server;
}
