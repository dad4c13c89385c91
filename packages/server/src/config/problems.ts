/**
 * Config problems: every error or warning found in a config file, with its YAML path and line, reported together.
 */

/** A place in the config file that a problem refers to. */
export interface ConfigLocation {
  /** Dotted YAML path (`policy.my-app.identities[1]`); `''` = the document itself. */
  readonly path: string;
  /** 1-based line number, when the path (or a parent of it) exists in the file. */
  readonly line?: number;
}

/** One problem in a config file. */
export interface ConfigProblem extends ConfigLocation {
  /** What is wrong. Upstream KES's exact text where one exists (e.g. `kesconf: no keystore specified`). */
  readonly message: string;
  /** How to fix it. */
  readonly hint?: string;
  /** Other places the message talks about (e.g. the first of two duplicate keys). */
  readonly related?: readonly ConfigLocation[];
}

/**
 * Thrown when a config file cannot be used: carries every problem found (never just the first).
 * The message is the formatted list (see {@link formatConfigProblems}).
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  /**
   * @param problems - at least one problem, in file order.
   * @param file - the config file's name as given by the user, for messages.
   */
  constructor(
    readonly problems: readonly ConfigProblem[],
    readonly file?: string,
  ) {
    super(formatConfigProblems(problems, file));
  }
}

/**
 * Formats problems as lines a user can act on, e.g.
 * `config.yml:12: policy.minio-server.allow: mapping key 'allow' is defined twice (see line 4)` followed by an
 * indented `hint:` line. Never throws.
 */
export function formatConfigProblems(problems: readonly ConfigProblem[], file?: string): string {
  const head =
    problems.length === 1 ? `1 problem in ${file ?? 'the config'}:` : `${problems.length} problems in ${file ?? 'the config'}:`;
  return [head, ...problems.map((p) => formatConfigProblem(p, file))].join('\n');
}

/** Formats one problem (see {@link formatConfigProblems}). Never throws. */
export function formatConfigProblem(problem: ConfigProblem, file?: string): string {
  const where = `${file ?? 'config'}${problem.line === undefined ? '' : `:${problem.line}`}`;
  const path = problem.path === '' ? '' : `${problem.path}: `;
  let text = `  ${where}: ${path}${problem.message}`;
  if (problem.related !== undefined && problem.related.length > 0) {
    text += ` (see ${problem.related.map((l) => formatLocation(l, problem.path)).join(', ')})`;
  }
  if (problem.hint !== undefined) text += `\n      hint: ${problem.hint}`;
  return text;
}

/** Sorts problems by line (problems without a line last), keeping the order of equal lines. */
export function sortProblems(problems: readonly ConfigProblem[]): ConfigProblem[] {
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.line ?? Infinity) - (b.p.line ?? Infinity) || a.i - b.i)
    .map(({ p }) => p);
}

// --- Internal helpers ---

/** `path in line N`, with `path` shortened to its part below `base` when it lies inside `base`. */
function formatLocation(l: ConfigLocation, base: string): string {
  const path = base !== '' && l.path.startsWith(`${base}.`) ? l.path.slice(base.length + 1) : l.path;
  return l.line === undefined ? path : `${path} in line ${l.line}`;
}
