import type { ChildProcess } from 'node:child_process';

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** Data directory (append-only file, dumps). */
  readonly dir: string;
  readonly process: ChildProcess;
  /** Kills the server (SIGKILL) and removes its temporary data directory unless keepData. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

export interface StartRedisServerOptions {
  /** Fixed port (e.g. to restart on the same one); a free port by default. */
  port?: number;
  /** Data directory to reuse; a fresh temporary one by default. */
  dir?: string;
  /** `dir` is this server's own (a restart of a server whose temporary dir it was): stop() removes it. */
  ownsDir?: boolean;
  /** Extra redis-server arguments, e.g. ['--appendonly', 'yes']. */
  args?: string[];
  /** Config file, passed first (e.g. a Sentinel's, which it rewrites); the options above override it. */
  configFile?: string;
}

/**
 * Starts a private redis-server from PATH; fails loudly when redis-server is missing. Resolves once the
 * server answers PING and reports the spawned child's pid. Without `port`, a port taken before the server
 * could bind it is replaced by another free port; a given `port` is retried for a few seconds.
 */
export function startRedisServer(options?: StartRedisServerOptions): Promise<RedisServer>;
export function waitForPing(url: string, timeoutMs?: number): Promise<void>;
