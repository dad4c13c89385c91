import { join } from 'node:path';
import type { FsIo } from './fs-io.js';
import { isTempFileName } from './fs-names.js';

/**
 * Age (by modification time) after which a temporary file of a create (`.kes-tmp-…`) counts as abandoned: 10
 * minutes. A create holds its temporary file only from writing the value to linking it to the key name, normally
 * milliseconds and within the server's 15 s request timeout even on a slow disk; only a process killed (`kill -9`,
 * power loss) in between, or a key directory moved away in between, leaves one behind.
 */
export const STALE_TEMP_AGE_MS = 10 * 60_000;

/**
 * Removes abandoned temporary files from the key directory `dir`: regular files (not symlinks, not directories)
 * named `.kes-tmp-…` whose modification time is more than `maxAgeMs` before `now`.
 *
 * The rule is age, never the process id in the name: the directory may be shared with other KES processes (other
 * hosts, other PID namespaces) that are writing their temporary files right now. Removal is safe even when the rule
 * is wrong: a temporary file is never a key (a key exists only under its own name, made by `link`), so removing one
 * drops at most an extra name of a key file, or makes a creator that stalled for longer than `maxAgeMs` fail its
 * `link` with `ENOENT` (an error answer, and no key created).
 *
 * @returns the names removed. Never throws: it is best effort (a failure leaves files for the next sweep).
 */
export async function removeStaleTempFiles(io: FsIo, dir: string, maxAgeMs: number = STALE_TEMP_AGE_MS, now: number = Date.now()): Promise<string[]> {
  const removed: string[] = [];
  try {
    for (const entry of await io.readdir(dir)) {
      if (!isTempFileName(entry.name) || !entry.isFile()) continue;
      const path = join(dir, entry.name);
      try {
        const info = await io.stat(path);
        if (!info.isFile() || now - info.mtimeMs <= maxAgeMs) continue;
        await io.unlink(path);
        removed.push(entry.name);
      } catch {
        // Gone meanwhile (its creator finished) or not removable: leave it.
      }
    }
  } catch {
    // The directory cannot be read: list and get will say so.
  }
  return removed;
}
