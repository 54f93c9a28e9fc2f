import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { addDays, FileArchiveStore, utcDay } from '../../libs/archive/index.js';
import { parseArchiveArgs } from '../../scripts/archive/archive-args.js';
import { textTable } from '../../scripts/archive/text-table.js';

const today = utcDay(Date.now());
// Days well before today, so they are closed whatever the time of the run.
const dayA = addDays(today, -3);
const dayB = addDays(today, -2);
const expiredDay = addDays(today, -6);
const noon = (day: string) => Date.parse(`${day}T12:00:00Z`);

function processedLine(seq: number, eventId: string, processedAt: number): string {
  const event = { event_id: eventId, event_type: 'user_signup', user_id: 'u1', timestamp: '2026-11-20T10:00:00Z' };
  return JSON.stringify({
    seq,
    outcome: 'processed',
    processed_at: processedAt,
    consumer: 'host-1',
    queue: 'events',
    event,
  });
}

const deadLine = (eventId: string, deadAt: number) =>
  JSON.stringify({
    outcome: 'dead',
    queue: 'events',
    event_id: eventId,
    dead_at: deadAt,
    attempts: 3,
    reason: 'bad',
    body: '{}',
  });

interface CliRun {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
}

/** `npm run archive -- <args>` as a real process, with only the DAY15_* variables given. */
async function archive(dir: string, ...args: string[]): Promise<CliRun> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('DAY15_')));
  const { exitCode, stdout, stderr } = await execa(
    process.execPath,
    ['--import', 'tsx', 'scripts/archive/main.ts', ...args],
    {
      env: { ...inherited, DAY15_ARCHIVE_DIR: dir, DAY15_ARCHIVE_DAYS: '5', DAY15_USE_MOCK_REDIS: 'true' },
      extendEnv: false,
      reject: false,
    },
  );
  return { exitCode, stdout, stderr };
}

// Real CLI processes, each a `node --import tsx` start that takes seconds on a busy 2-core machine; they are
// started together in beforeAll and each test awaits its own.
const cliTestTimeoutMs = 120_000;

