import { parseArgs } from 'node:util';
import { exportFormats, isArchiveDay, type ArchiveDay, type ExportFormat } from '../../libs/archive/index.js';

export interface DayRange {
  from?: ArchiveDay;
  to?: ArchiveDay;
}

/** What `npm run archive -- ...` was asked to do, checked. */
export type ArchiveCommand =
  | { name: 'sql'; query: string; json: boolean; range: DayRange }
  | { name: 'export'; range: Required<DayRange>; format: ExportFormat; out: string }
  | { name: 'stats'; json: boolean; range: DayRange }
  | { name: 'maintain' };

const commandNames = ['sql', 'export', 'stats', 'maintain'] as const;
type CommandName = (typeof commandNames)[number];

// The options each command takes; any other is a usage error rather than silently ignored.
const optionsOf: Record<CommandName, readonly string[]> = {
  sql: ['json', 'from', 'to'],
  export: ['from', 'to', 'format', 'out'],
  stats: ['json', 'from', 'to'],
  maintain: [],
};

/** The command in `args` (process.argv after the script), or what is wrong with them. */
export function parseArchiveArgs(args: string[]): { command: ArchiveCommand } | { error: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        from: { type: 'string' },
        to: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
      },
    });
  } catch (error) {
    return { error: (error as Error).message };
  }
  const { positionals, values } = parsed;
  const [name, ...rest] = positionals;
  if (name === undefined) return { error: 'Missing command' };
  if (!isCommandName(name)) return { error: `Unknown command "${name}"; the commands are ${commandNames.join(', ')}` };
  const stray = Object.keys(values).find((option) => !optionsOf[name].includes(option));
  if (stray !== undefined) return { error: `${name} takes no --${stray}` };
  for (const option of ['from', 'to'] as const) {
    const day = values[option];
    if (day !== undefined && !isArchiveDay(day)) return { error: `--${option} ${day}: expected a day as YYYY-MM-DD` };
  }
  const range = { from: values.from, to: values.to };
  if (range.from !== undefined && range.to !== undefined && range.from > range.to) {
    return { error: `--from ${range.from} is after --to ${range.to}` };
  }
  const json = values.json ?? false;
  if (name === 'sql') {
    const query = rest.join(' ').trim();
    return query === ''
      ? { error: 'sql needs a query, e.g. sql "SELECT count(*) FROM events"' }
      : { command: { name, query, json, range } };
  }
  if (rest.length > 0) return { error: `${name} takes no arguments (got ${rest.join(' ')})` };
  if (name === 'stats') return { command: { name, json, range } };
  if (name === 'maintain') return { command: { name } };
  return exportCommand(range, values.format, values.out);
}

function exportCommand(range: DayRange, format: string | undefined, out: string | undefined) {
  const { from, to } = range;
  if (from === undefined || to === undefined) return { error: 'export needs --from and --to' };
  if (!isExportFormat(format)) return { error: `export needs --format ${exportFormats.join('|')}` };
  const command: ArchiveCommand = {
    name: 'export',
    range: { from, to },
    format,
    out: out ?? `data/exports/events-${from}-${to}.${format}`,
  };
  return { command };
}

function isCommandName(name: string): name is CommandName {
  return (commandNames as readonly string[]).includes(name);
}

function isExportFormat(format: string | undefined): format is ExportFormat {
  return (exportFormats as readonly (string | undefined)[]).includes(format);
}
