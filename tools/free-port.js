// Plain JavaScript (typed by free-port.d.ts): redis-server.js uses it, and jest loads that one in its
// global setup with Node's own module loader, outside the TypeScript transform.
import { createServer } from 'node:net';

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port')),
      );
    });
  });
}
