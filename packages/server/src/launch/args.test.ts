import { describe, expect, it } from 'vitest';
import { ADDRESS_ENV, UsageError, parseServerArgs } from './args.js';

describe('parseServerArgs (kes server flags, spec §7.2)', () => {
  it('defaults to development mode without flags', () => {
    expect(parseServerArgs([], {})).toEqual({ dev: false, mlock: false, ignored: [], help: false });
  });

  it('takes --config and --addr with a space or =', () => {
    expect(parseServerArgs(['--config', 'kes.yml', '--addr=[::1]:7000'], {})).toMatchObject({ config: 'kes.yml', address: { host: '::1', port: 7000 } });
    expect(parseServerArgs(['--config=kes.yml', '--addr', ':7373'], {})).toMatchObject({ config: 'kes.yml', address: { host: '', port: 7373 } });
  });

  it(`reads ${ADDRESS_ENV} when --addr is not given; --addr wins`, () => {
    expect(parseServerArgs([], { [ADDRESS_ENV]: '127.0.0.1:9000' }).address).toEqual({ host: '127.0.0.1', port: 9000 });
    expect(parseServerArgs(['--addr', '127.0.0.1:1'], { [ADDRESS_ENV]: '127.0.0.1:9000' }).address).toEqual({ host: '127.0.0.1', port: 1 });
    expect(parseServerArgs([], { [ADDRESS_ENV]: '' }).address).toBeUndefined();
  });

  it('accepts the deprecated --auth, --key, --cert and reports them as ignored; --mlock and --dev are flags', () => {
    expect(parseServerArgs(['--config', 'c', '--auth', 'off', '--key=k', '--cert', 'c', '--mlock'], {})).toMatchObject({ ignored: ['--auth', '--key', '--cert'], mlock: true });
    expect(parseServerArgs(['--dev'], {}).dev).toBe(true);
    expect(parseServerArgs(['-h'], {}).help).toBe(true);
  });

  it.each([
    [['--dev', '--config', 'x']],
    [['--port', '1']],
    [['server']],
    [['--config']],
    [['--config=']],
    [['--addr', 'localhost:7373']],
    [['--addr', '127.0.0.1']],
  ])('refuses %j with a UsageError', (argv) => {
    expect(() => parseServerArgs(argv, {})).toThrow(UsageError);
  });

  it('accepts a bare --auth, as in the upstream tutorial (`server --auth --config=…`)', () => {
    expect(parseServerArgs(['--auth', '--config=/etc/kes.yml'], {})).toMatchObject({ config: '/etc/kes.yml', ignored: ['--auth'] });
    expect(parseServerArgs(['--config', 'c', '--auth'], {})).toMatchObject({ config: 'c', ignored: ['--auth'] });
    expect(parseServerArgs(['--auth', 'off', '--config', 'c'], {})).toMatchObject({ config: 'c', ignored: ['--auth'] });
  });

  it('refuses an invalid address from the environment', () => {
    expect(() => parseServerArgs([], { [ADDRESS_ENV]: 'nope' })).toThrow(`invalid address 'nope'`);
  });
});
