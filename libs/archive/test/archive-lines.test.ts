import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { FileArchiveStore, parseArchiveLine, readArchiveEntries, type ArchiveProblem } from '../index.js';

const processed =
  '{"seq":42,"outcome":"processed","processed_at":1764240000123,"consumer":"host-1-ab12cd","queue":"events",' +
  '"event":{"event_id":"e1","event_type":"user_signup","user_id":"u1","timestamp":"2026-11-27T10:00:00Z",' +
  '"received_at":"2026-11-27T10:00:00.100Z","metadata":{}}}';
const dead =
  '{"outcome":"dead","queue":"events","event_id":"e2","dead_at":1764240000999,"attempts":3,' +
  '"reason":"invalid event: metadata.plan is required","body":"{\\"event_id\\":\\"e2\\"}"}';

describe('parseArchiveLine', () => {
  it('accepts the processed and dead lines the consumer writes', () => {
    expect(parseArchiveLine(processed)).toEqual({ record: JSON.parse(processed) });
    expect(parseArchiveLine(dead)).toEqual({ record: JSON.parse(dead) });
  });

  it.each([
    ['a line cut short', processed.slice(0, 60), /^not JSON, truncated or damaged/],
    ['damaged bytes', '{"seq":4\u0000x}', /^not JSON/],
    ['an array', '[1,2]', /^not a JSON object$/],
    ['an unknown outcome', '{"outcome":"lost"}', /^unknown outcome "lost"$/],
    ['a missing seq', processed.replace('"seq":42,', ''), /^seq: missing, expected an integer >= 0$/],
    ['a fractional processed_at', processed.replace('1764240000123', '1.5'), /^processed_at: 1.5/],
    ['an event without its id', processed.replace('"event_id":"e1",', ''), /^event\.event_id: missing/],
    ['a numeric user_id', processed.replace('"u1"', '7'), /^event\.user_id: 7, expected a string$/],
    ['metadata that is not an object', processed.replace('"metadata":{}', '"metadata":[]'), /^event\.metadata/],
    ['a dead line without its body', dead.replace(/,"body":.*}$/, '}'), /^body: missing, expected a string$/],
  ])('gives a problem for %s', (_what, text, problem) => {
    expect(parseArchiveLine(text)).toEqual({ problem: expect.stringMatching(problem) });
  });
});

describe('readArchiveEntries', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'day15-archive-lines-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reports a damaged line and a truncated last line with their part and line number, and reads the good lines around them', async () => {
    const store = new FileArchiveStore({ dir, retentionDays: 7 });
    await store.append('host-1', [processed, '{"seq":43,"outcome":"proc', dead], Date.parse('2026-11-27T10:00:00Z'));
    await store.close();
    // A crash mid-write: the last line has no end.
    await mkdir(join(dir, 'day=2026-11-28'));
    await writeFile(join(dir, 'day=2026-11-28', 'host-2.jsonl'), `${dead}\n\n${processed.slice(0, 50)}`);

    const problems: ArchiveProblem[] = [];
    const read = [];
    for await (const entry of readArchiveEntries(store, {}, (problem) => problems.push(problem))) read.push(entry);

    expect(read.map(({ source, line, record }) => [source, line, record.outcome])).toEqual([
      ['day=2026-11-27/host-1.jsonl', 1, 'processed'],
      ['day=2026-11-27/host-1.jsonl', 3, 'dead'],
      ['day=2026-11-28/host-2.jsonl', 1, 'dead'],
    ]);
    expect(problems).toEqual([
      { source: 'day=2026-11-27/host-1.jsonl', line: 2, problem: expect.stringMatching(/^not JSON/) },
      { source: 'day=2026-11-28/host-2.jsonl', line: 3, problem: expect.stringMatching(/^not JSON/) },
    ]);
  });
});
