import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { FileArchiveStore, openArchiveQuery, type ArchiveProblem, type ArchiveQuery } from '../index.js';

const at = (iso: string) => Date.parse(iso);

function processedLine(seq: number, eventId: string, processedAt: number, event: Record<string, unknown> = {}): string {
  return JSON.stringify({
    seq,
    outcome: 'processed',
    processed_at: processedAt,
    consumer: 'host-1-ab12cd',
    queue: 'events',
    event: {
      event_id: eventId,
      event_type: 'user_signup',
      user_id: `u-${eventId}`,
      timestamp: '2026-11-27T12:00:00+02:00',
      received_at: '2026-11-27T10:00:00.100Z',
      metadata: { plan: 'pro' },
      ...event,
    },
  });
}

function deadLine(eventId: string, deadAt: number): string {
  return JSON.stringify({
    outcome: 'dead',
    queue: 'events',
    event_id: eventId,
    dead_at: deadAt,
    attempts: 3,
    reason: 'invalid event: metadata.plan is required',
    body: `{"event_id":"${eventId}"}`,
  });
}

let dir: string;
let store: FileArchiveStore;
const queries: ArchiveQuery[] = [];

async function open(options: Omit<Parameters<typeof openArchiveQuery>[0], 'store' | 'onProblem'> = {}) {
  const problems: ArchiveProblem[] = [];
  const query = await openArchiveQuery({ store, ...options, onProblem: (problem) => problems.push(problem) });
  queries.push(query);
  return { query, problems };
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'day15-archive-query-'));
  store = new FileArchiveStore({ dir, retentionDays: 30 });
});

