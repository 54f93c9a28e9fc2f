import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A listening receiver server: where it is, and how to stop it gracefully. */
export interface RunningServer {
  readonly url: string;
  readonly port: number;
  /** Stops accepting, lets in-flight requests finish (bounded), then closes every connection. */
  close(): Promise<void>;
}

/** Where to listen, and how long a graceful close may wait for in-flight requests. */
export interface ListenOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** How long in-flight requests may take to finish on close. */
  drainTimeoutMs?: number;
}

// Slow senders may not hold a connection open forever (slow-loris): whole request in 15 s, headers in 10 s.
const requestTimeoutMs = 15_000;
const headersTimeoutMs = 10_000;

/** Serves `listener` over HTTP with slow-loris timeouts; resolves once listening, with a graceful close. */
export async function startServer(
  listener: RequestListener,
  { host, port, drainTimeoutMs = 5000 }: ListenOptions,
): Promise<RunningServer> {
  // Node checks these timeouts every connectionsCheckingInterval (30 s by default); every second cuts a
  // slow-loris client off close to its deadline.
  const server: Server = createServer(
    { requestTimeout: requestTimeoutMs, headersTimeout: headersTimeoutMs, connectionsCheckingInterval: 1000 },
    listener,
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  let draining = false;
  // Once closing, every response tells its client to hang up, so busy keep-alive connections drain too.
  server.on('request', (_req, res) => {
    if (draining) res.setHeader('Connection', 'close');
  });
  const bound = (server.address() as AddressInfo).port;
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${bound}`,
    port: bound,
    close: () => {
      draining = true;
      closing ??= new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), drainTimeoutMs);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
