import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { openArchiveQuery, type ArchiveQuery, type ArchiveStats, type ArchiveStore } from '../../libs/archive/index.js';
import type { ArchiveCommand, DayRange } from './archive-args.js';
import { textTable } from './text-table.js';

/** Runs one checked command against the archive, printing its result; returns the exit code. */
export async function runArchiveCommand(command: ArchiveCommand, store: ArchiveStore): Promise<number> {
  if (command.name === 'maintain') {
    const done = await store.maintain(Date.now());
    console.log(`Compressed: ${done.compressed.join(', ') || 'none'}`);
    console.log(`Deleted: ${done.deleted.join(', ') || 'none'}`);
    return 0;
  }
  return withQuery(store, command.range, async (query) => {
    if (command.name === 'sql') {
      if (command.json) await printJsonRows(query.stream(command.query));
      else {
        const rows = await query.all(command.query);
        console.log([...textTable(rows), `(${rows.length} ${rows.length === 1 ? 'row' : 'rows'})`].join('\n'));
      }
    } else if (command.name === 'export') {
      await mkdir(dirname(command.out), { recursive: true });
      const count = await query.exportTo(command.out, command.format);
      console.log(`Exported ${count} event(s) to ${command.out}`);
    } else {
      const stats = await query.stats();
      console.log(command.json ? JSON.stringify(stats, null, 2) : statsTable(stats));
    }
    return 0;
  });
}

/** Loads the archive, reporting each skipped line on stderr and how many there were, and runs `use`. */
async function withQuery(
  store: ArchiveStore,
  range: DayRange,
  use: (query: ArchiveQuery) => Promise<number>,
): Promise<number> {
  let skipped = 0;
  const query = await openArchiveQuery({
    store,
    range,
    onProblem: ({ source, line, problem }) => {
      skipped += 1;
      console.error(`archive: ${source}:${line}: ${problem} (skipped)`);
    },
  });
  if (skipped > 0) console.error(`archive: ${skipped} bad line(s) skipped`);
  try {
    return await use(query);
  } finally {
    await query.close();
  }
}

// A JSON array written a row at a time: a large result is never held whole.
async function printJsonRows(rows: AsyncIterable<unknown>): Promise<void> {
  let separator = '[\n';
  for await (const row of rows) {
    process.stdout.write(`${separator}${JSON.stringify(row)}`);
    separator = ',\n';
  }
  process.stdout.write(separator === '[\n' ? '[]\n' : '\n]\n');
}

function statsTable({ days, total }: ArchiveStats): string {
  const row = (day: string, parts: number, bytes: number, state: string, events: number, deadLetters: number) => ({
    day,
    parts,
    bytes,
    state,
    events,
    dead_letters: deadLetters,
  });
  return textTable([
    ...days.map((day) => row(day.day, day.parts, day.bytes, dayState(day), day.events, day.deadLetters)),
    row(`total (${total.days} days)`, total.parts, total.bytes, '', total.events, total.deadLetters),
  ]).join('\n');
}

// A day can have counts but no folder: a batch processed before midnight and written just after it.
function dayState({ parts, open }: { parts: number; open: boolean }): string {
  if (parts === 0) return '';
  return open ? 'open' : 'compressed';
}
