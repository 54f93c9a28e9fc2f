import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { execa, type ResultPromise } from 'execa';
import type { Logger } from '../../libs/logging/index.js';
import type { LineSink } from './line-sink.js';

/** One process the supervisor runs. */
export interface ChildSpec {
  /** Tag of its log lines, e.g. `consumer-1`. */
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  /** A Node.js child gets an IPC channel; it stops when the channel closes (see libs/runtime). */
  node?: boolean;
}

/** How the supervisor runs its children and where their lines and its own go. */
export interface SupervisorOptions {
  /** Where the children's output goes, line by line, tagged with the child's name. */
  sink: LineSink;
  /** The supervisor's own lines (started, restarting, giving up, stopped). */
  logger: Logger;
  /** Restart delay doubles from initialMs to maxMs; a child that ran resetAfterMs starts again at initialMs. */
  backoff?: { initialMs: number; maxMs: number; resetAfterMs: number };
  /** More than maxRestarts restarts of one child within windowMs is a crash loop: give up. */
  crashLoop?: { maxRestarts: number; windowMs: number };
  /** Grace period after SIGTERM before SIGKILL. */
  stopTimeoutMs?: number;
  onGiveUp: (name: string) => void;
  /** Told of every restart (the orchestrator counts them in Redis for the metrics). */
  onRestart?: (name: string) => void;
}

interface Running {
  spec: ChildSpec;
  process: ResultPromise | undefined;
  startedAt: number;
  consecutive: number;
  restarts: number[];
  timer: NodeJS.Timeout | undefined;
}

// On Linux every child gets the parent-death signal, so even a kill -9 of the orchestrator leaves no orphan.
const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path));

/**
 * Starts children, merges their output, restarts the ones that die with exponential backoff, gives up on a
 * crash loop, and stops them all gracefully (SIGTERM, then SIGKILL after a grace period).
 */
export class Supervisor {
  private readonly children: Running[] = [];
  private stopping = false;
  private readonly backoff: NonNullable<SupervisorOptions['backoff']>;
  private readonly crashLoop: NonNullable<SupervisorOptions['crashLoop']>;

  constructor(private readonly options: SupervisorOptions) {
    this.backoff = options.backoff ?? { initialMs: 500, maxMs: 30_000, resetAfterMs: 60_000 };
    this.crashLoop = options.crashLoop ?? { maxRestarts: 5, windowMs: 60_000 };
  }

  /** Starts a child now and keeps it running until stop() (or until it crash-loops). */
  start(spec: ChildSpec): void {
    const child: Running = { spec, process: undefined, startedAt: 0, consecutive: 0, restarts: [], timer: undefined };
    this.children.push(child);
    this.spawn(child);
  }

  /** Stops every child in reverse start order (apps before the Redis they use); no restarts after this. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const child of [...this.children].reverse()) {
      clearTimeout(child.timer);
      await this.stopOne(child);
    }
  }

  private spawn(child: Running): void {
    const { spec } = child;
    const [command, args] = setpriv
      ? [setpriv, ['--pdeathsig', 'SIGTERM', '--', spec.command, ...spec.args]]
      : [spec.command, spec.args];
    const subprocess = execa(command, args, {
      env: spec.env,
      stdin: 'ignore',
      buffer: false,
      reject: false,
      ipc: spec.node ?? false,
      serialization: 'json',
    });
    child.process = subprocess;
    child.startedAt = Date.now();
    this.options.logger.info(`Started ${spec.name} (pid ${subprocess.pid})`);
    for (const stream of [subprocess.stdout, subprocess.stderr]) {
      if (stream) createInterface({ input: stream }).on('line', (line) => this.options.sink.write(spec.name, line));
    }
    void subprocess.then((result) => this.exited(child, subprocess, result.exitCode, result.signal));
  }

  private exited(
    child: Running,
    subprocess: ResultPromise,
    code: number | undefined,
    signal: string | undefined,
  ): void {
    if (child.process !== subprocess || this.stopping) return;
    const now = Date.now();
    const how = signal ? `signal ${signal}` : `exit code ${code}`;
    if (now - child.startedAt >= this.backoff.resetAfterMs) child.consecutive = 0;
    child.restarts = [...child.restarts.filter((at) => now - at < this.crashLoop.windowMs), now];
    if (child.restarts.length > this.crashLoop.maxRestarts) {
      this.options.logger.error(
        `${child.spec.name} crashed ${child.restarts.length} times within ${this.crashLoop.windowMs / 1000} s (last: ${how}); giving up`,
      );
      this.options.onGiveUp(child.spec.name);
      return;
    }
    const delay = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** child.consecutive);
    child.consecutive += 1;
    this.options.logger.warn(
      `${child.spec.name} exited unexpectedly (${how}); restarting in ${delay} ms (restart ${child.restarts.length})`,
    );
    this.options.onRestart?.(child.spec.name);
    child.timer = setTimeout(() => {
      child.timer = undefined;
      if (!this.stopping) this.spawn(child);
    }, delay);
  }

  private async stopOne(child: Running): Promise<void> {
    const subprocess = child.process;
    if (!subprocess || subprocess.exitCode !== null || subprocess.signalCode !== null) return;
    const grace = this.options.stopTimeoutMs ?? 15_000;
    subprocess.kill('SIGTERM');
    const killer = setTimeout(() => {
      this.options.logger.warn(`${child.spec.name} did not stop within ${grace} ms; killing it`);
      subprocess.kill('SIGKILL');
    }, grace);
    const result = await subprocess;
    clearTimeout(killer);
    this.options.logger.info(
      `Stopped ${child.spec.name} (${result.signal ? `signal ${result.signal}` : `exit code ${result.exitCode}`})`,
    );
  }
}