afterEach(async () => {
  await Promise.all(queries.splice(0).map((query) => query.close()));
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('openArchiveQuery: the events and dead_letters tables', () => {
  it('counts a committed line written twice (by two consumers, in two files) once', async () => {
    const line = processedLine(7, 'e1', at('2026-11-27T10:00:01Z'));
    await store.append(
      'host-1',
      [line, processedLine(8, 'e2', at('2026-11-27T10:00:02Z'))],
      at('2026-11-27T10:00:03Z'),
    );
    await store.append('host-2', [line], at('2026-11-27T10:00:04Z'));
    await store.append('host-2', [deadLine('d1', at('2026-11-27T11:00:00Z'))], at('2026-11-27T11:00:01Z'));
    await store.append('host-1', [deadLine('d1', at('2026-11-27T11:00:00Z'))], at('2026-11-27T11:00:02Z'));
    // The same event dead-lettered again later (after a replay) is another dead-lettering.
    await store.append('host-1', [deadLine('d1', at('2026-11-27T12:00:00Z'))], at('2026-11-27T12:00:01Z'));

    const { query, problems } = await open();

    expect(await query.all('SELECT event_id, seq FROM events ORDER BY seq')).toEqual([
      { event_id: 'e1', seq: 7 },
      { event_id: 'e2', seq: 8 },
    ]);
    expect(await query.all('SELECT count(*) AS n FROM dead_letters')).toEqual([{ n: 2 }]);
    expect(problems).toEqual([]);
  });

  it('gives each event its columns, JSON-safe: numbers, ISO 8601 UTC times, JSON as text', async () => {
    const processedAt = at('2026-11-27T10:00:00.123Z');
    await store.append('host-1', [processedLine(42, 'e1', processedAt)], processedAt);
    await store.append('host-1', [deadLine('d1', at('2026-11-27T11:00:00.999Z'))], processedAt);
    const { query } = await open();

    const [event] = await query.all('SELECT * FROM events');
    expect(event).toEqual({
      event_id: 'e1',
      event_type: 'user_signup',
      user_id: 'u-e1',
      timestamp: '2026-11-27T10:00:00.000Z',
      received_at: '2026-11-27T10:00:00.100Z',
      processed_at: '2026-11-27T10:00:00.123Z',
      processed_ms: processedAt,
      consumer: 'host-1-ab12cd',
      queue: 'events',
      seq: 42,
      metadata: '{"plan":"pro"}',
      event: expect.any(String),
    });
    expect(JSON.parse(event!.event as string)).toEqual(JSON.parse(processedLine(42, 'e1', processedAt)).event);
    expect(await query.all('SELECT * FROM dead_letters')).toEqual([
      {
        event_id: 'd1',
        queue: 'events',
        dead_at: '2026-11-27T11:00:00.999Z',
        attempts: 3,
        reason: 'invalid event: metadata.plan is required',
        body: '{"event_id":"d1"}',
      },
    ]);
    expect(
      await query.all('SELECT 9007199254740993::BIGINT AS big, NULL AS nothing, [1, 2]::BIGINT[] AS list'),
    ).toEqual([{ big: '9007199254740993', nothing: null, list: [1, 2] }]);
  });

  it('keeps the events processed within the range, including a batch written just after midnight under the next day', async () => {
    await store.append('host-1', [processedLine(1, 'before', at('2026-11-26T23:59:59Z'))], at('2026-11-27T00:00:01Z'));
    await store.append('host-1', [processedLine(2, 'first', at('2026-11-27T00:00:00Z'))], at('2026-11-27T00:00:01Z'));
    await store.append('host-1', [processedLine(3, 'late', at('2026-11-28T23:59:59Z'))], at('2026-11-29T00:00:02Z'));
    await store.append('host-1', [processedLine(4, 'after', at('2026-11-29T00:00:00Z'))], at('2026-11-29T00:00:02Z'));
    await store.append('host-1', [deadLine('d-in', at('2026-11-28T08:00:00Z'))], at('2026-11-29T00:00:02Z'));
    await store.append('host-1', [deadLine('d-out', at('2026-11-29T08:00:00Z'))], at('2026-11-29T08:00:00Z'));

    const { query } = await open({ range: { from: '2026-11-27', to: '2026-11-28' } });

    expect(await query.all('SELECT event_id FROM events ORDER BY seq')).toEqual([
      { event_id: 'first' },
      { event_id: 'late' },
    ]);
    expect(await query.all('SELECT event_id FROM dead_letters')).toEqual([{ event_id: 'd-in' }]);
  });

  it('loads extra lines as if archived, deduped with the archive, their bad lines reported as extra:<n>', async () => {
    const line = processedLine(1, 'e1', at('2026-11-27T10:00:00Z'));
    await store.append('host-1', [line], at('2026-11-27T10:00:00Z'));
    async function* outbox() {
      yield line;
      yield processedLine(2, 'e2', at('2026-11-27T10:00:01Z'));
      yield '{"seq":3,"outc';
    }

    const { query, problems } = await open({ extraLines: outbox() });

    expect(await query.all('SELECT event_id FROM events ORDER BY seq')).toEqual([
      { event_id: 'e1' },
      { event_id: 'e2' },
    ]);
    expect(problems).toEqual([{ source: 'extra', line: 3, problem: expect.stringMatching(/^not JSON/) }]);
  });

  it('skips and reports bad archive lines, loading the rest', async () => {
    await mkdir(join(dir, 'day=2026-11-27'));
    const good = processedLine(1, 'e1', at('2026-11-27T10:00:00Z'));
    await writeFile(join(dir, 'day=2026-11-27', 'host-1.jsonl'), `{"seq":2,"outcome":"processed"}\n${good}\n{"se`);

    const { query, problems } = await open();

    expect(await query.all('SELECT event_id FROM events')).toEqual([{ event_id: 'e1' }]);
    expect(problems).toEqual([
      { source: 'day=2026-11-27/host-1.jsonl', line: 1, problem: expect.stringMatching(/^queue: missing/) },
      { source: 'day=2026-11-27/host-1.jsonl', line: 3, problem: expect.stringMatching(/^not JSON/) },
    ]);
  });
});

describe('openArchiveQuery: reading results out', () => {
  let query: ArchiveQuery;
  let out: string;
  const eventCount = 5000;

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'day15-archive-export-'));
    const archive = new FileArchiveStore({ dir: join(out, 'archive'), retentionDays: 30 });
    const start = at('2026-11-27T10:00:00Z');
    const lines = Array.from({ length: eventCount }, (_, n) => processedLine(n + 1, `e${n + 1}`, start + n * 1000));
    await archive.append('host-1', lines, start);
    await archive.append('host-1', [deadLine('d1', start)], start);
    await archive.close();
    query = await openArchiveQuery({ store: archive, onProblem: () => undefined });
  });

  afterAll(async () => {
    await query.close();
    await rm(out, { recursive: true, force: true });
  });

  it('streams a large ordered result chunk by chunk, while other queries run', async () => {
    let expected = 1;
    for await (const row of query.stream('SELECT seq, event FROM events ORDER BY seq')) {
      expect(row.seq).toBe(expected);
      if (expected === 3000) expect(await query.all('SELECT count(*) AS n FROM events')).toEqual([{ n: eventCount }]);
      expected += 1;
    }
    expect(expected - 1).toBe(eventCount);
  });

  it.each(['parquet', 'csv', 'jsonl'] as const)('exports the events as %s', async (format) => {
    const path = join(out, `events.${format}`);
    expect(await query.exportTo(path, format)).toBe(eventCount);
    const read = { parquet: `read_parquet('${path}')`, csv: `read_csv('${path}')`, jsonl: `read_json('${path}')` };
    expect(await query.all(`SELECT count(*) AS n, min(seq) AS first FROM ${read[format]}`)).toEqual([
      { n: eventCount, first: 1 },
    ]);
    if (format === 'jsonl') {
      const [first] = (await readFile(path, 'utf8')).split('\n');
      expect(JSON.parse(first!)).toMatchObject({ event_id: 'e1', seq: 1, metadata: { plan: 'pro' } });
    }
  });

  it('sums up each day: files, events and dead letters, and the totals', async () => {
    const [summary] = await new FileArchiveStore({ dir: join(out, 'archive'), retentionDays: 30 }).days();
    expect(await query.stats()).toEqual({
      days: [{ day: '2026-11-27', parts: 1, bytes: summary!.bytes, open: true, events: eventCount, deadLetters: 1 }],
      total: { days: 1, parts: 1, bytes: summary!.bytes, events: eventCount, deadLetters: 1 },
    });
  });
});
