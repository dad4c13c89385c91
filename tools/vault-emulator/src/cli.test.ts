import { describe, expect, it } from 'vitest';
import { parseCli } from './cli.js';
import { KnobError, validateKnobPatch } from './knobs.js';

describe('parseCli', () => {
  it('maps the options (and the --flag=true form Nx forwards)', () => {
    const c = parseCli(['--', '--json=true', '--port', '8200', '--root-token', 'root', '--role-id', 'r', '--secret-id', 's', '--namespace', 'ns1', '--namespace', 'ns2',
      '--token-ttl', '30', '--tls', '--require-client-cert', '--knobs', '{"latencyMs":5}'], '/state');
    expect(c).toMatchObject({
      json: true,
      stateDir: '/state',
      options: {
        port: 8200,
        rootToken: 'root',
        namespaces: ['ns1', 'ns2'],
        tls: { requireClientCert: true },
        knobs: { latencyMs: 5 },
        approle: { roleId: 'r', secretId: 's', tokenTtlSeconds: 30 },
        kubernetes: { tokenTtlSeconds: 30 },
      },
    });
  });

  it('rejects bad values with readable messages', () => {
    expect(() => parseCli(['--port', 'x'], '/s')).toThrow('--port must be a port number');
    expect(() => parseCli(['--token-ttl', '1.5'], '/s')).toThrow(/whole number of seconds/);
    expect(() => parseCli(['--require-client-cert'], '/s')).toThrow(/needs --tls/);
    expect(() => parseCli(['--knobs', '{"sealed":"yes"}'], '/s')).toThrow(/--knobs: knob 'sealed' must be a boolean/);
    expect(() => parseCli(['--bogus'], '/s')).toThrow();
  });
});

describe('validateKnobPatch', () => {
  it('accepts known knobs and names the bad one', () => {
    expect(validateKnobPatch({ sealed: true, faults: [{ path: 'kv/', status: 500 }] })).toEqual({ sealed: true, faults: [{ path: 'kv/', status: 500 }] });
    expect(() => validateKnobPatch({ nope: 1 })).toThrow(KnobError);
    expect(() => validateKnobPatch({ latencyMs: -1 })).toThrow(/>= 0/);
    expect(() => validateKnobPatch({ faults: [{ path: 'x' }] })).toThrow(/numeric status/);
    expect(() => validateKnobPatch([])).toThrow(/JSON object/);
  });
});
