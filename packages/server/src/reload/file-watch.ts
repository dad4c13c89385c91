/**
 * Noticing that files changed on disk within seconds — certificate renewals by cert-manager, certbot, a Kubernetes
 * secret volume (a `..data` symlink swap) or an editor's atomic rename: `fs.watch` on the directories that hold the
 * files, plus a periodic check in case the platform or filesystem (NFS, some container mounts) sends no events.
 * Either only triggers a comparison of the files' contents, so a change is reported once, after the writes settled
 * (debounced), and touching a file without changing it reports nothing.
 */
import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Options of {@link FileWatcher}. */
export interface FileWatcherOptions {
  /** Called after the contents of a watched path changed (never twice for one change). Must not throw. */
  readonly onChange: () => void;
  /** Quiet time after the last event before the contents are compared. Default 500 ms. */
  readonly debounceMs?: number;
  /** Period of the fallback comparison. Default 5 s. */
  readonly pollMs?: number;
  /** Use `fs.watch` (default true); false leaves only the periodic comparison. */
  readonly events?: boolean;
}

/**
 * A fingerprint of the contents of `paths` (files, or directories of files, following symlinks); a path that cannot
 * be read contributes its error code. Never throws.
 */
export async function fingerprint(paths: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const path of paths) {
    hash.update(`\0${path}\0`);
    try {
      if ((await stat(path)).isDirectory()) {
        for (const name of (await readdir(path)).filter((n) => !n.startsWith('.')).sort()) {
          hash.update(`\0${name}\0`);
          hash.update(await readFile(join(path, name)).catch((err: NodeJS.ErrnoException) => `!${err.code ?? 'error'}`));
        }
      } else {
        hash.update(await readFile(path));
      }
    } catch (err) {
      hash.update(`!${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  }
  return hash.digest('hex');
}

/** Watches a set of paths; see the module description. */
export class FileWatcher {
  readonly #onChange: () => void;
  readonly #debounceMs: number;
  readonly #events: boolean;
  readonly #poller: ReturnType<typeof setInterval>;
  #paths: readonly string[] = [];
  #watchers: FSWatcher[] = [];
  #known: Promise<string> = Promise.resolve('');
  #debounce: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  constructor(paths: readonly string[], options: FileWatcherOptions) {
    this.#onChange = options.onChange;
    this.#debounceMs = options.debounceMs ?? 500;
    this.#events = options.events ?? true;
    this.#poller = setInterval(() => this.#compare(), options.pollMs ?? 5_000);
    this.#poller.unref();
    this.watch(paths);
  }

  /** Watches `paths` instead of the current ones (their current contents are the new baseline). */
  watch(paths: readonly string[]): void {
    if (this.#closed) return;
    for (const w of this.#watchers) w.close();
    this.#watchers = [];
    this.#paths = [...paths];
    this.#known = fingerprint(this.#paths);
    if (!this.#events) return;
    // the parent directories see renames and symlink swaps; a watched directory itself sees its files change
    const dirs = new Set(paths.flatMap((p) => [dirname(p), p]));
    for (const dir of dirs) {
      try {
        const w = watch(dir, { persistent: false }, () => this.#schedule());
        w.on('error', () => w.close());
        this.#watchers.push(w);
      } catch {
        // not a directory, or not watchable here: the periodic comparison covers it
      }
    }
  }

  /** Stops watching. Idempotent. */
  close(): void {
    this.#closed = true;
    clearInterval(this.#poller);
    if (this.#debounce !== undefined) clearTimeout(this.#debounce);
    for (const w of this.#watchers) w.close();
    this.#watchers = [];
  }

  #schedule(): void {
    if (this.#closed) return;
    if (this.#debounce !== undefined) clearTimeout(this.#debounce);
    this.#debounce = setTimeout(() => this.#compare(), this.#debounceMs);
    this.#debounce.unref();
  }

  #compare(): void {
    const paths = this.#paths;
    const previous = this.#known;
    const next = previous.then(async (before) => {
      const now = await fingerprint(paths);
      if (!this.#closed && paths === this.#paths && now !== before) this.#onChange();
      return now;
    });
    this.#known = next;
  }
}
