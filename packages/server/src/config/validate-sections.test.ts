import { describe, expect, it } from 'vitest';
import { parseConfig } from './load-config.js';
import { ConfigError, type ConfigProblem } from './problems.js';

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

const BASE = `admin:
  identity: disabled
tls:
  key: ./server.key
  cert: ./server.cert
keystore:
  memory: {}
`;

describe('cache.expiry (spec §6.2, §8.3)', () => {
  const cache = (any: string, unused: string, offline: string) => `${BASE}cache:\n  expiry:\n    any: ${any}\n    unused: ${unused}\n    offline: ${offline}\n`;

  it('takes Go durations', async () => {
    const config = await parseConfig(cache('1h', '0s', '"0"'), { env: {} });
    expect(config.cache).toEqual({ anyMs: 3_600_000, unusedMs: 0, offlineMs: 0 });
  });

  it('keeps the documented default of a field that is not written (not HEAD’s any=30s bug)', async () => {
    const config = await parseConfig(`${BASE}cache:\n  expiry:\n    offline: 5m\n`, { env: {} });
    expect(config.cache).toEqual({ anyMs: 300_000, unusedMs: 30_000, offlineMs: 300_000 });
  });

  it('refuses negative expiries with the upstream texts', async () => {
    const text = cache('-5m', '-1s', '-1h');
    const problems = await problemsOf(text);
    expect(problems.map((p) => [p.path, p.line, p.message])).toEqual([
      ['cache.expiry.any', lineOf(text, 'any:'), "kesconf: invalid cache expiry '-5m0s'"],
      ['cache.expiry.unused', lineOf(text, 'unused:'), "kesconf: invalid cache unused expiry '-1s'"],
      ['cache.expiry.offline', lineOf(text, 'offline:'), "kesconf: invalid offline cache expiry '-1h0m0s'"],
    ]);
  });

  it('refuses bare integers like yaml.v3 and says which unit to add', async () => {
    const text = cache('300', '30s', '0s');
    const [p] = await problemsOf(text);
    expect(p).toMatchObject({ path: 'cache.expiry.any', line: lineOf(text, 'any:') });
    expect(p!.message).toMatch(/needs a unit/);
    expect(p!.hint).toContain('300s');
  });

  it('refuses text that is not a duration', async () => {
    const [p] = await problemsOf(cache('5 minutes', '30s', '0s'));
    expect(p!.message).toBe("invalid duration '5 minutes'");
  });
});

describe('api (spec §6.2, §2.1)', () => {
  it('maps skip_auth (YAML 1.1 words too) and timeouts', async () => {
    const text = `${BASE}api:\n  /v1/ready:\n    skip_auth: on\n  /v1/metrics:\n    skip_auth: false\n    timeout: 1m\n`;
    const config = await parseConfig(text, { env: {} });
    expect(config.api).toEqual({ '/v1/ready': { skipAuth: true }, '/v1/metrics': { skipAuth: false, timeoutMs: 60_000 } });
  });

  it('refuses a negative timeout with the upstream text', async () => {
    const text = `${BASE}api:\n  /v1/key/create/:\n    timeout: -15s\n`;
    const [p] = await problemsOf(text);
    expect(p).toMatchObject({ path: 'api./v1/key/create/.timeout', line: lineOf(text, 'timeout:'), message: "kesconf: invalid timeout '-15s' for API '/v1/key/create/'" });
  });

  it('refuses a route path without its trailing slash (it would silently never apply)', async () => {
    const text = `${BASE}api:\n  /v1/key/create:\n    timeout: 5s\n`;
    const [p] = await problemsOf(text);
    expect(p).toMatchObject({ line: lineOf(text, '/v1/key/create:'), message: "'/v1/key/create' is not an API path" });
    expect(p!.hint).toContain("'/v1/key/create/'");
  });

  it('ignores an unrelated path with a warning', async () => {
    const config = await parseConfig(`${BASE}api:\n  /something/else:\n    skip_auth: true\n`, { env: {} });
    expect(config.api).toEqual({});
    expect(config.warnings[0]!.message).toBe("'/something/else' is not an API path and is ignored");
  });

  it('refuses a value that is not a boolean', async () => {
    const [p] = await problemsOf(`${BASE}api:\n  /v1/status:\n    skip_auth: maybe\n`);
    expect(p).toMatchObject({ path: 'api./v1/status.skip_auth', message: "invalid boolean 'maybe'" });
  });
});

