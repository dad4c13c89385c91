import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LogLevel } from '../log/levels.js';
import { formatLogLevel, parseLogLevel } from './log-level.js';

describe('parseLogLevel', () => {
  it.each([
    ['', 0],
    ['on', 0],
    ['ON', 0],
    [' info ', 0],
    ['INFO', 0],
    ['off', 9],
    ['OFF', 9],
    ['debug', -4],
    ['Warn', 4],
    ['error', 8],
    ['INFO+2', 2],
    ['warn-1', 3],
    ['error+1', 9],
    ['DEBUG-4', -8],
    ['12', 12],
    ['-4', -4],
    ['+3', 3],
  ])('%j → %d', (text, level) => {
    expect(parseLogLevel(text)).toBe(level);
  });

  it.each(['yes', 'true', 'verbose', 'INFO+', 'INFO+x', 'info 2', 'INFO+2+1', '1.5', 'warning', '99999999999'])('rejects %j', (text) => {
    expect(parseLogLevel(text)).toBeUndefined();
  });

  it('off disables even ERROR', () => {
    expect(parseLogLevel('off')!).toBeGreaterThan(LogLevel.ERROR);
  });

  it('parses what formatLogLevel prints (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 1000 }), (level) => {
        expect(parseLogLevel(formatLogLevel(level))).toBe(level);
      }),
    );
  });
});

describe('formatLogLevel', () => {
  it.each([
    [-4, 'DEBUG'],
    [-5, 'DEBUG-1'],
    [0, 'INFO'],
    [2, 'INFO+2'],
    [4, 'WARN'],
    [8, 'ERROR'],
    [9, 'ERROR+1'],
  ])('%d → %s', (level, text) => {
    expect(formatLogLevel(level)).toBe(text);
  });
});
