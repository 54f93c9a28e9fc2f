import winston from 'winston';
import { redactText, redactValue } from './redact.js';

const { combine, timestamp, printf } = winston.format;

// Fields winston itself owns; everything else on a log entry is caller data.
const ownKeys = new Set(['level', 'message', 'timestamp', 'component']);

const redact = winston.format((info) => {
  info.message = redactText(String(info.message));
  Object.assign(info, redactValue(callerFields(info)));
  return info;
});

function callerFields(info: winston.Logform.TransformableInfo): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(info)) if (!ownKeys.has(key)) fields[key] = info[key];
  return fields;
}

function renderField(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : JSON.stringify(value);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

// Local time as the original spec prints it (2026-11-26 19:30:15,234), without a date-format library on
// the per-event hot path.
function localTimestamp(): string {
  const d = new Date();
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`;
}

/** The original spec's style: `2026-11-26 19:30:15,234 - INFO - receiver - Event received: ...`, then key=value. */
export const textFormat = combine(
  redact(),
  timestamp({ format: localTimestamp }),
  printf((info) => {
    const head = `${String(info.timestamp)} - ${info.level.toUpperCase()} - ${String(info.component ?? '-')} - ${String(info.message)}`;
    const tail = Object.entries(callerFields(info)).map(([key, value]) => `${key}=${renderField(value)}`);
    return tail.length > 0 ? `${head} ${tail.join(' ')}` : head;
  }),
);

/** One JSON object per line for log shippers. */
export const jsonFormat = combine(redact(), timestamp(), winston.format.json());
