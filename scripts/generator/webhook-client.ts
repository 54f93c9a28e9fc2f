import { randomBytes } from 'node:crypto';
import { decodeSecret, signPayload } from '../../libs/events/index.js';

export interface Reply {
  status: number;
  body: Record<string, unknown>;
  latencyMs: number;
}

/**
 * Posts to the receiver like a SaaS sender would, signing each request (Standard Webhooks) when secrets
 * are configured; the first secret signs.
 */
export class WebhookClient {
  private readonly key: Buffer | undefined;

  constructor(
    readonly baseUrl: string,
    secrets: readonly string[] = [],
  ) {
    this.key = secrets[0] === undefined ? undefined : decodeSecret(secrets[0]);
  }

  postEvent(event: unknown): Promise<Reply> {
    return this.post('/webhook/events', event);
  }

  postBatch(events: unknown[]): Promise<Reply> {
    return this.post('/webhook/batch', { events });
  }

  async get(path: string): Promise<Reply> {
    const started = performance.now();
    const res = await fetch(`${this.baseUrl}${path}`, { signal: AbortSignal.timeout(5000) });
    return {
      status: res.status,
      body: (await res.json()) as Record<string, unknown>,
      latencyMs: performance.now() - started,
    };
  }

  private async post(path: string, payload: unknown): Promise<Reply> {
    const body = JSON.stringify(payload);
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (this.key) {
      const id = `msg_${randomBytes(8).toString('hex')}`;
      const timestamp = String(Math.floor(Date.now() / 1000));
      Object.assign(headers, {
        'webhook-id': id,
        'webhook-timestamp': timestamp,
        'webhook-signature': `v1,${signPayload(this.key, id, timestamp, Buffer.from(body))}`,
      });
    }
    const started = performance.now();
    const res = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    return {
      status: res.status,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      latencyMs: performance.now() - started,
    };
  }
}
