import type { OpsEndpoint } from '../../libs/config/index.js';
import type { EventStatus } from '../../libs/queue/index.js';

/**
 * An event's status through a running pipeline's ops listener (GET /admin/events/:event_id): the way to reach
 * it in in-memory mode, where the queue lives inside the pipeline process.
 */
export async function opsEventStatus(ops: OpsEndpoint, id: string): Promise<EventStatus> {
  const path = `/admin/events/${encodeURIComponent(id)}`;
  let res: Response;
  try {
    res = await fetch(`${ops.url}${path}`, { headers: ops.headers, signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    throw new Error(
      `the ops listener is not answering at ${ops.url} (${(error as Error).message}); is the pipeline running ` +
        '(npm run orchestrate), with DAY15_OPS_HOST and DAY15_OPS_PORT as set here?',
    );
  }
  if (res.status === 401)
    throw new Error(`${ops.url} refused the credential: set DAY15_OPS_TOKEN as the pipeline has it`);
  if (!res.ok) throw new Error(`GET ${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as EventStatus;
}
