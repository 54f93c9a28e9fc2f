import { configuredArchiveStore } from '../../libs/archive/index.js';
import { loadConfigOrExit } from '../../libs/runtime/index.js';
import { parseArchiveArgs } from './archive-args.js';
import { runArchiveCommand } from './run-archive-command.js';

const usage = `Usage:
  npm run archive -- sql "<query>" [--json] [--from DAY] [--to DAY]
      query the archive: tables events and dead_letters, each event once (DuckDB SQL)
  npm run archive -- export --from DAY --to DAY --format parquet|csv|jsonl [--out FILE]
      write the events of those days to FILE (default data/exports/events-<from>-<to>.<format>)
  npm run archive -- stats [--json] [--from DAY] [--to DAY]
      days, events, dead letters and bytes, per day and in total
  npm run archive -- maintain
      compress the closed days and delete the days older than DAY15_ARCHIVE_DAYS
DAY is a UTC day, YYYY-MM-DD; the archive is the folder DAY15_ARCHIVE_DIR.`;

// npm run archive: the event archive (DAY15_ARCHIVE_DIR) as the consumers wrote it, queried with DuckDB.
async function main(): Promise<number> {
  const parsed = parseArchiveArgs(process.argv.slice(2));
  if ('error' in parsed) {
    console.error(`${parsed.error}\n\n${usage}`);
    return 2;
  }
  const { archive } = loadConfigOrExit();
  const store = configuredArchiveStore(archive);
  try {
    return await runArchiveCommand(parsed.command, store);
  } finally {
    await store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`archive failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