describe('npm run archive (a real process against an archive folder)', () => {
  let root: string;
  let runs: Record<string, Promise<CliRun>>;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'day15-archive-cli-'));
    const dir = join(root, 'archive');
    const store = new FileArchiveStore({ dir, retentionDays: 5 });
    const e1 = processedLine(1, 'e1', noon(dayA));
    await store.append(
      'host-1',
      [e1, processedLine(2, 'e2', noon(dayA) + 1), processedLine(3, 'e3', noon(dayA) + 2)],
      noon(dayA),
    );
    await store.append('host-1', [deadLine('d1', noon(dayA))], noon(dayA));
    // host-2 wrote e1 again (a retried write) and then a line a crash cut short.
    await store.append('host-2', [e1, '{"seq":4,"outcome":"proc'], noon(dayA));
    await store.append('host-1', [processedLine(5, 'e4', noon(dayB)), processedLine(6, 'e5', noon(dayB))], noon(dayB));
    await store.close();

    const maintained = join(root, 'maintained');
    const other = new FileArchiveStore({ dir: maintained, retentionDays: 5 });
    await other.append('host-1', [processedLine(1, 'e1', noon(expiredDay))], noon(expiredDay));
    await other.append('host-1', [processedLine(2, 'e2', noon(dayA))], noon(dayA));
    await other.close();

    runs = {
      table: archive(dir, 'sql', 'SELECT count(*) AS n FROM events'),
      json: archive(dir, 'sql', 'SELECT event_id, seq FROM events ORDER BY seq', '--json'),
      export: archive(
        dir,
        'export',
        '--from',
        dayA,
        '--to',
        dayA,
        '--format',
        'parquet',
        '--out',
        join(root, 'a.parquet'),
      ),
      stats: archive(dir, 'stats', '--json'),
      maintain: archive(maintained, 'maintain'),
      badUsage: archive(dir, 'export', '--from', dayA, '--format', 'csv'),
      unknown: archive(dir, 'compact'),
    };
    await Promise.all(Object.values(runs));
  }, cliTestTimeoutMs);

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('answers SQL over the deduped events as a table, and reports the bad line it skipped with its file and line', async () => {
    const { exitCode, stdout, stderr } = await runs.table!;
    expect([exitCode, stdout]).toEqual([0, ['n', '-', '5', '(1 row)'].join('\n')]);
    expect(stderr.split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^archive: day=${dayA}/host-2\\.jsonl:2: not JSON.* \\(skipped\\)$`)),
      'archive: 1 bad line(s) skipped',
    ]);
  });

  it('answers SQL as JSON rows with --json', async () => {
    const { exitCode, stdout } = await runs.json!;
    expect(exitCode).toBe(0);
    expect(JSON.parse(stdout)).toEqual(
      ['e1', 'e2', 'e3', 'e4', 'e5'].map((id, i) => ({ event_id: id, seq: [1, 2, 3, 5, 6][i] })),
    );
  });

  it('exports the events of the days asked for to Parquet, with their count', async () => {
    const { exitCode, stdout } = await runs.export!;
    const path = join(root, 'a.parquet');
    expect([exitCode, stdout]).toEqual([0, `Exported 3 event(s) to ${path}`]);
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const read = await connection.runAndReadAll(
      `SELECT count(*)::INTEGER AS n, count(DISTINCT event_id)::INTEGER AS ids FROM '${path}'`,
    );
    expect(read.getRowObjectsJson()).toEqual([{ n: 3, ids: 3 }]);
    connection.closeSync();
    instance.closeSync();
  });

  it('sums up each day and the total: parts, bytes, events, dead letters', async () => {
    const { exitCode, stdout } = await runs.stats!;
    expect(exitCode).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      days: [
        { day: dayA, parts: 2, bytes: expect.any(Number), open: true, events: 3, deadLetters: 1 },
        { day: dayB, parts: 1, bytes: expect.any(Number), open: true, events: 2, deadLetters: 0 },
      ],
      total: { days: 2, parts: 3, bytes: expect.any(Number), events: 5, deadLetters: 1 },
    });
  });

  it('compresses the closed days and deletes those beyond DAY15_ARCHIVE_DAYS', async () => {
    const { exitCode, stdout } = await runs.maintain!;
    expect([exitCode, stdout]).toEqual([0, `Compressed: ${dayA}\nDeleted: ${expiredDay}`]);
  });

  it('exits 2 with the usage on bad usage, listing the commands for an unknown one', async () => {
    const bad = await runs.badUsage!;
    expect([bad.exitCode, bad.stderr]).toEqual([2, expect.stringMatching(/^export needs --from and --to\n\nUsage:/)]);
    const unknown = await runs.unknown!;
    expect([unknown.exitCode, unknown.stderr]).toEqual([
      2,
      expect.stringContaining('Unknown command "compact"; the commands are sql, export, stats, maintain'),
    ]);
  });
});

describe('npm run archive arguments', () => {
  it('defaults the export file to data/exports/events-<from>-<to>.<format>', () => {
    expect(parseArchiveArgs(['export', '--from', '2026-11-01', '--to', '2026-11-30', '--format', 'jsonl'])).toEqual({
      command: {
        name: 'export',
        range: { from: '2026-11-01', to: '2026-11-30' },
        format: 'jsonl',
        out: 'data/exports/events-2026-11-01-2026-11-30.jsonl',
      },
    });
  });

  it.each([
    [[], 'Missing command'],
    [['sql'], 'sql needs a query'],
    [['sql', 'SELECT 1', '--format', 'csv'], 'sql takes no --format'],
    [['stats', '--from', '2026-02-30'], '--from 2026-02-30: expected a day as YYYY-MM-DD'],
    [['stats', '--from', '2026-11-02', '--to', '2026-11-01'], '--from 2026-11-02 is after --to 2026-11-01'],
    [
      ['export', '--from', '2026-11-01', '--to', '2026-11-01', '--format', 'xlsx'],
      'export needs --format parquet|csv|jsonl',
    ],
    [['maintain', 'now'], 'maintain takes no arguments (got now)'],
    [['stats', '--verbose'], "Unknown option '--verbose'"],
  ])('refuses %j: %s', (args, error) => {
    expect(parseArchiveArgs(args)).toEqual({ error: expect.stringContaining(error) });
  });
});

describe('textTable', () => {
  it('aligns columns, numbers to the right, with NULL, nested JSON and newlines kept on one line', () => {
    expect(
      textTable([
        { id: 'e1', n: 5, note: 'a\nb', meta: { plan: 'pro' } },
        { id: 'event-22', n: 1234, note: null, meta: null },
      ]),
    ).toEqual([
      'id           n  note  meta',
      '--------  ----  ----  --------------',
      'e1           5  a\\nb  {"plan":"pro"}',
      'event-22  1234  NULL  NULL',
    ]);
  });
});
