import { LogLevel, levelName } from '../log/levels.js';

/**
 * KES log levels (spec §6.2 `parseLogLevel`): Go `log/slog` levels, DEBUG -4, INFO 0, WARN 4, ERROR 8, and `off` =
 * ERROR+1 (nothing is logged at or above it).
 */

const NAMES: Readonly<Record<string, number>> = { DEBUG: -4, INFO: 0, WARN: 4, ERROR: 8 };

/**
 * Parses a config log level like KES: case-insensitive and trimmed; `''`, `on` and `info` = INFO; `off` = ERROR+1;
 * `debug`, `warn`, `error`; a name with an offset (`INFO+2`, `warn-1`); or a bare integer (`-4`, `12`).
 * @returns the slog level number, or `undefined` when `text` is not a level.
 */
export function parseLogLevel(text: string): number | undefined {
  const s = text.trim().toLowerCase();
  if (s === 'off') return LogLevel.OFF;
  if (s === '' || s === 'on') return LogLevel.INFO;
  if (/^[+-]?\d+$/.test(s)) return safeInt(s);
  const m = /^([a-z]+)([+-]\d+)?$/.exec(s);
  if (!m) return undefined;
  const base = NAMES[m[1]!.toUpperCase()];
  if (base === undefined) return undefined;
  const offset = m[2] === undefined ? 0 : safeInt(m[2]);
  return offset === undefined ? undefined : base + offset;
}

/** Formats a level like slog's `Level.String()`: `INFO`, `INFO+2`, `ERROR+1`, `DEBUG-1`. Never throws. */
export const formatLogLevel: (level: number) => string = levelName;

// --- Internal helpers ---

function safeInt(s: string): number | undefined {
  const n = Number(s);
  return Number.isSafeInteger(n) && Math.abs(n) <= 2 ** 31 - 1 ? n : undefined;
}
