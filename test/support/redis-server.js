// Plain JavaScript (typed by redis-server.d.ts) because jest loads its global setup with Node's own
// module loader, outside the TypeScript transform; tests import the same helper.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

export async function startRedisServer({ port, dir, args = [] } = {}) {
  const serverPort = port ?? (await freePort());
  const dataDir = dir ?? mkdtempSync(join(tmpdir(), 'day15-redis-'));
  const child = spawn(
    'redis-server',
    ['--port', String(serverPort), '--bind', '127.0.0.1', '--dir', dataDir, '--save', '', '--appendonly', 'no', ...args],
    { stdio: 'ignore' },
  );
  const spawnFailed = new Promise((_, reject) =>
    child.once('error', (error) =>
      reject(new Error(`Cannot start redis-server (install it: apt-get install -y redis-server): ${error.message}`)),
    ),
  );
  const url = `redis://127.0.0.1:${serverPort}`;
  await Promise.race([waitForPing(url), spawnFailed]);
  return {
    port: serverPort,
    url,
    dir: dataDir,
    process: child,
    async stop({ keepData = false } = {}) {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      }
      if (!keepData && dir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function waitForPing(url, timeoutMs = 10_000) {
  const { hostname, port } = new URL(url);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await pingOnce(hostname, Number(port || 6379))) return;
    if (Date.now() > deadline) throw new Error(`Redis at ${url} did not answer PING within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// One raw PING over TCP: no client library, so nothing (timers, reconnects) outlives the probe.
function pingOnce(host, port) {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (answer) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}
