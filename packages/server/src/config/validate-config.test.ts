import { describe, expect, it } from 'vitest';
import { ConfigError, type ConfigProblem } from './problems.js';
import { parseConfig } from './load-config.js';

/** Line (1-based) of the `n`-th line containing `needle`. */
function lineOf(text: string, needle: string, n = 1): number {
  const lines = text.split('\n');
  let seen = 0;
  for (let i = 0; i < lines.length; i++) if (lines[i]!.includes(needle) && ++seen === n) return i + 1;
  throw new Error(`'${needle}' not in text`);
}

async function problemsOf(text: string, env: Record<string, string> = {}): Promise<ConfigProblem[]> {
  try {
    await parseConfig(text, { env });
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
  throw new Error('the config was accepted');
}

const VALID = `address: 127.0.0.1:7373
admin:
  identity: disabled
tls:
  key: ./server.key
  cert: ./server.cert
keystore:
  fs:
    path: ./keys
`;

describe('a minimal config', () => {
  it('is accepted with the documented defaults (spec §6.2, §8.3, §12)', async () => {
    const config = await parseConfig(VALID, { env: {} });
    expect(config.address).toEqual({ host: '127.0.0.1', port: 7373 });
    expect(config.adminIdentity).toBe('disabled');
    expect(config.tls).toEqual({ key: './server.key', cert: './server.cert', password: '', auth: 'off' });
    expect(config.cache).toEqual({ anyMs: 300_000, unusedMs: 30_000, offlineMs: 0 });
    expect(config.log).toEqual({ errorLevel: 0, auditLevel: 0 });
    expect(config.policies).toEqual({});
    expect(config.api).toEqual({});
    expect(config.keys).toEqual([]);
    expect(config.keystore).toMatchObject({ name: 'fs', title: 'Filesystem', settings: { path: './keys' } });
    expect(config.warnings).toEqual([]);
    expect(config.lines).toMatchObject({ 'tls.key': 5, 'tls.cert': 6, 'keystore.fs': 8 });
  });

  it('is deeply frozen', async () => {
    const config = await parseConfig(VALID, { env: {} });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.tls)).toBe(true);
    expect(Object.isFrozen(config.keystore.settings)).toBe(true);
    expect(() => {
      (config.tls as { key: string }).key = 'x';
    }).toThrow(TypeError);
  });

  it('takes no address when none is written', async () => {
    const config = await parseConfig(VALID.replace('address: 127.0.0.1:7373\n', ''), { env: {} });
    expect(config.address).toBeUndefined();
  });
});

describe('a complete config', () => {
  const FULL = `version: v1
address: "[::1]:0"
admin:
  identity: \${ADMIN}
tls:
  key: ./private.key
  cert: ./public.crt
  password: secret
  auth: ON
  ca: ./cas
  proxy:
    identities:
    - 4c9e6d2e0a3f8b5e1d7c6a9b8e2f1a0d3c5b7e9f1a2b4c6d8e0f1a3b5c7d9e1f
    header:
      cert: X-Forwarded-Client-Cert
policy:
  my-app:
    allow:
    - /v1/key/create/my-app*
    - \${NOT_SUBSTITUTED}
    deny:
    - /v1/key/decrypt/my-app-internal*
    identities:
    - df7281ca3fed4ef7d06297eb7cb9d590a4edc863b4425f4762bb2afaebfd3258
    - \${APP_IDENTITY}
cache:
  expiry:
    any: 10m
    unused: 1m30s
    offline: 1h
api:
  /v1/status:
    skip_auth: yes
    timeout: 5s
  /v1/key/create/:
    timeout: 0s
log:
  error: warn
  audit: "off"
keys:
- name: my-key
- name: \${KEY_NAME}
keystore:
  fs:
    path: \${KEY_DIR}
`;
  const env = { ADMIN: 'a'.repeat(64), APP_IDENTITY: 'b'.repeat(64), KEY_NAME: 'other-key', KEY_DIR: '/var/kes' };

  it('maps every field', async () => {
    const config = await parseConfig(FULL, { env });
    expect(config.address).toEqual({ host: '::1', port: 0 });
    expect(config.adminIdentity).toBe('a'.repeat(64));
    expect(config.tls).toEqual({
      key: './private.key',
      cert: './public.crt',
      password: 'secret',
      auth: 'on',
      ca: './cas',
      proxy: { identities: ['4c9e6d2e0a3f8b5e1d7c6a9b8e2f1a0d3c5b7e9f1a2b4c6d8e0f1a3b5c7d9e1f'], certHeader: 'X-Forwarded-Client-Cert' },
    });
    expect(config.policies).toEqual({
      'my-app': {
        allow: ['/v1/key/create/my-app*', '${NOT_SUBSTITUTED}'],
        deny: ['/v1/key/decrypt/my-app-internal*'],
        identities: ['df7281ca3fed4ef7d06297eb7cb9d590a4edc863b4425f4762bb2afaebfd3258', 'b'.repeat(64)],
      },
    });
    expect(config.cache).toEqual({ anyMs: 600_000, unusedMs: 90_000, offlineMs: 3_600_000 });
    expect(config.api).toEqual({ '/v1/status': { skipAuth: true, timeoutMs: 5000 }, '/v1/key/create/': { skipAuth: false } });
    expect(config.log).toEqual({ errorLevel: 4, auditLevel: 9 });
    expect(config.keys).toEqual(['my-key', 'other-key']);
    expect(config.keystore.settings).toEqual({ path: '/var/kes' });
  });

  it('defaults the proxy header to X-Tls-Client-Cert', async () => {
    const config = await parseConfig(FULL.replace('    header:\n      cert: X-Forwarded-Client-Cert\n', ''), { env });
    expect(config.tls.proxy?.certHeader).toBe('X-Tls-Client-Cert');
  });
});

