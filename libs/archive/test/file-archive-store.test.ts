import { mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { dayCloseGraceMs, FileArchiveStore, type ArchiveLine, type ArchiveStore } from '../index.js';

const day1 = Date.parse('2026-11-27T10:00:00Z');
const day2 = Date.parse('2026-11-28T10:00:00Z');
const midnightAfterDay1 = Date.parse('2026-11-28T00:00:00Z');

let dir: string;
const stores: ArchiveStore[] = [];

function newStore(options: { retentionDays?: number; clock?: () => number } = {}): FileArchiveStore {
  const store = new FileArchiveStore({ dir, retentionDays: options.retentionDays ?? 30, clock: options.clock });
  stores.push(store);
  return store;
}

async function readAll(store: ArchiveStore, range?: { from?: string; to?: string }): Promise<ArchiveLine[]> {
  const lines: ArchiveLine[] = [];
  for await (const line of store.read(range)) lines.push(line);
  return lines;
}

/** The files under the archive folder this process holds open (Linux: /proc/self/fd). */
async function openFilesUnderDir(): Promise<string[]> {
  const targets = await Promise.all(
    (await readdir('/proc/self/fd')).map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')),
  );
  return targets.filter((target) => target.startsWith(dir));
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'day15-archive-store-'));
});

afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
  await rm(dir, { recursive: true, force: true });
});

describe('FileArchiveStore writing', () => {
  it('appends lines to the writer part of the UTC day of `at`, newline-terminated, with the writer name sanitized', async () => {
    const store = newStore();
    await store.append('host-1-ab12cd', ['{"a":1}', '{"a":2}'], day1);
    await store.append('host-1-ab12cd', ['{"a":3}'], day1);
    await store.append('host 2/x', ['{"b":1}'], day2);
    await store.sync();

    expect(await readFile(join(dir, 'day=2026-11-27', 'host-1-ab12cd.jsonl'), 'utf8')).toBe(
      '{"a":1}\n{"a":2}\n{"a":3}\n',
    );
    expect(await readdir(join(dir, 'day=2026-11-28'))).toEqual(['host_2_x.jsonl']);
  });

  it('closes the parts of older days once a newer day is appended to, and of closed days on sync', async () => {
    let now = day1;
    const store = newStore({ clock: () => now });
    await store.append('w', ['{"a":1}'], day1);
    expect(await openFilesUnderDir()).toEqual([join(dir, 'day=2026-11-27', 'w.jsonl')]);
    await store.append('w', ['{"a":2}'], day2);
    expect(await openFilesUnderDir()).toEqual([join(dir, 'day=2026-11-28', 'w.jsonl')]);

    now = Date.parse('2026-11-29T00:00:00Z') + dayCloseGraceMs;
    await store.sync();
    expect(await openFilesUnderDir()).toEqual([]);
  });

  it('writes the lines again when a frozen writer wrote into a part another process had compressed, and never overwrites a .gz', async () => {
    const frozen = newStore();
    await frozen.append('w', ['{"n":1}'], day1);
    const closedDay1 = midnightAfterDay1 + dayCloseGraceMs;
    expect(await newStore().maintain(closedDay1)).toEqual({ compressed: ['2026-11-27'], deleted: [] });
    const firstGz = await readFile(join(dir, 'day=2026-11-27', 'w.jsonl.gz'));

    // Still holding the descriptor of the removed file: the write must not vanish with it.
    await frozen.append('w', ['{"n":2}'], day1);
    expect((await readAll(frozen)).map((line) => line.text)).toEqual(['{"n":2}', '{"n":1}']);

    expect(await newStore().maintain(closedDay1)).toEqual({ compressed: ['2026-11-27'], deleted: [] });
    expect(await readdir(join(dir, 'day=2026-11-27'))).toEqual(['w.2.jsonl.gz', 'w.jsonl.gz']);
    expect(await readFile(join(dir, 'day=2026-11-27', 'w.jsonl.gz'))).toEqual(firstGz);
    expect((await readAll(frozen)).map((line) => line.text)).toEqual(['{"n":2}', '{"n":1}']);
  });

  it('loses no line a writer appends to a closed day while another process compresses it, and compresses it once the writer stops', async () => {
    const writer = newStore();
    const early = Array.from({ length: 100_000 }, (_, n) => `{"n":${n}}`);
    await writer.append('w', early, day1);
    const closedDay1 = midnightAfterDay1 + dayCloseGraceMs;

    let maintained: { compressed: string[] } | undefined;
    const maintaining = newStore()
      .maintain(closedDay1)
      .then((done) => (maintained = done));
    let late = 0;
    while (maintained === undefined) await writer.append('w', [`{"late":${(late += 1)}}`], day1);
    await maintaining;

    const texts = new Set((await readAll(newStore())).map((line) => line.text));
    expect(texts.size).toBe(early.length + late);
    expect(maintained.compressed).toEqual([]);
    expect(await newStore().maintain(closedDay1)).toEqual({ compressed: ['2026-11-27'], deleted: [] });
    expect(new Set((await readAll(newStore())).map((line) => line.text))).toEqual(texts);
  });

  it('refuses appends once closed', async () => {
    const store = newStore();
    await store.close();
    await expect(store.append('w', ['{}'], day1)).rejects.toThrow('closed');
  });
});

