import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnStandalone } from './spawn-standalone.js';
import { defaultStateDir } from './standalone.js';

const fixture = join(import.meta.dirname, 'standalone-fixture.spec.ts');
const usage = 'Usage: fixture [--json] [--fail] [--report]\n';

describe('runStandalone', () => {
  it('prints the description, serves, and on SIGTERM stops the emulator and exits 0', async () => {
    const p = spawnStandalone(fixture, ['--', '--json=true']);
    expect(await p.firstLine).toBe('{"fake":true}');
    expect(await p.stop()).toBe(0);
    expect(await p.exited).toEqual({ code: 0, stdout: '{"fake":true}\n', stderr: 'stopped\n' });
  }, 30_000);

  it('prints a multi-line banner without --json, and errors reported while serving on stderr', async () => {
    const p = spawnStandalone(fixture, ['--report']);
    expect(await p.firstLine).toBe('Fake emulator is running.');
    expect(await p.stop()).toBe(0);
    const e = await p.exited;
    expect(e.stdout).toBe('Fake emulator is running.\n  second line\n');
    expect(e.stderr).toBe('emulator error: Error: socket hang up\nstopped\n');
  }, 30_000);

  it('prints the usage on stdout for --help and exits 0 without starting', async () => {
    expect(await spawnStandalone(fixture, ['--help', '--fail']).exited).toEqual({ code: 0, stdout: usage, stderr: '' });
  }, 30_000);

  it('exits 2 with the message and the usage on stderr for a bad command line', async () => {
    expect(await spawnStandalone(fixture, ['--bogus']).exited).toEqual({ code: 2, stdout: '', stderr: `Unknown option '--bogus'\n${usage}` });
  }, 30_000);

  it('exits 1 with "failed to start the emulator" when start fails', async () => {
    const p = spawnStandalone(fixture, ['--fail']);
    expect(await p.exited).toEqual({ code: 1, stdout: '', stderr: 'failed to start the emulator: no port left\n' });
    await expect(p.firstLine).rejects.toThrow(/exited with 1 before printing a line: failed to start/);
  }, 30_000);
});

describe('defaultStateDir', () => {
  it('is .emulator in the package directory of src/main.ts', () => {
    expect(defaultStateDir('file:///work/tools/x/src/main.ts')).toBe('/work/tools/x/.emulator');
  });
});
