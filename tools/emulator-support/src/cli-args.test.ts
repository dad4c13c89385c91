import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeNxArgs, parseEmulatorArgs, parseKnobs, parsePort } from './cli-args.js';

describe('normalizeNxArgs', () => {
  it('rewrites the Nx forms of the named boolean flags only', () => {
    expect(normalizeNxArgs(['--', '--json=true', '--tls=false', '--other=true', '--port', '1'], ['json', 'tls'])).toEqual(['--json', '--other=true', '--port', '1']);
  });

  it('leaves every argument that is not `--` or an Nx boolean form unchanged and in order', () => {
    fc.assert(
      fc.property(fc.array(fc.string()), (argv) => {
        const kept = argv.filter((a) => a !== '--' && !/^--json=(true|false)$/.test(a));
        expect(normalizeNxArgs(argv, ['json']).filter((a) => a !== '--json')).toEqual(kept.filter((a) => a !== '--json'));
      }),
    );
  });
});

describe('parseEmulatorArgs', () => {
  const table = { port: { type: 'string' }, tls: { type: 'boolean', default: false } } as const;

  it('adds --json and --help (default false) and accepts the Nx forms of every boolean', () => {
    expect(parseEmulatorArgs([], table)).toEqual({ json: false, help: false, tls: false });
    expect(parseEmulatorArgs(['--', '--json=true', '--tls=true', '--help=false', '--port', '80'], table)).toEqual({ json: true, help: false, tls: true, port: '80' });
  });

  it('rejects unknown options and positionals with a readable message', () => {
    expect(() => parseEmulatorArgs(['--bogus'], table)).toThrow("Unknown option '--bogus'");
    expect(() => parseEmulatorArgs(['x'], table)).toThrow("Unexpected argument 'x'");
    expect(() => parseEmulatorArgs(['--port'], table)).toThrow(/--port/);
  });
});

describe('parsePort', () => {
  it('accepts exactly the decimal numbers 0 to 65535 of at most 5 digits', () => {
    expect(parsePort('--port', undefined)).toBeUndefined();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 65535 }), (n) => {
        expect(parsePort('--port', String(n))).toBe(n);
      }),
    );
    fc.assert(
      fc.property(fc.string(), (text) => {
        fc.pre(!/^\d{1,5}$/.test(text) || Number(text) > 65535);
        expect(() => parsePort('--admin-port', text)).toThrow('--admin-port must be a port number');
      }),
    );
  });
});

describe('parseKnobs', () => {
  const validate = (v: unknown): { n: number } => {
    if (typeof v !== 'object' || v === null || typeof (v as { n?: unknown }).n !== 'number') throw new Error('n must be a number');
    return v as { n: number };
  };

  it('returns the validated patch, or undefined without --knobs', () => {
    expect(parseKnobs('{"n":1}', validate)).toEqual({ n: 1 });
    expect(parseKnobs(undefined, validate)).toBeUndefined();
  });

  it('names --knobs in every error: not JSON, or refused by the validator', () => {
    expect(() => parseKnobs('{', validate)).toThrow(/^--knobs must be a JSON object$/);
    expect(() => parseKnobs('[1]', validate)).toThrow(/^--knobs: n must be a number$/);
    fc.assert(
      fc.property(fc.string(), (text) => {
        try {
          parseKnobs(text, validate);
        } catch (e) {
          expect((e as Error).message).toMatch(/^--knobs/);
        }
      }),
    );
  });
});
