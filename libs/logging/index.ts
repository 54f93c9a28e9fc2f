export { createLogger, type Logger, type LogFields, type CreateLoggerOptions } from './logger.js';
export { redactText, redactValue } from './redact.js';
