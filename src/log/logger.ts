/**
 * Structured logs: one JSON object per line (level, time, message, run and
 * source ids) for files and log shippers, or a short readable line on a
 * terminal. Every line passes through the redactor, so a secret that slipped
 * into a message never reaches the log.
 */
import { printableLines } from './printable.js';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
type LogLevel = (typeof LOG_LEVELS)[number];
type LogFields = Record<string, string | number | boolean | bigint | null | undefined>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

interface LoggerOptions {
  format: 'json' | 'text';
  level: LogLevel;
  write: (line: string) => void;
  redact: (text: string) => string;
  clock: () => Date;
  color: boolean;
}

const COLORS: Record<LogLevel, string> = { debug: '\u001b[2m', info: '', warn: '\u001b[33m', error: '\u001b[31m' };

export function createLogger(options: LoggerOptions, base: LogFields = {}): Logger {
  const threshold = LOG_LEVELS.indexOf(options.level);
  const emit = (level: LogLevel, message: string, fields: LogFields = {}): void => {
    if (LOG_LEVELS.indexOf(level) < threshold) return;
    const merged = { ...base, ...fields };
    if (options.format === 'json') {
      const record: Record<string, unknown> = { level, time: options.clock().toISOString(), message };
      for (const [key, value] of Object.entries(merged)) {
        if (value !== undefined) record[key] = typeof value === 'bigint' ? value.toString() : value;
      }
      options.write(options.redact(printableLines(JSON.stringify(record))));
      return;
    }
    const context = Object.entries(merged)
      .filter(([key, value]) => value !== undefined && value !== null && key !== 'runId')
      .map(([key, value]) => `${key}=${String(value)}`)
      .join(' ');
    const text = printableLines(`${level === 'info' ? '' : `${level}: `}${message}${context ? `  (${context})` : ''}`);
    const painted = options.color && COLORS[level] ? `${COLORS[level]}${text}\u001b[0m` : text;
    options.write(options.redact(painted));
  };
  return {
    debug: (message, fields) => emit('debug', message, fields),
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
    child: (fields) => createLogger(options, { ...base, ...fields }),
  };
}

/** A logger that drops everything: for pure library use and tests that do not look at logs. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};
