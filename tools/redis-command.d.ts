/**
 * Sends one command to the redis-server (or Sentinel) on a loopback port over a connection of its own,
 * closed afterwards; a node that is down fails the call at once.
 */
export function redisCommand(port: number, ...command: (string | number)[]): Promise<unknown>;
/** The fields of an INFO or CLUSTER INFO reply ("name:value" lines). */
export function infoFields(reply: unknown): Record<string, string>;
/**
 * Polls `check` until it resolves with done (a throw counts as "not yet"); on timeout the error names what was
 * awaited, the last state and the last error.
 */
export function waitForRedis(
  what: string,
  timeoutMs: number,
  check: () => Promise<{ done: boolean; state?: string }>,
): Promise<void>;
/** Waits until the server on `port` is a replica whose link to its primary is up (e.g. after a restart). */
export function waitForReplicaInSync(port: number, timeoutMs: number): Promise<void>;
