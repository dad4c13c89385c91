import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFsConfig, writeKeys } from '../testing/fs-configs.js';
import { runCli } from '../testing/run-cli.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'kes-cli-migrate-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
function setup(count: number): { dir: string; from: string; to: string; keys: Map<string, string> } {
  const dir = join(root, `case-${n++}`);
  mkdirSync(dir);
  const from = writeFsConfig(dir, 'a');
  const to = writeFsConfig(dir, 'b');
  return { dir, from, to, keys: writeKeys(dir, 'a', count) };
}

const target = (dir: string) => readdirSync(join(dir, 'b-keys')).filter((f) => !f.startsWith('.')).sort();
const value = (dir: string, store: string, key: string) => readFileSync(join(dir, `${store}-keys`, key), 'utf8');

describe('kes migrate (fs → fs, in-process)', () => {
  it('copies every key with plain progress lines and a summary; a re-run skips them all', async () => {
    const { dir, from, to, keys } = setup(40);
    const r = await runCli(['migrate', '--from', from, '--to', to], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Source: {2}Filesystem .*a-keys.* \(a\.yml\)\nTarget: {2}Filesystem .*b-keys.* \(b\.yml\)\n\n/);
    expect(r.stdout).toMatch(/^Migrated 2\/40 keys \(\d+\.\d keys\/s\)$/m);
    expect(r.stdout).toMatch(/^Migrated 40\/40 keys/m);
    expect(r.stdout).toMatch(/\nProcessed 40 of 40 keys in \d+\.\ds \([\d.]+ keys\/s\): 40 copied\nDONE\n$/);
    expect(target(dir)).toEqual([...keys.keys()]);
    for (const [k, v] of keys) expect(value(dir, 'b', k)).toBe(v);

    const again = await runCli(['migrate', '--from', from, '--to', to, '--json'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ total: 40, processed: 40, copied: 0, identical: 40, conflict: 0, failed: 0, interrupted: false, problems: [] });
  });

  it('a pattern selects keys; different values are conflicts (exit 1) unless --merge or --force', async () => {
    const { dir, from, to, keys } = setup(12);
    writeFileSync(join(dir, 'b-keys', 'key-0003'), 'something else');
    const r = await runCli(['migrate', '--from', from, '--to', to, 'key-000?'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("Conflict: key 'key-0003': exists at the target with a different value; not overwritten (use --force to overwrite it, or --merge to keep it)\n");
    expect(r.stdout).toMatch(/Processed 10 of 10 keys .*: 9 copied, 1 conflicts\nNot complete: 1 key\(s\) are not at the target as at the source \(see above\)\.\n$/);
    expect(target(dir)).toEqual([...keys.keys()].slice(0, 10));
    expect(value(dir, 'b', 'key-0003')).toBe('something else');

    const merged = await runCli(['migrate', '--from', from, '--to', to, '--merge', '--json'], { cwd: dir });
    expect(merged.code).toBe(0);
    expect(JSON.parse(merged.stdout)).toMatchObject({ total: 12, copied: 2, identical: 9, kept: 1 });
    expect(value(dir, 'b', 'key-0003')).toBe('something else');

    const forced = await runCli(['migrate', '--from', from, '--to', to, '-f'], { cwd: dir, env: { KES_FORCE_TTY: '1', NO_COLOR: '1' } });
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('Warning: keys that exist at the target with a different value will be overwritten.');
    expect(forced.stdout).toMatch(/Migrating .* 100% \| 12\/12 keys \| [\d.]+ keys\/s \| ETA/);
    expect(forced.stdout).toMatch(/Processed 12 of 12 keys .*: 0 copied, 11 already at the target, 1 overwritten \(--force\)\nDONE\n$/);
    expect(value(dir, 'b', 'key-0003')).toBe(keys.get('key-0003'));
  });

  it('an interrupt stops the migration early with status 130 and a hint to re-run', async () => {
    const { dir, from, to } = setup(200);
    const controller = new AbortController();
    const r = await runCli(['migrate', '--from', from, '--to', to, '--concurrency', '1'], {
      cwd: dir,
      signal: controller.signal,
      onStdout: (chunk) => {
        if (chunk.startsWith('Migrated 10/')) controller.abort();
      },
    });
    expect(r.code).toBe(130);
    expect(r.stdout).toMatch(/Interrupted\. Run the same command again to continue: keys already copied are skipped\.\n$/);
    const copied = target(dir).length;
    expect(copied).toBeGreaterThanOrEqual(10);
    expect(copied).toBeLessThan(200);
    const resumed = await runCli(['migrate', '--from', from, '--to', to, '--json'], { cwd: dir });
    expect(JSON.parse(resumed.stdout)).toMatchObject({ total: 200, identical: copied, copied: 200 - copied, failed: 0 });
  });

  it('config problems and unusable keystores: one clear line (or a list), exit 1', async () => {
    const { dir, to } = setup(1);
    const missing = await runCli(['migrate', '--from', 'nope.yml', '--to', to], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^Error: cannot use the --from config 'nope\.yml': .*cannot read config file .*nope\.yml'?: no such file/);
    writeFileSync(join(dir, 'bad.yml'), 'admin:\n  identity: ""\nkeystore:\n  fs: {}\n');
    const bad = await runCli(['migrate', '--from', 'bad.yml', '--to', to], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^Error: cannot use the --from config 'bad\.yml': \d+ problems\n( {2}.+\n)+$/);
    const minkms = await runCli(['migrate', '--from', to, '-s', 'x:1'], { cwd: dir });
    expect(minkms.code).toBe(1);
    expect(minkms.stderr).toMatch(/^Error: migrating into a MinIO KMS server/);
  });
});
