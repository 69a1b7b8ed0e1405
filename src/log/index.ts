export { type LogFile, openLogFile } from './log-file.js';
export { LOG_LEVELS, type Logger, createLogger } from './logger.js';
export { cleanInput, cleanRead, listed, printable, printableLines } from './printable.js';
export { teeLogger } from './tee-logger.js';