describe('FileArchiveStore maintenance', () => {
  it('compresses a day only once it closed, 10 minutes after its midnight (batches in flight then)', async () => {
    const store = newStore();
    await store.append('w', ['{"n":1}', '{"n":2}'], day1);

    expect(await store.maintain(midnightAfterDay1 + dayCloseGraceMs - 1)).toEqual({ compressed: [], deleted: [] });
    expect(await readdir(join(dir, 'day=2026-11-27'))).toEqual(['w.jsonl']);

    expect(await store.maintain(midnightAfterDay1 + dayCloseGraceMs)).toEqual({
      compressed: ['2026-11-27'],
      deleted: [],
    });
    expect(await readdir(join(dir, 'day=2026-11-27'))).toEqual(['w.jsonl.gz']);
    expect(gunzipSync(await readFile(join(dir, 'day=2026-11-27', 'w.jsonl.gz'))).toString()).toBe('{"n":1}\n{"n":2}\n');
  });

  it('deletes whole days beyond the retention (today included in it) and leaves anything else alone', async () => {
    const store = newStore({ retentionDays: 2 });
    const today = Date.parse('2026-11-30T12:00:00Z');
    for (const day of ['2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30']) {
      await store.append('w', ['{}'], Date.parse(`${day}T08:00:00Z`));
    }
    await mkdir(join(dir, 'day=2026-02-30'));
    await mkdir(join(dir, 'day=old'));
    await writeFile(join(dir, 'notes.txt'), 'keep me');

    expect(await store.maintain(today)).toEqual({ compressed: ['2026-11-29'], deleted: ['2026-11-27', '2026-11-28'] });
    expect((await readdir(dir)).sort()).toEqual([
      'day=2026-02-30',
      'day=2026-11-29',
      'day=2026-11-30',
      'day=old',
      'notes.txt',
    ]);

    const keepOnlyToday = newStore({ retentionDays: 1 });
    expect(await keepOnlyToday.maintain(today)).toEqual({ compressed: [], deleted: ['2026-11-29'] });
    expect(await readdir(join(dir, 'day=2026-11-30'))).toEqual(['w.jsonl']);
  });

  it('loses no line when two processes compress the same days at once', async () => {
    const writer = newStore();
    const lines = Array.from({ length: 2000 }, (_, n) => `{"n":${n}}`);
    for (const [i, writerId] of ['a', 'b', 'c'].entries()) {
      await writer.append(writerId, lines, day1 + i);
      await writer.append(writerId, lines, day2 + i);
    }
    await writer.sync();
    const now = Date.parse('2026-11-29T00:00:00Z') + dayCloseGraceMs;

    await Promise.all([newStore().maintain(now), newStore().maintain(now)]);

    for (const day of ['day=2026-11-27', 'day=2026-11-28']) {
      const names = await readdir(join(dir, day));
      expect(names.every((name) => name.endsWith('.jsonl.gz'))).toBe(true);
    }
    const read = (await readAll(newStore())).map((line) => `${line.source.split('/')[0]} ${line.text}`);
    for (const day of ['day=2026-11-27', 'day=2026-11-28']) {
      // Each line at least once per writer (a part compressed by both processes may be there twice).
      expect(new Set(read.filter((entry) => entry.startsWith(day))).size).toBe(lines.length);
      expect(read.filter((entry) => entry === `${day} {"n":0}`).length).toBeGreaterThanOrEqual(3);
    }
  });
});

