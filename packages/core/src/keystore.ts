/**
 * The Keystore contract: the TypeScript mirror of KES's `KeyStore` (spec `kes-protocol.md` §8.1, DESIGN.md).
 *
 * Values are opaque bytes (the stored-key codec lives in core, not in backends). Keys are immutable: there is no
 * update or overwrite. A backend translates its provider's errors into the catalog ({@link Errors}) at its boundary.
 * Every method takes an optional `AbortSignal`; an aborted call rejects with the signal's reason.
 */
export interface Keystore {
  /**
   * Stores `value` under `name` if and only if no entry with that name exists.
   * @throws KesError `KEY_EXISTS` when the name is taken (even if the existing value is identical);
   *   `KEYSTORE_UNREACHABLE` when the backend cannot be reached; any other `KesError` for other failures.
   */
  create(name: string, value: Uint8Array, signal?: AbortSignal): Promise<void>;

  /**
   * Returns the value stored under `name` (a copy the caller may keep).
   * @throws KesError `KEY_NOT_FOUND` when absent; `KEYSTORE_UNREACHABLE` when the backend cannot be reached.
   */
  get(name: string, signal?: AbortSignal): Promise<Uint8Array>;

  /**
   * Deletes the entry `name`. May resolve or throw `KEY_NOT_FOUND` when it is absent (backend dependent).
   */
  delete(name: string, signal?: AbortSignal): Promise<void>;

  /**
   * Returns the first `limit` names (sorted ascending, byte order) that start with `prefix`, and the name at which
   * the next page starts (`continueAt`, empty at the end). `limit <= 0` means the default page size
   * ({@link DEFAULT_LIST_PAGE_SIZE}). An empty prefix matches every name.
   */
  list(prefix: string, limit: number, signal?: AbortSignal): Promise<ListResult>;

  /**
   * Health probe. Resolves with the observed latency.
   * @throws KesError `KEYSTORE_UNREACHABLE` for network/sealed problems; any other error means "unavailable".
   */
  status(signal?: AbortSignal): Promise<KeystoreStatus>;

  /** Releases resources (connections, timers). Idempotent. */
  close(): Promise<void>;
}

/** One page of a {@link Keystore.list} call. */
export interface ListResult {
  /** Names in ascending byte order. */
  names: string[];
  /** First name of the next page; `''` when this is the last page. */
  continueAt: string;
}

/** Result of {@link Keystore.status}. */
export interface KeystoreStatus {
  /** Round-trip latency of the probe in milliseconds (fractional allowed). */
  latencyMs: number;
}

/** The page size KES's shared list helper caps every page at (`internal/keystore.List`). */
export const DEFAULT_LIST_PAGE_SIZE = 1024;
