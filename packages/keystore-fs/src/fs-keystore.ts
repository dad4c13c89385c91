import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Errors, listPage, type Keystore, type KeystoreStatus, type ListResult } from '@kes/core';
import { createKeyFile, describeError } from './fs-create.js';
import { FileTooLargeError, hasCode, nodeFsIo, type FsIo } from './fs-io.js';
import { assertFsKeyName, isValidFsKeyName } from './fs-names.js';
import { removeStaleTempFiles, STALE_TEMP_AGE_MS } from './fs-temp-sweep.js';

/** Largest value an fs keystore reads or writes: 1 MiB (KES reads at most that much). */
export const FS_MAX_VALUE_BYTES = 1 << 20;

/** Options of an {@link FsKeystore}. */
export interface FsKeystoreOptions {
  /** File-system primitives; a seam for fault-injection tests. @default nodeFsIo */
  io?: FsIo;
}

/**
 * The `fs` keystore of KES (spec §6.3): one file per key in one directory, file name = key name, content = the stored
 * value, byte for byte. A directory written by upstream KES is read unchanged, and upstream KES reads ours.
 *
 * - The directory is created (mode 0755, with parents) on first use; a path that exists but is no directory is an error.
 *   First use (or {@link FsKeystore.open}) also removes temporary files abandoned by a killed process: those older
 *   than {@link STALE_TEMP_AGE_MS} (see {@link removeStaleTempFiles} for the rule and why it is safe).
 * - `create` writes a temporary file (`.kes-tmp-…`, mode 0600, fsynced), hard-links it to the key name (atomic and
 *   exclusive: `EEXIST` → `KEY_EXISTS`) and fsyncs the directory, so a key file is either absent or complete; its
 *   answer matches what is stored, also when a step fails or the directory is moved meanwhile (see {@link createKeyFile}).
 * - Names must satisfy {@link isValidFsKeyName}, else `INVALID_KEY_CONFIG` (`fs: key name contains invalid character`).
 * - Values larger than {@link FS_MAX_VALUE_BYTES} are refused on create and never read into memory on get.
 * - `list` shows regular files (and symlinks to them) whose names are valid key names; temporary (`.kes-tmp-…`) and
 *   other dot files and subdirectories are never listed.
 * - Errors: `KEY_EXISTS`, `KEY_NOT_FOUND` as the contract says; other I/O failures become `CREATE_KEY_FAILED`,
 *   `READ_KEY_FAILED`, `DELETE_KEY_FAILED` or `LIST_KEYS_FAILED` with the Node error as `cause`; a directory that
 *   cannot be created or stat'ed, and every call after {@link FsKeystore.close}, give `KEYSTORE_UNREACHABLE`.
 */
export class FsKeystore implements Keystore {
  /** The absolute key directory. */
  readonly dir: string;
  readonly #io: FsIo;
  #ready: Promise<void> | undefined;
  #closed = false;

  /** Does no I/O; the directory is prepared by the first call (or {@link FsKeystore.open}). */
  constructor(dir: string, options: FsKeystoreOptions = {}) {
    this.dir = resolve(dir);
    this.#io = options.io ?? nodeFsIo;
  }

  /**
   * Constructs a keystore and prepares its directory at once (what the server does at start-up).
   * @throws KesError `KEYSTORE_UNREACHABLE` when the directory cannot be created or is not a directory.
   */
  static async open(dir: string, options?: FsKeystoreOptions): Promise<FsKeystore> {
    const keystore = new FsKeystore(dir, options);
    await keystore.#prepare();
    return keystore;
  }

