import type { ConfigPath, KeystoreConfigProblem } from '@kes/core';

/** A plain YAML mapping as the server hands it to a validator. */
export type PlainMap = Readonly<Record<string, unknown>>;

/** Options of {@link BlockReader.string}. */
export interface StringFieldOptions {
  readonly required?: boolean;
  /** Hint shown when the field is missing, empty or not a string. */
  readonly hint?: string;
}

/**
 * Collects the problems and warnings of one config block while its fields are read. Readers never throw: a bad
 * value is recorded and read as `undefined`, so that validation goes on and reports every problem at once.
 */
export class BlockReader {
  readonly problems: KeystoreConfigProblem[] = [];
  readonly warnings: KeystoreConfigProblem[] = [];

  /** Records a problem (stops the start). */
  problem(path: ConfigPath, message: string, hint?: string, related?: readonly ConfigPath[]): void {
    this.problems.push({ path, message, ...(hint ? { hint } : {}), ...(related ? { related } : {}) });
  }

  /** Records a warning (the start goes on). */
  warn(path: ConfigPath, message: string, hint?: string): void {
    this.warnings.push({ path, message, ...(hint ? { hint } : {}) });
  }

  /**
   * Reads a nested block: `undefined` for an absent or empty (`null`) value, the mapping otherwise.
   * Records a problem (and returns `undefined`) for a scalar or a sequence.
   */
  map(value: unknown, path: ConfigPath, hint: string): PlainMap | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'object' && !Array.isArray(value)) return value as PlainMap;
    this.problem(path, `${label(path)} must be a mapping`, hint);
    return undefined;
  }

  /**
   * Reads a string field and trims it. Absent, `null` and `''` read as `undefined`; a required one is then a
   * problem. Numbers and booleans are problems too: YAML changed their text (`0123` → 123), so they must be quoted.
   */
  string(map: PlainMap | undefined, field: string, path: ConfigPath, options: StringFieldOptions = {}): string | undefined {
    const at = [...path, field];
    const value = map?.[field];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
    if (value === undefined || value === null || value === '' || typeof value === 'string') {
      if (options.required) this.problem(at, `${label(at)} is required`, options.hint);
      return undefined;
    }
    const what = typeof value === 'object' ? shown(value) : `the ${typeof value} ${shown(value)}`;
    const quote = typeof value === 'number' || typeof value === 'boolean' ? `; quote it, e.g. ${field}: "${String(value)}"` : '';
    this.problem(at, `${label(at)} must be a string, not ${what}`, `${options.hint ?? `set ${field} to a text value`}${quote}`);
    return undefined;
  }

  /**
   * Reports the fields of `map` that are not in `known`: a problem with a "did you mean" hint when the field is
   * probably a misspelling of a known field that is absent, else a warning that it is ignored (KES ignores them).
   */
  unknownFields(map: PlainMap | undefined, path: ConfigPath, known: readonly string[]): void {
    if (map === undefined) return;
    for (const field of Object.keys(map)) {
      if (known.includes(field)) continue;
      const at = [...path, field];
      const meant = closestName(field, known.filter((k) => map[k] === undefined || map[k] === null));
      if (meant !== undefined) this.problem(at, `unknown field ${label(at)}`, `did you mean ${meant}?`);
      else this.warn(at, `unknown field ${label(at)} is ignored`, `known fields here: ${known.join(', ')}`);
    }
  }
}

/** `['approle', 'id']` → `approle.id`; the block itself → `vault`. */
export function label(path: ConfigPath): string {
  return path.length === 0 ? 'vault' : path.join('.');
}

/**
 * The candidate closest to `word` (case-insensitive edit distance, `-` and `_` alike), if it is at most 1 edit away
 * for words of up to 4 characters, else 2. Never throws.
 */
export function closestName(word: string, candidates: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/-/g, '_');
  const w = norm(word);
  const limit = w.length <= 4 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(w, norm(candidate));
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return bestDistance <= limit ? best : undefined;
}

/** Optimal-string-alignment distance (insert, delete, substitute, swap two adjacent characters). */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i]!;
      row[j] = Math.min(d[i - 1]![j]! + 1, row[j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** How a YAML value is named in a message: scalars as written, `a mapping`, `a sequence`. Never throws. */
export function shown(value: unknown): string {
  if (Array.isArray(value)) return 'a sequence';
  if (typeof value === 'object' && value !== null) return 'a mapping';
  return String(value);
}
