import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { openLogFile } from '../../src/log/log-file.js';
import { createLogger } from '../../src/log/logger.js';
import { teeLogger } from '../../src/log/tee-logger.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir('ledgerline-log-');

describe('--log-file', () => {
  it('appends JSON lines after what the file already holds, while stderr gets the readable text', () => {
    const path = join(tempDir(), 'ledgerline.log');
    writeFileSync(path, '{"message":"yesterday"}\n');
    const file = openLogFile(path);
    const stderr: string[] = [];
    const clock = () => new Date('2026-03-05T02:30:00.000Z');
    const redact = (text: string) => text.split('panel-secret-key').join('[redacted]');
    const logger = teeLogger([
      createLogger({ format: 'text', level: 'info', write: (line) => stderr.push(line), redact, clock, color: false }),
      createLogger({
        format: 'json',
        level: 'info',
        write: (line) => file.writeLine(line),
        redact,
        clock,
        color: false,
      }),
    ]).child({ runId: 'run:1', sourceId: null });

    logger.child({ sourceId: 'smm-panel' }).warn('HTTP 502 with key panel-secret-key; retrying');
    logger.info('scheduled run finished: ok');
    logger.debug('below the level: nowhere');
    file.close();

    expect(stderr).toEqual([
      'warn: HTTP 502 with key [redacted]; retrying  (sourceId=smm-panel)',
      'scheduled run finished: ok',
    ]);
    expect(
      readFileSync(path, 'utf8')
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown),
    ).toEqual([
      { message: 'yesterday' },
      {
        level: 'warn',
        time: '2026-03-05T02:30:00.000Z',
        message: 'HTTP 502 with key [redacted]; retrying',
        runId: 'run:1',
        sourceId: 'smm-panel',
      },
      {
        level: 'info',
        time: '2026-03-05T02:30:00.000Z',
        message: 'scheduled run finished: ok',
        runId: 'run:1',
        sourceId: null,
      },
    ]);
  });

  it('a file that cannot be opened is a usage error naming it', () => {
    const path = join(tempDir(), 'missing-folder', 'ledgerline.log');
    expect(() => openLogFile(path)).toThrow(UsageError);
    expect(() => openLogFile(path)).toThrow(`--log-file ${path}: cannot be opened for appending (ENOENT)`);
  });
});
