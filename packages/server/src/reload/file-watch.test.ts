import { mkdir, mkdtemp, rename, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileWatcher, fingerprint } from './file-watch.js';

let dir: string;
let watcher: FileWatcher | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kes-watch-'));
});
afterEach(async () => {
  watcher?.close();
  await rm(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts a watcher on `paths` counting its reports. */
async function counting(paths: string[], opts: { events?: boolean; pollMs?: number } = {}) {
  const calls: number[] = [];
  const t0 = performance.now();
  watcher = new FileWatcher(paths, { onChange: () => calls.push(performance.now() - t0), debounceMs: 100, pollMs: opts.pollMs ?? 60_000, ...opts });
  await sleep(150); // baseline taken
  return calls;
}

async function until(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const t0 = performance.now();
  while (!check()) {
    if (performance.now() - t0 > timeoutMs) throw new Error('timed out');
    await sleep(20);
  }
}

describe('fingerprint', () => {
  it('changes with the contents of files and directories, not with timestamps', async () => {
    await writeFile(join(dir, 'a.pem'), 'one');
    await mkdir(join(dir, 'ca'));
    await writeFile(join(dir, 'ca', 'x.pem'), 'x');
    const paths = [join(dir, 'a.pem'), join(dir, 'ca')];
    const first = await fingerprint(paths);
    await utimes(join(dir, 'a.pem'), new Date(), new Date(Date.now() + 5000));
    expect(await fingerprint(paths)).toBe(first);
    await writeFile(join(dir, 'ca', 'y.pem'), 'y');
    expect(await fingerprint(paths)).not.toBe(first);
    expect(await fingerprint([join(dir, 'missing')])).not.toBe(await fingerprint([join(dir, 'other-missing')]));
  });
});

describe('FileWatcher', () => {
  it('reports an in-place write once, after the writes settled', async () => {
    const file = join(dir, 'server.crt');
    await writeFile(file, 'v1');
    const calls = await counting([file]);
    await writeFile(file, 'v2-part');
    await sleep(30);
    await writeFile(file, 'v2');
    await until(() => calls.length > 0);
    await sleep(300);
    expect(calls).toHaveLength(1);
  });

  it('reports an atomic rename and a Kubernetes-style symlink swap, but not a touch', async () => {
    const file = join(dir, 'server.crt');
    await writeFile(file, 'v1');
    const calls = await counting([file]);
    await utimes(file, new Date(), new Date(Date.now() + 1000));
    await sleep(400);
    expect(calls).toHaveLength(0);
    await writeFile(join(dir, 'new.crt'), 'v2');
    await rename(join(dir, 'new.crt'), file);
    await until(() => calls.length === 1);

    // a secret volume: tls.crt -> ..data/tls.crt, ..data -> ..v1; an update swaps ..data to ..v2
    const vol = join(dir, 'vol');
    await mkdir(join(vol, '..v1'), { recursive: true });
    await writeFile(join(vol, '..v1', 'tls.crt'), 'one');
    await symlink('..v1', join(vol, '..data'));
    await symlink(join('..data', 'tls.crt'), join(vol, 'tls.crt'));
    watcher!.close();
    const swaps = await counting([join(vol, 'tls.crt')]);
    await mkdir(join(vol, '..v2'));
    await writeFile(join(vol, '..v2', 'tls.crt'), 'two');
    await symlink('..v2', join(vol, '..data_tmp'));
    await rename(join(vol, '..data_tmp'), join(vol, '..data'));
    await until(() => swaps.length === 1);
  });

  it('falls back to the periodic comparison without file events', async () => {
    const file = join(dir, 'ca.pem');
    await writeFile(file, 'v1');
    const calls = await counting([file], { events: false, pollMs: 200 });
    await writeFile(file, 'v2');
    await until(() => calls.length === 1);
    await sleep(500);
    expect(calls).toHaveLength(1);
  });

  it('switches to new paths with their contents as the baseline, and stops when closed', async () => {
    await writeFile(join(dir, 'a'), 'a');
    await writeFile(join(dir, 'b'), 'b');
    const calls = await counting([join(dir, 'a')], { pollMs: 100 });
    watcher!.watch([join(dir, 'b')]);
    await sleep(300);
    expect(calls).toHaveLength(0);
    await writeFile(join(dir, 'b'), 'b2');
    await until(() => calls.length === 1);
    watcher!.close();
    await writeFile(join(dir, 'b'), 'b3');
    await sleep(400);
    expect(calls).toHaveLength(1);
  });
});
