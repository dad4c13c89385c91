import { parseGoDuration } from './duration.js';
import { substituteEnv, type Env } from './env.js';
import type { ConfigLocation, ConfigProblem } from './problems.js';
import { entryOf, isNull, type MapNode, type ScalarNode, type TreeNode } from './yaml-tree.js';

/** A path in the config document: mapping keys and sequence indexes. */
export type Path = readonly (string | number)[];

/** `['policy', 'my-app', 'identities', 1]` → `policy.my-app.identities[1]`. Never throws. */
export function formatPath(path: Path): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out === '' ? seg : `.${seg}`;
  return out;
}

const KIND_NAMES = { scalar: 'a single value', map: 'a mapping (key: value lines)', seq: 'a list' } as const;

/**
 * Typed, problem-collecting access to a parsed config tree. Every read takes the node and its path; problems are
 * collected (never thrown) with the path's line, so a whole file is validated in one pass.
 */
export class ConfigReader {
  readonly problems: ConfigProblem[] = [];
  readonly warnings: ConfigProblem[] = [];

  constructor(
    readonly root: TreeNode | undefined,
    private readonly env: Env,
  ) {}

  /** The node at `path` (first occurrence of duplicate keys), or `undefined`. */
  node(path: Path): TreeNode | undefined {
    let node = this.root;
    for (const seg of path) {
      if (node === undefined) return undefined;
      if (typeof seg === 'number') node = node.kind === 'seq' ? node.items[seg] : undefined;
      else node = node.kind === 'map' ? entryOf(node, seg)?.value : undefined;
    }
    return node;
  }

  /** Line of `path`: the key's line for mapping entries, else the node's; the nearest present parent's if absent. */
  lineOf(path: Path): number | undefined {
    let node = this.root;
    let line: number | undefined = node?.line;
    for (const seg of path) {
      if (node === undefined) break;
      if (typeof seg === 'number') {
        node = node.kind === 'seq' ? node.items[seg] : undefined;
        if (node !== undefined) line = node.line;
      } else {
        const entry = node.kind === 'map' ? entryOf(node, seg) : undefined;
        node = entry?.value;
        if (entry !== undefined) line = entry.line;
      }
    }
    return line === 0 ? undefined : line;
  }

  /** Location of `path` for problem reports. */
  locate(path: Path, line = this.lineOf(path)): ConfigLocation {
    return line === undefined ? { path: formatPath(path) } : { path: formatPath(path), line };
  }

  /** Records an error at `path`. `related` paths are reported with their lines. */
  error(path: Path, message: string, hint?: string, related?: readonly Path[], line?: number): void {
    this.problems.push(this.problem(path, message, hint, related, line));
  }

  /** Records a warning at `path` (does not stop the start). */
  warn(path: Path, message: string, hint?: string, related?: readonly Path[], line?: number): void {
    this.warnings.push(this.problem(path, message, hint, related, line));
  }

  /** Builds a problem without recording it. */
  problem(path: Path, message: string, hint?: string, related?: readonly Path[], line?: number): ConfigProblem {
    return {
      ...this.locate(path, line ?? this.lineOf(path)),
      message,
      ...(hint === undefined ? {} : { hint }),
      ...(related === undefined || related.length === 0 ? {} : { related: related.map((r) => this.locate(r)) }),
    };
  }

  /**
   * The text of a scalar with `${VAR}` substituted (spec §6.1) unless `env` is false. `null` → `''`.
   * @returns `undefined` (and records a problem) for a mapping/list or a missing variable.
   */
  text(node: TreeNode | undefined, path: Path, opts: { env?: boolean } = {}): string | undefined {
    if (node === undefined) return undefined;
    if (node.kind !== 'scalar') return this.wrongKind(node, path, 'scalar');
    if (node.value === null && node.text === '') return '';
    if (opts.env === false) return node.text;
    const s = substituteEnv(node.text, this.env);
    if (s.missing !== undefined) {
      this.error(
        path,
        `kesconf: referenced env. variable '${s.missing}' in line '${node.line}' not found`,
        `set the environment variable ${s.missing} (an empty value is allowed) before starting the server, or write the value into the file`,
      );
      return undefined;
    }
    return s.text;
  }