describe('problems', () => {
  it('an empty file lists everything that is required, at once', async () => {
    const problems = await problemsOf('');
    expect(problems.map((p) => p.message)).toEqual([
      'kesconf: invalid admin identity: no admin identity',
      'kesconf: invalid tls config: no private key',
      'kesconf: invalid tls config: no certificate',
      'kesconf: no keystore specified',
    ]);
    expect(problems.every((p) => p.hint !== undefined)).toBe(true);
  });

  it('a file that is not a mapping', async () => {
    const [p] = await problemsOf('- a\n- b\n');
    expect(p!.message).toMatch(/must be a mapping/);
  });

  it('YAML syntax errors carry their line', async () => {
    const text = 'admin:\n  identity: x\ntls: [a\nkeystore: {}\n';
    const problems = await problemsOf(text);
    expect(problems[0]!.message).toMatch(/^invalid YAML: /);
    expect(problems[0]!.line).toBeGreaterThanOrEqual(3);
  });

  it('several problems are reported together, in line order, each with its path and line', async () => {
    const text = VALID.replace('identity: disabled', 'identity: ""').replace('./server.cert', '""') + 'cache:\n  expiry:\n    any: -1m\n';
    const problems = await problemsOf(text);
    expect(problems.map((p) => [p.path, p.line, p.message])).toEqual([
      ['admin.identity', 3, 'kesconf: invalid admin identity: no admin identity'],
      ['tls.cert', 6, 'kesconf: invalid tls config: no certificate'],
      ['cache.expiry.any', lineOf(text, 'any:'), "kesconf: invalid cache expiry '-1m0s'"],
    ]);
  });

  it('ConfigError formats every problem with file, line, path and hint', async () => {
    const err = await parseConfig('admin:\n  identity: ""\n', { env: {}, file: 'kes.yml' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as ConfigError).message;
    expect(message).toMatch(/^4 problems in kes\.yml:/);
    expect(message).toContain('kes.yml:2: admin.identity: kesconf: invalid admin identity: no admin identity');
    expect(message).toContain('hint: ');
  });
});

describe('version', () => {
  it('accepts v1 and refuses anything else with the upstream text', async () => {
    await expect(parseConfig(`version: v1\n${VALID}`, { env: {} })).resolves.toBeDefined();
    const [p] = await problemsOf(`version: v2\n${VALID}`);
    expect(p).toMatchObject({ path: 'version', line: 1, message: "edge: invalid server config version 'v2'" });
  });

  it('is not substituted from the environment', async () => {
    const [p] = await problemsOf(`version: \${V}\n${VALID}`, { V: 'v1' });
    expect(p!.message).toBe("edge: invalid server config version '${V}'");
  });
});

describe('address', () => {
  it.each(['0.0.0.0:7373', ':7373', '[::]:7373', '127.0.0.1:0'])('accepts %s', async (address) => {
    await expect(parseConfig(VALID.replace('127.0.0.1:7373', `"${address}"`), { env: {} })).resolves.toBeDefined();
  });

  it.each(['localhost:7373', '127.0.0.1', '127.0.0.1:99999', '::1:7373', '1.2.3.4:http'])('refuses %s with its line', async (address) => {
    const [p] = await problemsOf(VALID.replace('127.0.0.1:7373', `"${address}"`));
    expect(p).toMatchObject({ path: 'address', line: 1 });
    expect(p!.message).toContain(`kesconf: invalid address '${address}'`);
  });
});

describe('admin identity (spec §3.3)', () => {
  it('is required and non-empty', async () => {
    for (const text of [VALID.replace('  identity: disabled\n', ''), VALID.replace('identity: disabled', 'identity:')]) {
      const [p] = await problemsOf(text);
      expect(p).toMatchObject({ message: 'kesconf: invalid admin identity: no admin identity' });
    }
  });

  it('accepts the pre-v0.18 top-level root: with a deprecation warning', async () => {
    const text = VALID.replace('admin:\n  identity: disabled\n', `root: ${'c'.repeat(64)}\n`);
    const config = await parseConfig(text, { env: {} });
    expect(config.adminIdentity).toBe('c'.repeat(64));
    expect(config.warnings).toHaveLength(1);
    expect(config.warnings[0]).toMatchObject({ path: 'root', line: 2, message: "'root' is deprecated since v0.18" });
    expect(config.warnings[0]!.hint).toContain('admin:');
  });

  it('refuses root: together with admin.identity, naming both lines', async () => {
    const text = `root: x\n${VALID}`;
    const [p] = await problemsOf(text);
    expect(p).toMatchObject({ path: 'root', line: 1, related: [{ path: 'admin.identity', line: 4 }] });
  });

  it('an empty root: is as missing as an empty admin.identity', async () => {
    const [p] = await problemsOf(VALID.replace('admin:\n  identity: disabled\n', 'root: ""\n'));
    expect(p).toMatchObject({ path: 'root', line: 2, message: 'kesconf: invalid admin identity: no admin identity' });
  });

  it('warns about an uppercase hex identity that can never match', async () => {
    const config = await parseConfig(VALID.replace('disabled', 'A'.repeat(64)), { env: {} });
    expect(config.warnings[0]!.message).toMatch(/uppercase/);
  });
});

describe('tls (spec §1.1)', () => {
  it('accepts auth off/on in any case', async () => {
    for (const auth of ['off', 'OFF', 'on', 'On', '""']) {
      const config = await parseConfig(VALID.replace('  cert:', `  auth: ${auth}\n  cert:`), { env: {} });
      expect(config.tls.auth).toBe(auth.toLowerCase() === 'on' ? 'on' : 'off');
    }
  });

  it('refuses any other auth value with the upstream text', async () => {
    const text = VALID.replace('  cert:', '  auth: verify\n  cert:');
    const [p] = await problemsOf(text);
    expect(p).toMatchObject({ path: 'tls.auth', line: lineOf(text, 'auth:'), message: "kesconf: invalid tls config: invalid auth 'verify'" });
  });

  it('a missing tls section reports key and certificate', async () => {
    const text = VALID.replace('tls:\n  key: ./server.key\n  cert: ./server.cert\n', '');
    const problems = await problemsOf(text);
    expect(problems.map((p) => p.message)).toEqual(['kesconf: invalid tls config: no private key', 'kesconf: invalid tls config: no certificate']);
  });

  it('refuses a proxy identity that is the admin (spec §3.5)', async () => {
    const id = 'd'.repeat(64);
    const text = VALID.replace('disabled', id).replace('  cert: ./server.cert\n', `  cert: ./server.cert\n  proxy:\n    identities:\n    - ${id}\n`);
    const [p] = await problemsOf(text);
    expect(p).toMatchObject({ path: 'tls.proxy.identities[0]', line: lineOf(text, `- ${id}`), message: `kesconf: invalid tls proxy: identity '${id}' is already admin` });
  });
});

describe('unknown keys', () => {
  it('are ignored like upstream, with a warning', async () => {
    const config = await parseConfig(`${VALID}unrelated: 1\n`, { env: {} });
    expect(config.warnings).toEqual([expect.objectContaining({ path: 'unrelated', line: 10, message: "unknown top-level field 'unrelated' is ignored" })]);
  });

  it('near misses of known keys are errors with a suggestion', async () => {
    const text = `${VALID}polcy:\n  x: {}\n`;
    const [p] = await problemsOf(text);
    expect(p).toMatchObject({ path: 'polcy', line: 10, hint: "did you mean 'policy'?" });
  });

  it('a duplicated top-level key is an error naming both lines', async () => {
    const text = `${VALID}admin:\n  identity: other\n`;
    const [p] = await problemsOf(text);
    expect(p).toMatchObject({ path: 'admin', line: 10, message: "key 'admin' is defined twice at the top level (lines 2 and 10)" });
    expect(p!.hint).toMatch(/only once/);
  });
});
