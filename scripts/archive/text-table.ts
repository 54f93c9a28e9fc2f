import type { JsonValue } from '../../libs/archive/index.js';

/**
 * Rows as an aligned text table: the column names, a rule, a line per row (numbers right-aligned, NULL for
 * null, nested values as JSON, newlines shown as \n so each row stays on one line). No rows: no lines.
 */
export function textTable(rows: readonly Record<string, JsonValue>[]): string[] {
  const [first] = rows;
  if (first === undefined) return [];
  const columns = Object.keys(first).map((name) => {
    const texts = rows.map((row) => cellText(row[name] ?? null));
    const width = Math.max(name.length, ...texts.map((text) => text.length));
    const numeric = rows.every((row) => typeof row[name] === 'number' || row[name] === null);
    return { name, texts, pad: (text: string) => (numeric ? text.padStart(width) : text.padEnd(width)) };
  });
  const line = (cells: string[]) => cells.join('  ').trimEnd();
  return [
    line(columns.map((column) => column.pad(column.name))),
    line(columns.map((column) => '-'.repeat(column.pad('').length))),
    ...rows.map((_, i) => line(columns.map((column) => column.pad(column.texts[i] ?? '')))),
  ];
}

function cellText(value: JsonValue): string {
  const text = value === null ? 'NULL' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.replaceAll('\n', '\\n');
}
