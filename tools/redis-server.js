// Plain JavaScript (typed by redis-server.d.ts) because jest loads its global setup
// (test/support/global-setup.js) with Node's own module loader, outside the TypeScript transform; tests,
// the chaos suite and the benchmark import the same helper.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

// How long a starting redis-server may take to answer (generous: a loaded machine, an append-only file to load).
const startTimeoutMs = 30_000;
// Free ports found for a server that then could not bind them, before giving up.
const portAttempts = 5;
// A port asked for explicitly (a restart on the same port) that is briefly held by someone else, e.g. an
// outgoing connection that drew it as its local port: tried again for a few seconds before giving up.
const fixedPortRetries = 10;
const fixedPortRetryDelayMs = 500;

// A port from freePort() is only free until someone else binds it: other processes (the chaos suite, every
// outgoing TCP connection on this machine) draw from the same ephemeral range. So when no port was asked
// for and the server cannot bind the one found, start again on another; a port asked for is tried again
// for a few seconds. A server only counts as started once it answers PING and reports our child's pid,
// never when some other redis-server answers on its port.
export async function startRedisServer({ port, dir, ownsDir = false, args = [], configFile } = {}) {
  const dataDir = dir ?? mkdtempSync(join(tmpdir(), 'day15-redis-'));
  const failures = [];
  for (let attempt = 1; attempt <= (port === undefined ? portAttempts : fixedPortRetries); attempt += 1) {
    const serverPort = port ?? (await freePort());
    const launched = await launch(serverPort, dataDir, args, configFile).catch((error) => {
      if (dir === undefined) rmSync(dataDir, { recursive: true, force: true });
      throw error;
    });
    if (launched.child) return serverHandle(launched.child, serverPort, dataDir, ownsDir || dir === undefined);
    failures.push(`port ${serverPort}: ${launched.failure}`);
    if (!launched.portTaken) break;
    if (port !== undefined) await new Promise((resolve) => setTimeout(resolve, fixedPortRetryDelayMs));
  }
  if (dir === undefined) rmSync(dataDir, { recursive: true, force: true });
  throw new Error(`Cannot start redis-server${port === undefined ? '' : ` on port ${port}`}: ${failures.join('; ')}`);
}

function serverHandle(child, port, dataDir, removeDirOnStop) {
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir: dataDir,
    process: child,
    async stop({ keepData = false } = {}) {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      }
      if (!keepData && removeDirOnStop) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// Starts one redis-server and resolves with it once it answers, or with why it did not. A config file must
// be redis-server's first argument (Sentinel refuses to start without one: it saves its state there).
async function launch(port, dataDir, args, configFile) {
  const child = spawn(
    'redis-server',
    [
      ...(configFile === undefined ? [] : [configFile]),
      ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dataDir, '--save', '', '--appendonly', 'no'],
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // Keeps reading the server's output for as long as it runs (a full pipe would block it); the tail explains failures.
  let output = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (text) => {
      output = (output + text).slice(-4000);
    });
  }
  let settled = false;
  const spawnFailed = new Promise((_, reject) =>
    child.once('error', (error) =>
      reject(new Error(`Cannot start redis-server (install it: apt-get install -y redis-server): ${error.message}`)),
    ),
  );
  // 'close' (not 'exit'): by then its last output, e.g. "Address already in use", has been read.
  const closed = new Promise((resolve) =>
    child.once('close', (code, signal) =>
      resolve({
        failure: `redis-server exited (${code ?? signal}) before answering: ${output.trim().split('\n').slice(-3).join(' | ')}`,
        portTaken: /address already in use/i.test(output),
      }),
    ),
  );
  const answered = (async () => {
    const deadline = Date.now() + startTimeoutMs;
    while (!settled) {
      const { pong, pid } = await probe('127.0.0.1', port);
      if (pid !== undefined && pid !== child.pid) {
        return { failure: `another redis-server (pid ${pid}) already answers on this port`, portTaken: true };
      }
      if (pong && pid === child.pid) return { child };
      if (Date.now() > deadline)
        return {
          failure: `redis-server did not answer PING within ${startTimeoutMs} ms: ${output.trim()}`,
          portTaken: false,
        };
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return { failure: 'gave up', portTaken: false };
  })();
  try {
    const outcome = await Promise.race([answered, closed, spawnFailed]);
    if (!outcome.child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    return outcome;
  } finally {
    settled = true;
  }
}

export async function waitForPing(url, timeoutMs = 10_000) {
  const { hostname, port } = new URL(url);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await probe(hostname, Number(port || 6379))).pong) return;
    if (Date.now() > deadline) throw new Error(`Redis at ${url} did not answer PING within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// One raw PING and INFO over TCP: no client library, so nothing (timers, reconnects) outlives the probe.
// pong: the server is ready for commands (not refusing, not still loading its data); pid: who answered.
function probe(host, port) {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let reply = '';
    const done = () => {
      socket.destroy();
      const pid = /\r\nprocess_id:(\d+)\r\n/.exec(reply)?.[1];
      resolve({ pong: reply.startsWith('+PONG\r\n'), pid: pid === undefined ? undefined : Number(pid) });
    };
    socket.setTimeout(1000, done);
    socket.once('error', done);
    socket.once('close', done);
    socket.once('connect', () => socket.write('PING\r\nINFO server\r\n'));
    socket.setEncoding('latin1');
    socket.on('data', (data) => {
      reply += data;
      if (
        /\r\nprocess_id:\d+\r\n/.test(reply) ||
        (!reply.startsWith('+') && !reply.startsWith('-') && reply.length > 0)
      )
        done();
    });
  });
}
