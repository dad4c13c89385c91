import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Errors, isKesError, listPage, type Keystore, type KeystoreStatus, type ListResult } from '@kes/core';

/** On-disk format: `{ "version": 1, "keys": { "<name>": "<base64 value>" } }`. */
interface StoreFile {
  version: 1;
  keys: Record<string, string>;
}

/**
 * A keystore that keeps every key in one JSON file, written atomically (temporary file + rename) after each change.
 * An example of a third-party backend: it uses only the public `@kes/core` API (the {@link Keystore} contract, the
 * error catalog and `listPage`). One process per file: changes are serialized in memory, not across processes.
 */
export class JsonFileKeystore implements Keystore {
  readonly #file: string;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  /** @param file - absolute path of the JSON file; it is created on the first write. Prefer {@link JsonFileKeystore.open}. */
  constructor(file: string) {
    this.#file = file;
  }

  /**
   * Opens the store in `file`, creating its directory (0700) first so that {@link JsonFileKeystore.status} succeeds.
   * @throws Error when the directory cannot be created.
   */
  static async open(file: string): Promise<JsonFileKeystore> {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    return new JsonFileKeystore(file);
  }

  /** @throws KesError KEY_EXISTS when `name` is taken; KEYSTORE_UNREACHABLE after close or when the file cannot be written. */
  async create(name: string, value: Uint8Array, signal?: AbortSignal): Promise<void> {
    this.#check(signal);
    const copy = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
    await this.#exclusive(async () => {
      const store = await this.#read();
      if (Object.hasOwn(store.keys, name)) throw Errors.keyExists();
      store.keys[name] = copy;
      await this.#write(store);
    });
  }

  /** @throws KesError KEY_NOT_FOUND when absent; KEYSTORE_UNREACHABLE after close or when the file cannot be read. */
  async get(name: string, signal?: AbortSignal): Promise<Uint8Array> {
    this.#check(signal);
    const store = await this.#read();
    if (!Object.hasOwn(store.keys, name)) throw Errors.keyNotFound();
    return new Uint8Array(Buffer.from(store.keys[name]!, 'base64'));
  }

  /** Deletes `name`; resolves when it is absent. */
  async delete(name: string, signal?: AbortSignal): Promise<void> {
    this.#check(signal);
    await this.#exclusive(async () => {
      const store = await this.#read();
      if (!Object.hasOwn(store.keys, name)) return;
      delete store.keys[name];
      await this.#write(store);
    });
  }

  /** One page of names with `prefix` (KES list semantics through core's `listPage`). */
  async list(prefix: string, limit: number, signal?: AbortSignal): Promise<ListResult> {
    this.#check(signal);
    return listPage(Object.keys((await this.#read()).keys), prefix, limit);
  }

  /** Stats the file's directory. @throws KesError KEYSTORE_UNREACHABLE when it is gone or unreadable. */
  async status(signal?: AbortSignal): Promise<KeystoreStatus> {
    this.#check(signal);
    const started = performance.now();
    try {
      await stat(dirname(this.#file));
    } catch (err) {
      throw Errors.keystoreUnreachable(`example: ${(err as Error).message}`, err);
    }
    return { latencyMs: performance.now() - started };
  }

  /** Waits for pending writes; later calls fail with KEYSTORE_UNREACHABLE. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#queue.catch(() => undefined);
  }

  #check(signal: AbortSignal | undefined): void {
    signal?.throwIfAborted();
    if (this.#closed) throw Errors.keystoreUnreachable('example: keystore is closed');
  }

  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #read(): Promise<StoreFile> {
    let text: string;
    try {
      text = await readFile(this.#file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, keys: {} };
      throw Errors.keystoreUnreachable(`example: ${(err as Error).message}`, err);
    }
    try {
      const parsed = JSON.parse(text) as StoreFile;
      if (parsed.version !== 1 || typeof parsed.keys !== 'object' || parsed.keys === null) throw new Error('unknown format');
      return { version: 1, keys: Object.assign(Object.create(null) as Record<string, string>, parsed.keys) };
    } catch (err) {
      throw Errors.keystoreUnavailable(new Error(`example: ${this.#file} is not a key file: ${(err as Error).message}`, { cause: err }));
    }
  }

  async #write(store: StoreFile): Promise<void> {
    const tmp = `${this.#file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await mkdir(dirname(this.#file), { recursive: true });
      await writeFile(tmp, JSON.stringify(store), { mode: 0o600, flush: true });
      await rename(tmp, this.#file);
    } catch (err) {
      if (isKesError(err)) throw err;
      throw Errors.keystoreUnreachable(`example: ${(err as Error).message}`, err);
    }
  }
}
