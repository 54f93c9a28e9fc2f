import type { OpsEndpoint } from '../../libs/config/index.js';
import type { DeadLetter, DeadLetters, DeadLetterSelection } from '../../libs/queue/index.js';

/** The dead-letter operations npm run dlq uses, whether straight on Redis or through the ops admin API. */
export type DeadLetterOperations = Pick<DeadLetters, 'count' | 'list' | 'replay' | 'purge'>;

interface ListedLetter {
  event_id: string;
  event: unknown;
  error: string;
  attempts: number;
  first_failed_at?: string;
  last_failed_at?: string;
  dead_at?: string;
}

// The admin API's largest page (GET /admin/dead-letters?limit=).
const pageSize = 500;

/**
 * The dead letters of a running pipeline through its ops listener's admin API (`/admin/dead-letters`): the way
 * to reach them in in-memory mode, where they live inside the pipeline process.
 */
export function opsDeadLetters(ops: OpsEndpoint): DeadLetterOperations {
  const call = async (method: string, path: string, body?: unknown): Promise<Record<string, unknown>> => {
    let res: Response;
    try {
      res = await fetch(`${ops.url}${path}`, {
        method,
        headers: { ...ops.headers, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw new Error(
        `the ops listener is not answering at ${ops.url} (${(error as Error).message}); is the pipeline running ` +
          '(npm run orchestrate), with DAY15_OPS_HOST and DAY15_OPS_PORT as set here?',
      );
    }
    const answer = (await res.json()) as Record<string, unknown>;
    if (res.status === 401)
      throw new Error(`${ops.url} refused the credential: set DAY15_OPS_TOKEN as the pipeline has it`);
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(answer)}`);
    return answer;
  };
  const page = async (offset: number, limit: number) =>
    (await call('GET', `/admin/dead-letters?offset=${offset}&limit=${limit}`)) as {
      total: number;
      items: ListedLetter[];
    };
  return {
    count: async () => (await page(0, 1)).total,
    list: async ({ offset = 0, limit = 50 } = {}) => (await page(offset, limit)).items.map(toDeadLetter),
    replay: async (selection: DeadLetterSelection) =>
      (await call('POST', '/admin/dead-letters/replay', selection === 'all' ? { all: true } : { event_ids: selection }))
        .replayed as number,
    // The admin API deletes one id per request: --all deletes the first page until none is left.
    purge: async (selection: DeadLetterSelection) => {
      let purged = 0;
      for (;;) {
        const ids = selection === 'all' ? (await page(0, pageSize)).items.map((letter) => letter.event_id) : selection;
        for (const id of ids) {
          const answer = await call('DELETE', `/admin/dead-letters/${encodeURIComponent(id)}`).catch(notFoundAsZero);
          purged += answer.purged as number;
        }
        if (selection !== 'all' || ids.length === 0) return purged;
      }
    },
  };
}

// A dead letter that is not there (purged meanwhile, or a wrong id) counts as none purged, as on Redis.
function notFoundAsZero(error: Error): Record<string, unknown> {
  if (/answered 404/.test(error.message)) return { purged: 0 };
  throw error;
}

function toDeadLetter(letter: ListedLetter): DeadLetter {
  return {
    id: letter.event_id,
    event: letter.event,
    error: letter.error,
    attempts: letter.attempts,
    firstFailedAt: letter.first_failed_at,
    lastFailedAt: letter.last_failed_at,
    deadAt: letter.dead_at,
  };
}
