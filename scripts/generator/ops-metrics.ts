import type { OpsEndpoint } from '../../libs/config/index.js';

/**
 * The number of events the pipeline has processed, from the ops listener's GET /api/metrics. Throws an error
 * that says what to fix when the listener cannot be reached or refuses the credential.
 */
export async function readProcessed(ops: OpsEndpoint): Promise<number> {
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
  return ((await res.json()) as { totals: { processed: number } }).totals.processed;
}