describe('FileArchiveStore reading', () => {
  it('yields every line day by day and part by part, gunzipping compressed parts, with its part and line number', async () => {
    const store = newStore();
    await store.append('b', ['{"b":1}'], day1);
    await store.append('a', ['{"a":1}', '{"a":2}'], day1);
    await store.append('a', ['{"a":3}'], day2);
    await store.maintain(midnightAfterDay1 + dayCloseGraceMs);
    // A last line cut short by a crash has no newline; it is yielded all the same.
    await writeFile(join(dir, 'day=2026-11-28', 'c.jsonl'), '{"c":1}\n{"c":');

    expect(await readAll(store)).toEqual([
      { source: 'day=2026-11-27/a.jsonl.gz', line: 1, text: '{"a":1}' },
      { source: 'day=2026-11-27/a.jsonl.gz', line: 2, text: '{"a":2}' },
      { source: 'day=2026-11-27/b.jsonl.gz', line: 1, text: '{"b":1}' },
      { source: 'day=2026-11-28/a.jsonl', line: 1, text: '{"a":3}' },
      { source: 'day=2026-11-28/c.jsonl', line: 1, text: '{"c":1}' },
      { source: 'day=2026-11-28/c.jsonl', line: 2, text: '{"c":' },
    ]);
    expect((await readAll(store, { from: '2026-11-28' })).map((line) => line.text)).toEqual([
      '{"a":3}',
      '{"c":1}',
      '{"c":',
    ]);
    expect(await readAll(store, { to: '2026-11-26' })).toEqual([]);
  });

  it('reads an archive folder that does not exist yet as empty', async () => {
    const store = new FileArchiveStore({ dir: join(dir, 'not-yet'), retentionDays: 3 });
    expect(await readAll(store)).toEqual([]);
    expect(await store.days()).toEqual([]);
    expect(await store.maintain(day1)).toEqual({ compressed: [], deleted: [] });
  });

  it('reports a damaged .gz part with its name', async () => {
    await mkdir(join(dir, 'day=2026-11-27'));
    await writeFile(join(dir, 'day=2026-11-27', 'w.jsonl.gz'), gzipSync('{"n":1}\n').subarray(0, 12));
    await expect(readAll(newStore())).rejects.toThrow('day=2026-11-27/w.jsonl.gz');
  });

  it('summarises each day: parts, bytes on disk, and whether any part is still uncompressed', async () => {
    const store = newStore();
    await store.append('a', ['{"a":1}'], day1);
    await store.append('a', ['{"a":2}'], day2);
    await store.append('b', ['{"b":22}'], day2);
    await store.maintain(midnightAfterDay1 + dayCloseGraceMs);
    const gzBytes = (await readFile(join(dir, 'day=2026-11-27', 'a.jsonl.gz'))).length;

    expect(await store.days()).toEqual([
      { day: '2026-11-27', parts: 1, bytes: gzBytes, open: false },
      { day: '2026-11-28', parts: 2, bytes: 8 + 9, open: true },
    ]);
  });
});
