import { constants, type Dirent, type Stats } from 'node:fs';
import { link, mkdir, open, readdir, stat, unlink } from 'node:fs/promises';

/**
 * The file-system primitives an {@link FsKeystore} uses. The default is {@link nodeFsIo}; tests substitute failing
 * variants to prove that no half-written key ever becomes visible. Errors are Node's (`err.code` = `EEXIST`, …).
 */
export interface FsIo {
  /** `mkdir -p` with mode 0755 (before umask). */
  mkdirp(dir: string): Promise<void>;
  stat(path: string): Promise<Stats>;
  readdir(dir: string): Promise<Dirent[]>;
  /**
   * Creates `path` exclusively (`O_CREAT|O_EXCL`, mode 0600), writes `data` completely and fsyncs it. When it fails
   * after creating the file it removes the file again (`EEXIST` means it created nothing).
   */
  writeNewFile(path: string, data: Uint8Array): Promise<void>;
  /** Reads a regular file of at most `maxBytes`; throws `FileTooLargeError` beyond, an `EISDIR`-coded error for non-files. */
  readFileCapped(path: string, maxBytes: number): Promise<Uint8Array>;
  /** Hard link; fails with `EEXIST` if `newPath` exists. */
  link(existingPath: string, newPath: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /**
   * Opens a directory for fsync. The handle keeps referring to the same directory when the directory is renamed
   * (moved) afterwards, so entries made in it can still be made durable.
   */
  openDir(dir: string): Promise<DirHandle>;
}

/** An open directory (see {@link FsIo.openDir}). */
export interface DirHandle {
  /** fsyncs the directory so that entries created or removed in it are durable. */
  sync(): Promise<void>;
  /** Closes the handle; never rejects. */
  close(): Promise<void>;
}

/** Directory fsync errors that mean "not supported here" rather than "not durable". */
const SYNC_UNSUPPORTED = ['EINVAL', 'ENOTSUP', 'EOPNOTSUPP', 'EISDIR'];

/** Thrown by {@link FsIo.readFileCapped} when the file is larger than allowed. */
export class FileTooLargeError extends Error {
  override readonly name = 'FileTooLargeError';
  constructor(readonly maxBytes: number) {
    super(`file is larger than ${maxBytes} bytes`);
  }
}

/** {@link FsIo} on `node:fs/promises`. */
export const nodeFsIo: FsIo = {
  async mkdirp(dir) {
    await mkdir(dir, { recursive: true, mode: 0o755 });
  },
  stat: (path) => stat(path),
  readdir: (dir) => readdir(dir, { withFileTypes: true }),
  async writeNewFile(path, data) {
    const file = await open(path, 'wx', 0o600);
    try {
      try {
        await file.writeFile(data);
        await file.sync();
      } finally {
        await file.close();
      }
    } catch (err) {
      await unlink(path).catch(() => undefined);
      throw err;
    }
  },
  async readFileCapped(path, maxBytes) {
    // O_NONBLOCK: opening a FIFO that happens to carry a key's name must not hang.
    const file = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const info = await file.stat();
      if (!info.isFile()) throw Object.assign(new Error(`not a regular file: ${path}`), { code: 'EISDIR' });
      if (info.size > maxBytes) throw new FileTooLargeError(maxBytes);
      // Read one byte more than allowed to notice a file that grew since fstat.
      const buffer = new Uint8Array(Math.min(info.size, maxBytes) + 1);
      let length = 0;
      while (length < buffer.length) {
        const { bytesRead } = await file.read(buffer, length, buffer.length - length, null);
        if (bytesRead === 0) break;
        length += bytesRead;
      }
      if (length > maxBytes) throw new FileTooLargeError(maxBytes);
      return buffer.slice(0, length);
    } finally {
      await file.close();
    }
  },
  link: (existingPath, newPath) => link(existingPath, newPath),
  unlink: (path) => unlink(path),
  async openDir(dir) {
    if (process.platform === 'win32') return { sync: async () => undefined, close: async () => undefined }; // no fsync of directories there
    const handle = await open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
    return {
      async sync() {
        try {
          await handle.sync();
        } catch (err) {
          // Some file systems do not support fsync on directories; that is not a failure of the write.
          if (!hasCode(err, ...SYNC_UNSUPPORTED)) throw err;
        }
      },
      close: () => handle.close().catch(() => undefined),
    };
  },
};

/** True iff `err` is an error carrying one of the Node `code`s. Never throws. */
export function hasCode(err: unknown, ...codes: string[]): boolean {
  return typeof err === 'object' && err !== null && codes.includes((err as { code?: unknown }).code as string);
}