describe('log (spec §6.2)', () => {
  it('maps levels to slog numbers', async () => {
    const config = await parseConfig(`${BASE}log:\n  error: debug\n  audit: INFO+2\n`, { env: {} });
    expect(config.log).toEqual({ errorLevel: -4, auditLevel: 2 });
  });

  it('off disables a log; on is INFO', async () => {
    const config = await parseConfig(`${BASE}log:\n  error: on\n  audit: off\n`, { env: {} });
    expect(config.log).toEqual({ errorLevel: 0, auditLevel: 9 });
  });

  it('refuses an unknown level with its line', async () => {
    const text = `${BASE}log:\n  audit: verbose\n`;
    const [p] = await problemsOf(text);
    expect(p).toMatchObject({ path: 'log.audit', line: lineOf(text, 'audit:'), message: "kesconf: invalid audit log level 'verbose'" });
  });
});

describe('keys (spec §6.2)', () => {
  it('refuses a key listed twice with the upstream text, naming the first', async () => {
    const text = `${BASE}keys:\n- name: a\n- name: b\n- name: a\n`;
    const [p] = await problemsOf(text);
    expect(p).toMatchObject({
      path: 'keys[2].name',
      line: lineOf(text, '- name: a', 2),
      message: "kesconf: invalid key config: key 'a' is defined multiple times",
      related: [{ path: 'keys[0].name', line: lineOf(text, '- name: a') }],
    });
  });

  it('refuses bare names and says how to write them', async () => {
    const [p] = await problemsOf(`${BASE}keys:\n- my-key\n`);
    expect(p).toMatchObject({ path: 'keys[0]', message: 'each entry of keys must be a mapping with a name', hint: "write '- name: my-key'" });
  });

  it('refuses an empty name', async () => {
    const [p] = await problemsOf(`${BASE}keys:\n- name: ""\n`);
    expect(p).toMatchObject({ path: 'keys[0].name', message: 'key name is empty' });
  });
});

describe('kinds', () => {
  it('a list where a mapping belongs is reported with its path', async () => {
    const [p] = await problemsOf(`${BASE}cache:\n  - any: 5m\n`);
    expect(p).toMatchObject({ path: 'cache', message: 'expected a mapping (key: value lines), found a list' });
  });

  it('a mapping where a value belongs is reported with its path', async () => {
    const [p] = await problemsOf(BASE.replace('identity: disabled', 'identity:\n    name: x'));
    expect(p).toMatchObject({ path: 'admin.identity', line: 2, message: 'expected a single value, found a mapping (key: value lines)' });
  });
});

describe('${VAR} substitution in typed fields (spec §6.1)', () => {
  it('works for booleans, durations and log levels, before type conversion', async () => {
    const text = `${BASE}api:\n  /v1/status:\n    skip_auth: \${SKIP}\n    timeout: "\${T}"\ncache:\n  expiry:\n    any: \${ANY}\nlog:\n  audit: \${AUDIT}\n`;
    const config = await parseConfig(text, { env: { SKIP: 'yes', T: '2s', ANY: '1m', AUDIT: 'off' } });
    expect(config.api['/v1/status']).toEqual({ skipAuth: true, timeoutMs: 2000 });
    expect(config.cache.anyMs).toBe(60_000);
    expect(config.log.auditLevel).toBe(9);
  });

  it('a substituted value is still checked', async () => {
    const text = `${BASE}cache:\n  expiry:\n    any: \${ANY}\n`;
    const [p] = await problemsOf(text, { ANY: '5' });
    expect(p).toMatchObject({ path: 'cache.expiry.any', message: "invalid duration '5'" });
  });

  it('is not applied to api path keys', async () => {
    const config = await parseConfig(`${BASE}api:\n  \${ROUTE}:\n    skip_auth: true\n`, { env: { ROUTE: '/v1/status' } });
    expect(config.api).toEqual({});
    expect(config.warnings[0]!.message).toBe("'${ROUTE}' is not an API path and is ignored");
  });

  it('reports every missing variable at once, each with its line', async () => {
    const text = `${BASE}api:\n  /v1/status:\n    skip_auth: \${A}\n    timeout: \${B}\n`;
    const problems = await problemsOf(text);
    expect(problems.map((p) => p.message)).toEqual([
      `kesconf: referenced env. variable 'A' in line '${lineOf(text, '${A}')}' not found`,
      `kesconf: referenced env. variable 'B' in line '${lineOf(text, '${B}')}' not found`,
    ]);
  });
});