  /** A boolean: YAML true/false, or the YAML 1.1 words yaml.v3 accepts (yes/no/on/off/y/n). */
  bool(node: TreeNode | undefined, path: Path): boolean | undefined {
    if (node === undefined || isNull(node)) return undefined;
    if (node.kind === 'scalar' && typeof node.value === 'boolean' && node.plain) return node.value;
    const text = this.text(node, path);
    if (text === undefined) return undefined;
    const parsed = parseBool(text);
    if (parsed === undefined) this.error(path, `invalid boolean '${text}'`, 'write true or false');
    return parsed;
  }

  /** A Go duration in nanoseconds; bare YAML integers are rejected like yaml.v3 does. */
  duration(node: TreeNode | undefined, path: Path): bigint | undefined {
    if (node === undefined || isNull(node)) return undefined;
    if (node.kind === 'scalar' && node.plain && typeof node.value === 'number') {
      this.error(path, `invalid duration '${node.text}': a duration needs a unit`, `write a Go duration such as ${node.text}s, 5m or 1h30m`);
      return undefined;
    }
    const text = this.text(node, path);
    if (text === undefined) return undefined;
    const ns = parseGoDuration(text);
    if (ns === undefined) this.error(path, `invalid duration '${text}'`, 'write a Go duration such as 30s, 5m0s, 1h or 500ms');
    return ns;
  }

  /** A mapping; `null` (an empty value) → `undefined` without a problem; a scalar or list → problem. */
  map(node: TreeNode | undefined, path: Path): MapNode | undefined {
    if (node === undefined || isNull(node)) return undefined;
    if (node.kind !== 'map') return this.wrongKind(node, path, 'map');
    return node;
  }

  /** A list's items; `null` → `[]`; a mapping or non-null scalar → problem and `undefined`. */
  seq(node: TreeNode | undefined, path: Path): readonly TreeNode[] | undefined {
    if (node === undefined || isNull(node)) return [];
    if (node.kind !== 'seq') return this.wrongKind(node, path, 'seq');
    return node.items;
  }

  /**
   * Plain JS data for a subtree (for keystore blocks): scalars keep their YAML type, except that `${VAR}` scalars
   * become the variable's text. Missing variables are recorded as problems (and yield `null`).
   */
  plain(node: TreeNode | undefined, path: Path): unknown {
    if (node === undefined) return null;
    switch (node.kind) {
      case 'scalar': {
        if (node.value === null) return null;
        const s = substituteEnv(node.text, this.env);
        if (!s.substituted) return node.value;
        return this.text(node, path) ?? null;
      }
      case 'seq':
        return node.items.map((item, i) => this.plain(item, [...path, i]));
      case 'map': {
        const out: Record<string, unknown> = {};
        for (const e of node.entries) if (!Object.hasOwn(out, e.key)) out[e.key] = this.plain(e.value, [...path, e.key]);
        return out;
      }
    }
  }

  private wrongKind(node: TreeNode, path: Path, expected: ScalarNode['kind'] | 'map' | 'seq'): undefined {
    const example = expected === 'seq' ? 'write one "- item" line per entry' : expected === 'map' ? 'indent its fields below it' : 'write one value on the same line';
    this.error(path, `expected ${KIND_NAMES[expected]}, found ${KIND_NAMES[node.kind]}`, example);
    return undefined;
  }
}

/** yaml.v3's accepted boolean words (YAML 1.2 core plus the 1.1 variants it honours for typed bools). */
export function parseBool(text: string): boolean | undefined {
  if (['true', 'True', 'TRUE', 'y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON'].includes(text)) return true;
  if (['false', 'False', 'FALSE', 'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF'].includes(text)) return false;
  return undefined;
}
