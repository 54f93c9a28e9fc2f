import { randomBytes } from 'node:crypto';
import { waitUntil } from '../../tools/wait.js';

export interface Sender {
  /** Ids the pipeline answered 202 or 200 for: accepted by this request or an earlier one whose answer was lost. */
  readonly accepted: Set<string>;
  readonly sent: () => number;
  stop(): Promise<void>;
}

const features = ['api_calls', 'reports', 'exports', 'dashboards', 'storage'];

// A sender that behaves like a SaaS app's webhook client: each event is retried (same id) until the
// pipeline answers 202 or 200, through refused connections, resets and 503s. Every event is a usage event
// of quantity 1, so the analytics must count exactly one unit per processed event.
export function startSending(url: string, { concurrency = 8, pauseMs = 2 } = {}): Sender {
  const accepted = new Set<string>();
  const tag = randomBytes(3).toString('hex');
  let sequence = 0;
  let stopping = false;
  const sendUntilAnswered = async (id: string, body: string) => {
    while (!stopping) {
      try {
        const res = await fetch(`${url}/webhook/events`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body,
          signal: AbortSignal.timeout(5000),
        });
        await res.arrayBuffer();
        if (res.status === 202 || res.status === 200) {
          accepted.add(id);
          return;
        }
      } catch {
        // connection refused or reset: the receiver is restarting; try again
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const loop = async () => {
    while (!stopping) {
      sequence += 1;
      const id = `evt_chaos_${tag}_${sequence}`;
      const body = JSON.stringify({
        event_id: id,
        event_type: 'usage_tracked',
        user_id: `user_${sequence % 100}`,
        timestamp: new Date().toISOString(),
        metadata: { feature: features[sequence % features.length], quantity: 1 },
      });
      await sendUntilAnswered(id, body);
      if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  };
  const loops = Array.from({ length: concurrency }, loop);
  return {
    accepted,
    sent: () => sequence,
    stop: async () => {
      stopping = true;
      await Promise.all(loops);
    },
  };
}

// Waits until the pipeline has answered 202/200 for more than `count` events in all, however slow the
// machine; the error says how far it got.
export async function waitForAccepted(sender: Sender, count: number, timeoutMs = 90_000): Promise<void> {
  await waitUntil(() => sender.accepted.size > count, timeoutMs, {
    what: `the pipeline to accept more than ${count} events`,
    state: () => `${sender.accepted.size} accepted of ${sender.sent()} sent`,
  });
}
