import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { authNamespace, VAULT_DEFAULTS, type VaultKeystoreConfig } from './config.js';
import { validateVaultBlock } from './validate-config.js';

const APPROLE = { id: 'role-id', secret: 'secret-id' };

function ok(block: unknown): VaultKeystoreConfig {
  const result = validateVaultBlock(block);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.config;
}

function problems(block: unknown): { path: string; message: string; hint?: string }[] {
  const result = validateVaultBlock(block);
  if (result.ok) throw new Error('expected problems');
  return result.problems.map((p) => ({ path: p.path.join('.'), message: p.message, ...(p.hint ? { hint: p.hint } : {}) }));
}

describe('validateVaultBlock', () => {
  it('applies the KES defaults to a minimal AppRole block', () => {
    expect(ok({ endpoint: 'https://vault:8200/', approle: APPROLE })).toEqual({
      endpoint: 'https://vault:8200',
      engine: 'kv',
      version: 'v1',
      namespace: '',
      prefix: '',
      auth: { method: 'approle', engine: 'approle', namespace: '', id: 'role-id', secret: 'secret-id' },
      tls: {},
      statusPingMs: VAULT_DEFAULTS.statusPingMs,
    });
  });

  it('reads every field of a full block (kubernetes, transit, tls, status), trimming slashes of mount paths', () => {
    const config = ok({
      endpoint: 'http://127.0.0.1:8200',
      engine: '/secret/kes/',
      version: 'v2',
      namespace: 'ns1',
      prefix: 'tenant-1/',
      kubernetes: { engine: 'k8s', namespace: '/', role: 'minio', jwt: '/var/run/secrets/token' },
      transit: { engine: 'transit2', key: 'kes-key' },
      tls: { key: 'client.key', cert: 'client.crt', ca: '/etc/ca' },
      status: { ping: '1m30s' },
    });
    expect(config).toMatchObject({
      engine: 'secret/kes',
      version: 'v2',
      namespace: 'ns1',
      prefix: 'tenant-1',
      auth: { method: 'kubernetes', engine: 'k8s', namespace: '/', role: 'minio', jwt: '/var/run/secrets/token' },
      transit: { engine: 'transit2', key: 'kes-key' },
      tls: { key: 'client.key', cert: 'client.crt', ca: '/etc/ca' },
      statusPingMs: 90_000,
    });
  });

  it('reports every problem of a broken block at once, each with a path and a hint', () => {
    const found = problems({
      endpoint: 'vault:8200',
      version: 2,
      approle: { id: 123 },
      transit: {},
      tls: { cert: 'client.crt' },
      status: { ping: 'soon' },
    });
    expect(found.map((p) => p.path)).toEqual(['endpoint', 'version', 'approle.id', 'approle.secret', 'transit.key', 'tls.key', 'status.ping']);
    expect(found.every((p) => p.hint !== undefined && p.hint.length > 0)).toBe(true);
    expect(found[0]!.hint).toBe('write https://vault:8200 (or http:// for a Vault without TLS)');
    expect(found[2]!.hint).toContain('quote it');
  });

  it('requires exactly one login method', () => {
    expect(problems({ endpoint: 'https://v' })).toEqual([
      { path: 'approle', message: 'a login method is required', hint: expect.stringContaining('exactly one of approle') },
    ]);
    const both = validateVaultBlock({ endpoint: 'https://v', approle: APPROLE, kubernetes: { role: 'r', jwt: 'j' } });
    expect(both.ok).toBe(false);
    if (!both.ok) expect(both.problems[0]).toMatchObject({ path: ['approle'], related: [['kubernetes']] });
    // An auth block with only empty fields counts as absent (KES's zero value).
    expect(ok({ endpoint: 'https://v', approle: { id: '', secret: '' }, kubernetes: { role: 'r', jwt: 'j' } }).auth.method).toBe('kubernetes');
  });

  it('rejects endpoints that are not plain http(s) URLs', () => {
    for (const endpoint of ['ftp://v', 'https://user:pw@v', 'https://v?x=1', 'https://', 42, '']) {
      expect(validateVaultBlock({ endpoint, approle: APPROLE }).ok, String(endpoint)).toBe(false);
    }
  });

  it('refuses relative parts in mount paths and negative or unit-less ping durations', () => {
    expect(problems({ endpoint: 'https://v', approle: APPROLE, prefix: 'a/../b' }).map((p) => p.path)).toEqual(['prefix']);
    expect(problems({ endpoint: 'https://v', approle: APPROLE, status: { ping: '-1s' } })[0]!.hint).toMatch(/negative/);
    expect(problems({ endpoint: 'https://v', approle: APPROLE, status: { ping: 15 } })[0]!.hint).toMatch(/no unit/);
    expect(ok({ endpoint: 'https://v', approle: APPROLE, status: { ping: '0s' } }).statusPingMs).toBe(VAULT_DEFAULTS.statusPingMs);
  });

  it('warns about unknown fields and treats a likely misspelling of an absent field as a problem', () => {
    const result = validateVaultBlock({ endpoint: 'https://v', approle: APPROLE, colour: 'blue', tls: { kee: 'x', cert: 'c', key: 'k' } });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.warnings?.map((w) => w.path.join('.'))).toEqual(['colour', 'tls.kee']);
    const typo = problems({ endpoint: 'https://v', approle: { id: 'x', secert: 'y' } });
    expect(typo).toContainEqual({ path: 'approle.secert', message: 'unknown field approle.secert', hint: 'did you mean secret?' });
    expect(problems({ endpont: 'https://v', approle: APPROLE })[0]).toMatchObject({ path: 'endpont', hint: 'did you mean endpoint?' });
  });

  it('rejects a block that is not a mapping and accepts none as empty', () => {
    expect(problems('https://v')).toEqual([{ path: '', message: 'vault must be a mapping', hint: expect.any(String) }]);
    expect(problems(null).map((p) => p.path)).toEqual(['endpoint', 'approle']);
  });

  it('never throws, and every accepted config is complete (property)', () => {
    const field = fc.oneof(fc.string(), fc.constant(undefined), fc.integer(), fc.boolean(), fc.constant(null));
    const block = fc.record(
      {
        endpoint: fc.oneof(field, fc.constantFrom('https://v:8200', 'http://127.0.0.1')),
        engine: field,
        version: fc.oneof(field, fc.constantFrom('v1', 'v2')),
        prefix: field,
        approle: fc.oneof(fc.constant(undefined), fc.record({ id: field, secret: field, namespace: field })),
        kubernetes: fc.oneof(fc.constant(undefined), fc.record({ role: field, jwt: field })),
        status: fc.oneof(fc.constant(undefined), fc.record({ ping: fc.oneof(field, fc.constantFrom('1s', '500ms', '-2m')) })),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(block, fc.anything({ withNullPrototype: true, withObjectString: true })), (b) => {
        const result = validateVaultBlock(b);
        if (!result.ok) return result.problems.length > 0 && result.problems.every((p) => p.message.length > 0);
        const c = result.config;
        return /^https?:\/\//.test(c.endpoint) && c.engine !== '' && (c.version === 'v1' || c.version === 'v2') && c.statusPingMs > 0;
      }),
    );
  });
});

describe('authNamespace', () => {
  const auth = (namespace: string) => ({ method: 'approle' as const, engine: 'approle', namespace, id: 'i', secret: 's' });
  it('empty = the client namespace, "/" = root (no header), else the named one', () => {
    expect(authNamespace({ namespace: 'ns1', auth: auth('') })).toBe('ns1');
    expect(authNamespace({ namespace: 'ns1', auth: auth('/') })).toBeUndefined();
    expect(authNamespace({ namespace: 'ns1', auth: auth('parent') })).toBe('parent');
    expect(authNamespace({ namespace: '', auth: auth('') })).toBeUndefined();
  });
});
