import type { Logger } from './logger.js';

/** One logger writing to several: the human text on stderr and the JSON lines of --log-file see the same lines. */
export function teeLogger(loggers: readonly Logger[]): Logger {
  if (loggers.length === 1) return loggers[0]!;
  return {
    debug: (message, fields) => loggers.forEach((logger) => logger.debug(message, fields)),
    info: (message, fields) => loggers.forEach((logger) => logger.info(message, fields)),
    warn: (message, fields) => loggers.forEach((logger) => logger.warn(message, fields)),
    error: (message, fields) => loggers.forEach((logger) => logger.error(message, fields)),
    child: (fields) => teeLogger(loggers.map((logger) => logger.child(fields))),
  };
}
