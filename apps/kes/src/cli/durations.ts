/**
 * Go duration strings (`720h`, `5s`, `1.204s`), parsed and formatted by the server's config module — imported on first
 * use only, so that commands without durations start faster.
 */

/** Parse and format functions for Go durations (nanoseconds as bigint). */
export interface Durations {
  /** @returns nanoseconds, or undefined for text that is not a Go duration. */
  parse(text: string): bigint | undefined;
  /** Go's `Duration.String()`. */
  format(ns: bigint): string;
}

let loaded: Promise<Durations> | undefined;

/** Loads (once) and returns the duration functions. */
export function loadDurations(): Promise<Durations> {
  loaded ??= import('@kes/server/config').then((m) => ({ parse: m.parseGoDuration, format: m.formatGoDuration }));
  return loaded;
}
