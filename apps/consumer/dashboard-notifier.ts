import type { Logger } from '../../libs/logging/index.js';

export interface BatchSummary {
  consumer_id: string;
  processed_at: string;
  events: number;
  success: number;
  failed: number;
  by_type: Record<string, number>;
}

const maxPending = 1000;

/**
 * Pushes batch summaries to an external dashboard API in the background, one request at a time with a
 * timeout. A failing API is logged and retried later; it never blocks or fails event processing. When the
 * API stays down, the oldest summaries beyond 1000 are dropped (the analytics in Redis stay exact).
 */
export class DashboardNotifier {
  private readonly pending: BatchSummary[] = [];
  private sending = false;
  private failing = false;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: { url: string; logger: Logger; fetch: typeof fetch; retryMs: number; timeoutMs?: number },
  ) {}

  push(summary: BatchSummary): void {
    this.pending.push(summary);
    if (this.pending.length > maxPending) this.pending.splice(0, this.pending.length - maxPending);
    void this.pump();
  }

  stop(): void {
    clearTimeout(this.retryTimer);
  }

  private async pump(): Promise<void> {
    if (this.sending || this.retryTimer) return;
    this.sending = true;
    try {
      while (this.pending.length > 0) {
        await this.send(this.pending[0] as BatchSummary);
        this.pending.shift();
        if (this.failing) this.options.logger.info('Dashboard API reachable again');
        this.failing = false;
      }
    } catch (error) {
      if (!this.failing)
        this.options.logger.warn('Dashboard API update failed; will retry', { error: (error as Error).message });
      this.failing = true;
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        void this.pump();
      }, this.options.retryMs);
      this.retryTimer.unref();
    } finally {
      this.sending = false;
    }
  }

  private async send(summary: BatchSummary): Promise<void> {
    const res = await this.options.fetch(this.options.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(summary),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 2000),
    });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
  }
}
