export { createLogger, type Logger, type LogFields, type CreateLoggerOptions } from './logger.js';
