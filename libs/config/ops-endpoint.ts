import { isIPv4, isIPv6 } from 'node:net';
import type { Day15Config } from './day15-config.js';

/**
 * Whether a bind address only takes connections from this machine: `localhost`, 127.0.0.0/8 or ::1. The ops
 * listener may run without credentials only there, because it serves revenue numbers and the admin API.
 */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (name === 'localhost') return true;
  if (isIPv6(name) && !name.startsWith('::ffff:')) return name === '::1' || name === '0:0:0:0:0:0:0:1';
  const v4 = name.startsWith('::ffff:') ? name.slice('::ffff:'.length) : name;
  return isIPv4(v4) && v4.startsWith('127.');
}

/** How a tool reaches the ops listener: its base URL and the headers that authenticate to it. */
export interface OpsEndpoint {
  url: string;
  /** `Authorization: Bearer <DAY15_OPS_TOKEN>`, or none when no credential is configured. */
  headers: Record<string, string>;
}

/** The ops listener as a tool on this machine reaches it (a wildcard bind address is reached on loopback). */
export function opsEndpoint(config: Pick<Day15Config, 'ops'>): OpsEndpoint {
  const { host, port, token } = config.ops;
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return {
    url: `http://${isIPv6(reachable) ? `[${reachable}]` : reachable}:${port}`,
    headers: token === undefined ? {} : { Authorization: `Bearer ${token}` },
  };
}