  /**
   * Stores `value` under `name` iff no such file exists (see {@link createKeyFile} for the write protocol and for how
   * the answer matches what is stored when something fails).
   * @throws KesError `INVALID_KEY_CONFIG`, `KEY_EXISTS`, `CREATE_KEY_FAILED`, `KEYSTORE_UNREACHABLE`; the signal's reason.
   */
  async create(name: string, value: Uint8Array, signal?: AbortSignal): Promise<void> {
    assertFsKeyName(name);
    await this.#begin(signal);
    if (value.byteLength > FS_MAX_VALUE_BYTES) {
      throw Errors.createKeyFailed(new RangeError(`fs: value is larger than ${FS_MAX_VALUE_BYTES} bytes`));
    }
    await createKeyFile(this.#io, this.dir, name, value, signal);
  }

  /**
   * @returns the file's bytes, unchanged.
   * @throws KesError `INVALID_KEY_CONFIG`; `KEY_NOT_FOUND` when there is no such regular file; `INVALID_STORED_KEY`
   *   when the file is larger than 1 MiB; `READ_KEY_FAILED`, `KEYSTORE_UNREACHABLE`; the signal's reason.
   */
  async get(name: string, signal?: AbortSignal): Promise<Uint8Array> {
    assertFsKeyName(name);
    await this.#begin(signal);
    try {
      return await this.#io.readFileCapped(join(this.dir, name), FS_MAX_VALUE_BYTES);
    } catch (err) {
      if (hasCode(err, 'ENOENT', 'EISDIR', 'ENAMETOOLONG')) throw Errors.keyNotFound();
      if (err instanceof FileTooLargeError) {
        throw Errors.invalidStoredKey(`fs: value of key '${name}' is larger than ${FS_MAX_VALUE_BYTES} bytes`);
      }
      throw Errors.readKeyFailed(err);
    }
  }

  /**
   * Removes the key file. A name that is no regular file counts as absent.
   * @throws KesError `INVALID_KEY_CONFIG`, `KEY_NOT_FOUND`, `DELETE_KEY_FAILED`, `KEYSTORE_UNREACHABLE`; the signal's reason.
   */
  async delete(name: string, signal?: AbortSignal): Promise<void> {
    assertFsKeyName(name);
    await this.#begin(signal);
    try {
      await this.#io.unlink(join(this.dir, name));
    } catch (err) {
      if (hasCode(err, 'ENOENT', 'EISDIR', 'ENAMETOOLONG')) throw Errors.keyNotFound();
      if (hasCode(err, 'EPERM') && (await this.#isDirectory(name))) throw Errors.keyNotFound();
      throw Errors.deleteKeyFailed(err);
    }
    await this.#syncDir().catch(() => undefined); // the key is gone either way
  }

  /**
   * One page of key names (see `listPage`).
   * @throws KesError `LIST_KEYS_FAILED`, `KEYSTORE_UNREACHABLE`; the signal's reason.
   */
  async list(prefix: string, limit: number, signal?: AbortSignal): Promise<ListResult> {
    await this.#begin(signal);
    const names: string[] = [];
    try {
      for (const entry of await this.#io.readdir(this.dir)) {
        if (!isValidFsKeyName(entry.name) || !entry.name.startsWith(prefix)) continue;
        if (entry.isFile() || (entry.isSymbolicLink() && (await this.#isFile(entry.name)))) names.push(entry.name);
      }
    } catch (err) {
      throw Errors.listKeysFailed(err);
    }
    return listPage(names, prefix, limit);
  }

  /**
   * Times a `stat` of the directory.
   * @throws KesError `KEYSTORE_UNREACHABLE` when the directory is missing, inaccessible or no directory.
   */
  async status(signal?: AbortSignal): Promise<KeystoreStatus> {
    await this.#begin(signal);
    const start = performance.now();
    let isDir: boolean;
    try {
      isDir = (await this.#io.stat(this.dir)).isDirectory();
    } catch (err) {
      throw Errors.keystoreUnreachable(`fs: ${describeError(err)}`, err);
    }
    if (!isDir) throw Errors.keystoreUnreachable(`fs: '${this.dir}' is not a directory`);
    return { latencyMs: performance.now() - start };
  }

  /** Marks the keystore closed; later calls reject with `KEYSTORE_UNREACHABLE`. Idempotent, never rejects. */
  async close(): Promise<void> {
    this.#closed = true;
  }

  async #begin(signal: AbortSignal | undefined): Promise<void> {
    signal?.throwIfAborted();
    if (this.#closed) throw Errors.keystoreUnreachable('fs: keystore is closed');
    await this.#prepare();
  }

  #prepare(): Promise<void> {
    this.#ready ??= this.#makeDir().catch((err: unknown) => {
      this.#ready = undefined; // try again on the next call
      throw err;
    });
    return this.#ready;
  }

  async #makeDir(): Promise<void> {
    try {
      await this.#io.mkdirp(this.dir);
    } catch (err) {
      if (!hasCode(err, 'EEXIST', 'ENOTDIR')) throw Errors.keystoreUnreachable(`fs: ${describeError(err)}`, err);
    }
    const isDir = await this.#io.stat(this.dir).then(
      (s) => s.isDirectory(),
      (err: unknown) => {
        throw Errors.keystoreUnreachable(`fs: ${describeError(err)}`, err);
      },
    );
    if (!isDir) throw Errors.keystoreUnreachable(`fs: '${this.dir}' is not a directory`);
    await removeStaleTempFiles(this.#io, this.dir, STALE_TEMP_AGE_MS);
  }

  async #syncDir(): Promise<void> {
    const dir = await this.#io.openDir(this.dir);
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }

  async #isFile(name: string): Promise<boolean> {
    return this.#io.stat(join(this.dir, name)).then((s) => s.isFile(), () => false);
  }

  async #isDirectory(name: string): Promise<boolean> {
    return this.#io.stat(join(this.dir, name)).then((s) => s.isDirectory(), () => false);
  }
}
