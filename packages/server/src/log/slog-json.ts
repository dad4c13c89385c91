/**
 * One log record as a Go `slog.JSONHandler` line: `{"time":…,"level":…,"msg":…}` plus the attributes, where a
 * dotted key (`req.method`) becomes a nested group (`"req":{"method":…}`) as slog groups do.
 */
import { goJson } from '../http/respond.js';
import { levelName } from './levels.js';
import { formatLocalTime, type LogAttr } from './slog-text.js';

/** Formats a record as one JSON object without a trailing newline. Never throws. */
export function formatJsonRecord(date: Date, level: number, message: string, attrs: readonly LogAttr[] = []): string {
  const record: Record<string, unknown> = { time: formatLocalTime(date), level: levelName(level), msg: message };
  for (const [key, value] of attrs) {
    if (value === undefined) continue;
    const parts = key.split('.');
    let group = record;
    for (const part of parts.slice(0, -1)) {
      const next = group[part];
      group = (group[part] = typeof next === 'object' && next !== null ? next : {}) as Record<string, unknown>;
    }
    group[parts.at(-1)!] = value;
  }
  return goJson(record);
}
