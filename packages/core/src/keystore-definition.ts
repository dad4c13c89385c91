import type { Keystore } from './keystore.js';

/**
 * A keystore backend as the server's config file sees it: which `keystore:` block selects it, how that block is
 * validated, and how a {@link Keystore} is built from the validated config (DESIGN.md "backend definitions").
 *
 * Every backend package (built-in or third-party) exports one definition, conventionally as the named export
 * `keystoreDefinition` (a third-party module may also use its default export). The server never constructs a
 * backend in any other way.
 *
 * Contract:
 * - {@link KeystoreDefinition.validate} is pure and synchronous: no I/O, no environment reads, never throws. It
 *   reports **every** problem of the block at once, each with a path relative to the block, so the server can add
 *   the YAML line numbers and report them together with the rest of the config file.
 * - {@link KeystoreDefinition.create} is called only with a config that `validate` accepted, once per (re)start.
 *   It may do I/O (create a directory, build an SDK client) but should not wait on the network: health is probed
 *   through {@link Keystore.status}. It rejects with an `Error` whose message says what to fix.
 * - The value `validate` returns is deeply frozen by the server and may be kept by the keystore.
 *
 * @typeParam C - the typed, validated configuration of this backend.
 */
export interface KeystoreDefinition<C = unknown> {
  /**
   * The block path under `keystore:`, dot-separated: `'fs'` selects `keystore: { fs: … }`, `'azure.keyvault'`
   * selects `keystore: { azure: { keyvault: … } }`. Segments are non-empty and contain no `.`.
   */
  readonly name: string;

  /** Human-readable backend name for the start-up banner, e.g. `'Filesystem'`, `'Azure Key Vault'`. */
  readonly title: string;

  /**
   * Validates the block's value as written in the YAML file. `block` holds plain data: strings, numbers, booleans,
   * `null`, arrays and plain objects, exactly as YAML typed them, except that every scalar whose whole trimmed
   * text was `${NAME}` has already been replaced by the environment variable's value (a string). An absent or
   * empty block (`fs:` with nothing after it) arrives as `null`.
   *
   * Unknown fields should be ignored (upstream KES ignores them), but a field that is obviously a slip
   * (a misspelled required field) deserves a problem with a hint.
   *
   * @returns `{ ok: true, config }` or `{ ok: false, problems }` with at least one problem. Never throws.
   */
  validate(block: unknown): KeystoreConfigResult<C>;

  /**
   * Builds the keystore from a config that {@link KeystoreDefinition.validate} accepted.
   * @throws Error (preferably a `KesError`) with a message a user can act on when the keystore cannot be built.
   */
  create(config: C, context: KeystoreContext): Promise<Keystore>;

  /**
   * Where the keys live, for the start-up banner (e.g. the directory or the vault endpoint). Must never include
   * credentials. Optional; the banner shows only {@link KeystoreDefinition.title} without it.
   */
  describe?(config: C): string;
}

/** Outcome of {@link KeystoreDefinition.validate}. */
export type KeystoreConfigResult<C> =
  | {
      readonly ok: true;
      readonly config: C;
      /** Things worth telling the user that do not stop the start (unknown or deprecated fields). */
      readonly warnings?: readonly KeystoreConfigProblem[];
    }
  | { readonly ok: false; readonly problems: readonly KeystoreConfigProblem[] };

/** A path inside a config block: mapping keys and sequence indexes, `[]` = the block itself. */
export type ConfigPath = readonly (string | number)[];

/** One problem found by {@link KeystoreDefinition.validate}. */
export interface KeystoreConfigProblem {
  /**
   * Where the problem is, relative to the block: `['credentials', 'tenant_id']`. For a missing field, the path of
   * the field that should be there (the server then reports the line of the nearest present parent).
   */
  readonly path: ConfigPath;
  /** What is wrong, as one sentence without a trailing period (e.g. `endpoint is required`). */
  readonly message: string;
  /** How to fix it (optional but strongly recommended). */
  readonly hint?: string;
  /** Further paths the message talks about; the server reports each with its line (e.g. both of two conflicting blocks). */
  readonly related?: readonly ConfigPath[];
}

/** What {@link KeystoreDefinition.create} gets besides its config. */
export interface KeystoreContext {
  /** Directory relative paths in the config are resolved against (the server process's working directory). */
  readonly cwd: string;
  /** Emits a warning line to the server's error log (never pass secrets). */
  readonly warn: (message: string) => void;
  /** Aborted when the server gives up starting (e.g. on SIGTERM during start-up). */
  readonly signal?: AbortSignal;
}

/**
 * True iff `value` has the shape of a {@link KeystoreDefinition} (a `name` string, a `title` string, and `validate`
 * and `create` functions). Used by the server to check what a module exports. Never throws.
 */
export function isKeystoreDefinition(value: unknown): value is KeystoreDefinition {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v['name'] === 'string' &&
    isValidBlockPath(v['name']) &&
    typeof v['title'] === 'string' &&
    typeof v['validate'] === 'function' &&
    typeof v['create'] === 'function' &&
    (v['describe'] === undefined || typeof v['describe'] === 'function')
  );
}

/** True iff `name` is a valid {@link KeystoreDefinition.name}: dot-separated non-empty segments. Never throws. */
export function isValidBlockPath(name: string): boolean {
  return name.length > 0 && name.split('.').every((segment) => segment.length > 0 && segment.trim() === segment);
}
