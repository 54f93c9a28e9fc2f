import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAppProcess, type AppProcess } from '../../tools/app-process.js';
import { startRedisServer, type RedisServer } from '../../tools/redis-server.js';
import { sleep, waitUntil, within } from '../../tools/wait.js';

// How long a process may take to start (node + tsx compiling TypeScript) on a loaded 2-core CI machine.
export const startupTimeoutMs = 60_000;

// The pipeline's real processes in Redis mode against a given Redis (its URL, or the DAY15_REDIS_* variables of
// a cluster or Sentinel setup) and key prefix.
export function pipelineEnv(
  redis: string | Record<string, string>,
  prefix: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    DAY15_USE_MOCK_REDIS: 'false',
    ...(typeof redis === 'string' ? { DAY15_REDIS_URL: redis } : redis),
    DAY15_KEY_PREFIX: prefix,
    DAY15_LEASE_SECONDS: '1',
    DAY15_RETRY_DELAY_SECONDS: '0.05',
    ...extra,
  };
}

// The receiver prints the address it really bound: `Receiver listening on http://<host>:<port>`.
const listeningLine = /Receiver listening on https?:\/\/\S+:(\d+)/;

export interface StartedReceiver {
  receiver: AppProcess;
  url: string;
  port: number;
}

// Starts a receiver on port 0 (the OS picks a free port as it binds, so no other process can take it in
// between, as it could after a "find a free port" probe) and reads the bound port from its log line.
export async function startReceiver(env: Record<string, string>): Promise<StartedReceiver> {
  const receiver = startAppProcess('apps/receiver/main.ts', { ...env, DAY15_WEBHOOK_PORT: '0' });
  const [, port] = await receiver.waitForLine(listeningLine, startupTimeoutMs);
  return { receiver, url: `http://127.0.0.1:${port}`, port: Number(port) };
}

// Starts a replacement receiver on a given port, as a supervisor restarts a crashed one (its senders keep
// their URL). The port was just freed by the killed receiver; should anything have taken it meanwhile
// (an outgoing connection's ephemeral port, say), the start fails with EADDRINUSE and is tried again.
export async function restartReceiverOn(env: Record<string, string>, port: number): Promise<StartedReceiver> {
  const deadline = Date.now() + startupTimeoutMs * 2;
  for (let attempt = 1; ; attempt += 1) {
    const receiver = startAppProcess('apps/receiver/main.ts', { ...env, DAY15_WEBHOOK_PORT: String(port) });
    try {
      await receiver.waitForLine(listeningLine, startupTimeoutMs);
      return { receiver, url: `http://127.0.0.1:${port}`, port };
    } catch (error) {
      receiver.child.kill('SIGKILL');
      const portTaken = receiver.lines.some((line) => line.includes('EADDRINUSE'));
      if (!portTaken || Date.now() > deadline) {
        throw new Error(
          `A replacement receiver did not start on port ${port} (attempt ${attempt}${portTaken ? ', port still in use' : ''})`,
          { cause: error },
        );
      }
      await sleep(200);
    }
  }
}

export interface StartedConsumer extends AppProcess {
  /** The consumer id it claims with (stored as `owner` on the events it holds). */
  readonly id: string;
}

export async function startConsumer(env: Record<string, string>): Promise<StartedConsumer> {
  const consumer = startAppProcess('apps/consumer/main.ts', env);
  const [, id] = await consumer.waitForLine(/Consumer started consumer_id=(\S+)/, startupTimeoutMs);
  return Object.assign(consumer, { id: id! });
}

// `npm run orchestrate` as a real process with its own log file. Its receiver listens on port 0 and the
// bound port is read from the receiver's log line (see startReceiver). A receiver restarted by the
// orchestrator would bind another port; the scenarios here assert that no restart happens.
export async function startOrchestrated(env: Record<string, string>) {
  const logFile = join(mkdtempSync(join(tmpdir(), 'day15-chaos-')), 'pipeline.log');
  const orchestrator = startAppProcess('scripts/orchestrator/main.ts', {
    ...env,
    DAY15_WEBHOOK_PORT: '0',
    DAY15_LOG_FILE: logFile,
  });
  const [, port] = await orchestrator.waitForLine(
    new RegExp(`\\[receiver\\] .*${listeningLine.source}`),
    startupTimeoutMs,
  );
  return { orchestrator, url: `http://127.0.0.1:${port}`, logFile, log: () => readFileSync(logFile, 'utf8') };
}

// Stops the orchestrator gracefully and returns its exit code once it has exited: by then it has closed
// its log file, so the log read afterwards is complete.
export async function stopOrchestrator(orchestrator: AppProcess): Promise<number | string> {
  orchestrator.child.kill('SIGTERM');
  return within(orchestrator.exited, 90_000, 'the orchestrator to stop its children and exit after SIGTERM');
}

// Restarts a killed redis-server on its port and data directory (its append-only file). If the port is
// not free yet, redis-server cannot bind and exits; the start is tried again.
export async function restartRedisServer(server: RedisServer, args: string[]): Promise<RedisServer> {
  let restarted: RedisServer | undefined;
  const failures: string[] = [];
  await waitUntil(
    async () => {
      try {
        restarted = await startRedisServer({ port: server.port, dir: server.dir, args });
        return true;
      } catch (error) {
        failures.push((error as Error).message);
        return false;
      }
    },
    60_000,
    {
      what: `redis-server back on port ${server.port} from ${server.dir}`,
      state: () => failures.join('; ') || 'no attempt failed',
    },
    { intervalMs: 200 },
  );
  return restarted!;
}
