import type { ConfigPath, KeystoreConfigProblem, KeystoreConfigResult } from '@kes/core';
import { parseGoDuration } from './duration.js';

/**
 * Problem-collecting reads over a keystore block's plain data (what {@link KeystoreDefinition.validate} receives).
 * Used by the spec-only validators of backends whose package is not part of this build.
 */
export class BlockChecker {
  readonly problems: KeystoreConfigProblem[] = [];
  readonly warnings: KeystoreConfigProblem[] = [];

  constructor(readonly block: unknown) {}

  /** True iff a key exists at `path` (even with an empty value). */
  has(path: ConfigPath): boolean {
    const parent = this.raw(path.slice(0, -1));
    const last = path.at(-1);
    return isObject(parent) && typeof last === 'string' && Object.hasOwn(parent, last);
  }

  /** The raw value at `path`, `undefined` when absent. */
  raw(path: ConfigPath): unknown {
    let v: unknown = this.block;
    for (const seg of path) {
      if (typeof seg === 'number') v = Array.isArray(v) ? v[seg] : undefined;
      else v = isObject(v) && Object.hasOwn(v, seg) ? v[seg] : undefined;
    }
    return v;
  }

  /** The mapping at `path`; `null`/absent → `undefined`; anything else → problem. */
  object(path: ConfigPath): Record<string, unknown> | undefined {
    const v = this.raw(path);
    if (v === undefined || v === null) return undefined;
    if (isObject(v)) return v;
    this.problem(path, `${name(path)} must be a mapping`, `indent the fields of '${name(path)}' below it`);
    return undefined;
  }

  /**
   * The text at `path` (numbers and booleans are taken as written); `null`/absent → `''`.
   * With `required`, an empty result records `<field> is required` with the given hint.
   */
  string(path: ConfigPath, opts: { required?: boolean; hint?: string; oneOf?: readonly string[] } = {}): string {
    const v = this.raw(path);
    let s = '';
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') s = String(v);
    else if (v !== undefined && v !== null) {
      this.problem(path, `${name(path)} must be a single value`, 'write the value on the same line as the key');
      return '';
    }
    if (opts.required === true && s.trim() === '') this.problem(path, `${name(path)} is required`, opts.hint);
    if (opts.oneOf !== undefined && s !== '' && !opts.oneOf.includes(s)) {
      this.problem(path, `invalid ${name(path)} '${s}'`, `use one of: ${opts.oneOf.join(', ')}`);
    }
    return s;
  }

  /** A list of texts at `path`; absent → `[]`. */
  strings(path: ConfigPath): string[] {
    const v = this.raw(path);
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) {
      this.problem(path, `${name(path)} must be a list`, 'write one "- value" line per entry');
      return [];
    }
    return v.map((item) => (item === null || item === undefined ? '' : String(item)));
  }

  /** A Go duration at `path` in ms; absent → `undefined`. */
  durationMs(path: ConfigPath): number | undefined {
    const v = this.raw(path);
    if (v === undefined || v === null || v === '') return undefined;
    const ns = typeof v === 'string' ? parseGoDuration(v) : undefined;
    if (ns === undefined || ns < 0n) {
      this.problem(path, `invalid duration '${String(v)}' for ${name(path)}`, 'write a Go duration such as 10s or 1m');
      return undefined;
    }
    return Number(ns) / 1e6;
  }

  /** Records a problem. */
  problem(path: ConfigPath, message: string, hint?: string, related?: readonly ConfigPath[]): void {
    this.problems.push({ path, message, ...(hint === undefined ? {} : { hint }), ...(related ? { related } : {}) });
  }

  /** `{ ok: true, config }` when no problem was recorded, else `{ ok: false, problems }`. */
  result<C>(config: C): KeystoreConfigResult<C> {
    return this.problems.length > 0
      ? { ok: false, problems: this.problems }
      : { ok: true, config, ...(this.warnings.length > 0 ? { warnings: this.warnings } : {}) };
  }
}

/** True for plain objects (YAML mappings), false for arrays and null. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `and`-joined list: `a`, `a and b`, `a, b and c`. */
export function andList(items: readonly string[]): string {
  return items.length <= 2 ? items.join(' and ') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function name(path: ConfigPath): string {
  return path.length === 0 ? 'the block' : path.map(String).join('.');
}
