import { join } from 'node:path';
import { Errors, isKesError, type KesError } from '@kes/core';
import { hasCode, type DirHandle, type FsIo } from './fs-io.js';
import { tempFileName } from './fs-names.js';

/** `link()` errors that mean "this file system has no hard links" rather than "the name is taken". */
const LINK_UNSUPPORTED = ['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'];

/**
 * Creates the key file `name` holding `value` in the key directory `dir`, iff it does not exist, such that the
 * outcome matches the answer:
 *
 * 1. Open `dir` (a handle for the final fsync), write a temporary file (`.kes-tmp-…`, mode 0600, fsynced) and
 *    hard-link it to the key name — atomic and exclusive, so the key file is absent or complete, also for concurrent
 *    creators in other processes. On file systems without hard links, KES's own way instead: an `O_EXCL` write of the
 *    key file, removed on failure. The temporary name is removed in any case.
 *    A failure (or an abort of `signal`) up to here stores nothing and throws.
 * 2. Once the link succeeded the key exists; what is left is making its directory entry durable. The fsync goes
 *    through the handle opened in step 1, so a key directory renamed (moved away) meanwhile still gets its entry
 *    synced, and the create succeeds: the key is in that directory under its name. The signal is no longer honoured.
 * 3. If that fsync fails, the key is not acknowledged — a client would encrypt data under a key that a crash could
 *    take away — and so it is removed again before the create fails: the answer "not created" matches what is stored.
 *    Only if the removal fails too (a second fault) may the key remain although the create failed; the error's cause
 *    says so, and a retry then answers `KEY_EXISTS`. Nothing is lost either way: the client never used that key.
 *
 * Deleting the whole key directory while a create runs loses the key with the directory; nothing can guard that.
 *
 * @throws KesError `KEY_EXISTS`; `CREATE_KEY_FAILED` (the Node error as cause) for any other failure; the signal's
 *   reason when it aborts before the link.
 */
export async function createKeyFile(io: FsIo, dir: string, name: string, value: Uint8Array, signal?: AbortSignal): Promise<void> {
  const path = join(dir, name);
  const temp = join(dir, tempFileName());
  let handle: DirHandle;
  try {
    handle = await io.openDir(dir);
  } catch (err) {
    throw Errors.createKeyFailed(err);
  }
  try {
    try {
      await io.writeNewFile(temp, value);
      signal?.throwIfAborted();
      try {
        await io.link(temp, path);
      } catch (err) {
        if (hasCode(err, 'EEXIST')) throw Errors.keyExists();
        if (!hasCode(err, ...LINK_UNSUPPORTED)) throw err;
        await createWithoutLink(io, path, value);
      }
    } finally {
      await io.unlink(temp).catch(() => undefined); // before the fsync, so that its removal is durable too
    }
  } catch (err) {
    await handle.close();
    throw isKesError(err) || (signal?.aborted === true && err === signal.reason) ? err : Errors.createKeyFailed(err);
  }
  try {
    await handle.sync();
  } catch (err) {
    throw await undoCreate(io, path, name, handle, err);
  } finally {
    await handle.close();
  }
}

/**
 * Step 3 of {@link createKeyFile}: removes the key file whose directory entry could not be made durable.
 * @returns the `CREATE_KEY_FAILED` to throw; when the removal fails too, its cause says the key may exist.
 */
async function undoCreate(io: FsIo, path: string, name: string, handle: DirHandle, syncError: unknown): Promise<KesError> {
  try {
    await io.unlink(path);
  } catch (err) {
    return Errors.createKeyFailed(
      new Error(
        `fs: key '${name}' was written, but its directory entry could not be made durable (${describeError(syncError)}) ` +
          `and removing it again failed (${describeError(err)}): the key may exist, and a retry may answer 'key already exists'`,
        { cause: syncError },
      ),
    );
  }
  await handle.sync().catch(() => undefined);
  return Errors.createKeyFailed(syncError);
}

/**
 * KES's own protocol, for file systems without hard links: exclusive create of the key file itself. `writeNewFile`
 * removes what it created when it fails; an `EEXIST` file belongs to another creator and is left alone.
 */
async function createWithoutLink(io: FsIo, path: string, value: Uint8Array): Promise<void> {
  try {
    await io.writeNewFile(path, value);
  } catch (err) {
    throw hasCode(err, 'EEXIST') ? Errors.keyExists() : err;
  }
}

/** The message of an error, or its string form. Never throws. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  try {
    return String(err);
  } catch {
    return 'unknown error';
  }
}
