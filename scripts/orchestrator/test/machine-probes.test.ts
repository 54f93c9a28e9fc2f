import { createServer, type Server } from 'node:net';
import { describe, expect, it } from '@jest/globals';
import { freePort } from '../../../tools/free-port.js';
import { machineProbes } from '../machine-probes.js';

const listening = (port: number, host: string): Promise<Server> =>
  new Promise((resolve) => {
    const server = createServer();
    server.listen(port, host, () => resolve(server));
  });
const closed = (server: Server): Promise<void> => new Promise((resolve) => server.close(() => resolve()));

describe('machineProbes', () => {
  it('finds redis-server on PATH (npm test needs it anyway)', () => {
    expect(machineProbes.redisServerOnPath()).toBe(true);
  });

  it('calls a loopback port free until something listens on it, on loopback or on every interface', async () => {
    const port = await freePort();
    expect(await machineProbes.localPortFree(port)).toBe(true);
    for (const host of ['127.0.0.1', '0.0.0.0']) {
      const server = await listening(port, host);
      try {
        expect(await machineProbes.localPortFree(port)).toBe(false);
      } finally {
        await closed(server);
      }
    }
    expect(await machineProbes.localPortFree(port)).toBe(true);
  });
});
