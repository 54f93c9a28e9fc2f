import type { OpsEndpoint } from '../../libs/config/index.js';
import type { ObservedMetrics } from './metrics-checks.js';

/** The parts of GET /api/metrics the generator reads. */
export type OpsMetrics = ObservedMetrics & { generated_at: string; totals: { processed: number } };

/**
 * The metrics document from the ops listener's GET /api/metrics. Throws an error that says what to fix when
 * the listener cannot be reached or refuses the credential.
 */
export async function readOpsMetrics(ops: OpsEndpoint): Promise<OpsMetrics> {
  let res: Response;
  try {
    res = await fetch(`${ops.url}/api/metrics`, { headers: ops.headers, signal: AbortSignal.timeout(5000) });
  } catch (error) {
    throw new Error(
      `The ops listener is not answering at ${ops.url} (${(error as Error).message}): set DAY15_OPS_HOST and ` +
        'DAY15_OPS_PORT as the pipeline has them, or pass --ops-url',
    );
  }
  if (res.status === 401)
    throw new Error(
      `The ops listener at ${ops.url} refused the credential: set DAY15_OPS_TOKEN as the pipeline has it`,
    );
  if (res.status !== 200) throw new Error(`GET ${ops.url}/api/metrics answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as OpsMetrics;
}

/** Polls the metrics (every 100 ms) until `ready` holds; the document that showed it, or undefined after `timeoutMs`. */
export async function waitForMetrics(
  ops: OpsEndpoint,
  ready: (metrics: OpsMetrics) => boolean,
  timeoutMs: number,
): Promise<OpsMetrics | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const metrics = await readOpsMetrics(ops).catch(() => undefined);
    if (metrics && ready(metrics)) return metrics;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return undefined;
}

/**
 * A document read after `seen`. The receiver reads the queue's counters and the analytics side by side (and
 * serves one read a second to everyone), so the document whose processed count reached a target may hold
 * analytics read a moment before the last of those acks. Those acks all happened before `seen` was served, so
 * the next read holds every one of their analytics.
 */
export function readAfter(ops: OpsEndpoint, seen: OpsMetrics, timeoutMs = 10_000): Promise<OpsMetrics | undefined> {
  return waitForMetrics(ops, (metrics) => metrics.generated_at > seen.generated_at, timeoutMs);
}
