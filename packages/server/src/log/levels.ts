/**
 * Log levels as Go `log/slog` numbers (spec §6.2 `log.error`/`log.audit`): the config loader turns `on`, `debug`,
 * `INFO+2`, … into these numbers; the server compares and prints them.
 */

/** The named slog levels; `OFF` (ERROR+1) lets nothing through. */
export const LogLevel = { DEBUG: -4, INFO: 0, WARN: 4, ERROR: 8, OFF: 9 } as const;

/**
 * The level's name as slog prints it: `DEBUG`, `INFO`, `WARN`, `ERROR`, or the nearest lower name with an offset
 * (`INFO+2`, `DEBUG-1`, `ERROR+1`). Never throws.
 */
export function levelName(level: number): string {
  const named = (base: string, offset: number) => (offset === 0 ? base : `${base}${offset > 0 ? '+' : ''}${offset}`);
  if (level < LogLevel.INFO) return named('DEBUG', level - LogLevel.DEBUG);
  if (level < LogLevel.WARN) return named('INFO', level - LogLevel.INFO);
  if (level < LogLevel.ERROR) return named('WARN', level - LogLevel.WARN);
  return named('ERROR', level - LogLevel.ERROR);
}
