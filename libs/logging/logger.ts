import winston from 'winston';
import type { LogFormat, LogLevel } from '../config/index.js';
import { jsonFormat, textFormat } from './line-formats.js';
import { lineStream } from './line-stream.js';
import { StdoutTransport } from './stdout-transport.js';

export type LogFields = Record<string, unknown>;

/** The small logging face every app and script uses; messages are constant text, data goes in fields. */
export interface Logger {
  error(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  isDebugEnabled(): boolean;
  child(bindings: LogFields & { component?: string }): Logger;
}

export interface CreateLoggerOptions {
  level: LogLevel;
  format: LogFormat;
  component: string;
  /** Where lines go; stdout by default (the orchestrator merges children's stdout into the pipeline log). */
  stream?: NodeJS.WritableStream;
  /** Instead of a stream: called with each whole line (the orchestrator writes its own lines into its merged log). */
  writeLine?: (line: string) => void;
}

/**
 * A logger writing one line per entry in the configured format (text: `2026-11-26 19:30:15,234 - INFO -
 * receiver - message key=value`, or JSON), secrets and e-mail addresses redacted, to stdout unless
 * `stream` or `writeLine` says otherwise.
 */
export function createLogger({ level, format, component, stream, writeLine }: CreateLoggerOptions): Logger {
  const winstonLogger = winston.createLogger({
    level,
    format: format === 'json' ? jsonFormat : textFormat,
    transports: [
      stream || writeLine
        ? new winston.transports.Stream({ stream: stream ?? lineStream(writeLine ?? (() => undefined)) })
        : new StdoutTransport(),
    ],
  });
  // A child rather than defaultMeta, so a child logger's own component wins over this one.
  return wrap(winstonLogger.child({ component }));
}

function wrap(target: winston.Logger): Logger {
  return {
    error: (message, fields) => target.error(message, fields),
    warn: (message, fields) => target.warn(message, fields),
    info: (message, fields) => target.info(message, fields),
    debug: (message, fields) => target.debug(message, fields),
    isDebugEnabled: () => target.isDebugEnabled(),
    child: (bindings) => wrap(target.child(bindings)),
  };
}
