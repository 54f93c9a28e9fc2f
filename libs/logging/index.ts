export { createLogger, type Logger, type LogFields, type CreateLoggerOptions } from './logger.js';
export { lineStream } from './line-stream.js';
export { redactText, redactValue } from './redact.js';
