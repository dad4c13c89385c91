/**
 * Fidelity table: one case per row of shared/spec/azure-keyvault.md §2.5 and per step of the §2.6 lifecycle.
 * Each case checks, on the wire, the status, `error.code`, `innererror.code` (or its absence), the message and the
 * JSON key set of the real service's answer, and — where the SDK has the operation — what the real SDK reports.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SecretClient } from '@azure/keyvault-secrets';
import { startEmulator, type Emulator, type Knobs } from './index.js';
import { clientFor, keys, rawRequest, sdkFailure, vaultToken, type RawResponse } from './test/harness.js';

let emu: Emulator;
let client: SecretClient;
let token: string;
/** Windows are long; tests end them by moving the emulator clock forward (deterministic under load). */
const WINDOW = 60_000;
let offset = 0;
const advance = (ms: number) => {
  offset += ms;
};
const V = 'api-version=2025-07-01';

beforeAll(async () => {
  emu = await startEmulator({ vaults: ['fidelity'], now: () => Date.now() + offset });
  client = clientFor(emu);
  token = await vaultToken(emu);
});
afterAll(() => emu.stop());
beforeEach(async () => {
  emu.vault().clearSecrets();
  await emu.vault().resetKnobs();
});

const call = (method: string, path: string, opts: { body?: string; auth?: boolean } = {}) =>
  rawRequest(emu, method, `${emu.vaultUrl}${path}${path.includes('?') ? '&' : '?'}${V}`, {
    ...(opts.auth === false ? {} : { token }),
    ...(opts.body === undefined ? {} : { body: opts.body }),
  });
const put = (name: string, value = 'v') => call('PUT', `/secrets/${name}`, { body: JSON.stringify({ value }) });
const softDelete = async (name: string) => {
  await put(name);
  expect((await call('DELETE', `/secrets/${name}`)).status).toBe(200);
};

/** Asserts an error answer: status, code, inner code (undefined = absent), message, and the exact key sets. */
function expectError(r: RawResponse, status: number, code: string, inner: string | undefined, message: string | RegExp): void {
  expect(r.status).toBe(status);
  expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(keys(r.json)).toEqual(['error']);
  const err = (r.json as { error: { code: string; message: string; innererror?: { code: string } } }).error;
  expect(keys(err)).toEqual(inner === undefined ? ['code', 'message'] : ['code', 'innererror', 'message']);
  expect(err.code).toBe(code);
  expect(err.innererror?.code).toBe(inner);
  if (typeof message === 'string') expect(err.message).toBe(message);
  else expect(err.message).toMatch(message);
}

interface Row {
  situation: string;
  knobs?: Partial<Knobs>;
  setup?: () => Promise<void>;
  request: () => Promise<RawResponse>;
  status: number;
  code: string;
  inner?: string;
  message: string | RegExp;
  /** The same situation through the real SDK, if it has the operation. */
  sdk?: () => Promise<unknown>;
}

const NOT_FOUND = (x: string) =>
  `A secret with (name/id) ${x} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`;

const rows: Row[] = [
  { situation: 'no Authorization header', request: () => call('GET', '/secrets/x', { auth: false }), status: 401, code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' },
  { situation: 'secret not found (GET)', request: () => call('GET', '/secrets/missing'), status: 404, code: 'SecretNotFound', message: NOT_FOUND('missing'), sdk: () => client.getSecret('missing') },
  { situation: 'secret not found (DELETE)', request: () => call('DELETE', '/secrets/missing'), status: 404, code: 'SecretNotFound', message: NOT_FOUND('missing'), sdk: () => client.beginDeleteSecret('missing') },
  {
    situation: 'secret not found (PATCH)',
    request: () => call('PATCH', '/secrets/missing/0123456789abcdef0123456789abcdef', { body: '{"attributes":{"enabled":false}}' }),
    status: 404,
    code: 'SecretNotFound',
    message: NOT_FOUND('missing/0123456789abcdef0123456789abcdef'),
    sdk: () => client.updateSecretProperties('missing', '0123456789abcdef0123456789abcdef', { enabled: false }),
  },
  { situation: 'deleted secret not found (GET /deletedsecrets)', request: () => call('GET', '/deletedsecrets/missing'), status: 404, code: 'SecretNotFound', message: 'Deleted Secret not found: missing', sdk: () => client.getDeletedSecret('missing') },
  { situation: 'deleted secret not found (DELETE /deletedsecrets)', request: () => call('DELETE', '/deletedsecrets/missing'), status: 404, code: 'SecretNotFound', message: 'Deleted Secret not found: missing', sdk: () => client.purgeDeletedSecret('missing') },
  // Recover of an unknown name: a 2022 recording (api 7.4-preview.1) shows the "A secret with (name/id)…" wording.
  { situation: 'deleted secret not found (POST recover)', request: () => call('POST', '/deletedsecrets/missing/recover'), status: 404, code: 'SecretNotFound', message: NOT_FOUND('missing'), sdk: () => client.beginRecoverDeletedSecret('missing') },
  {
    situation: 'PUT on a soft-deleted name',
    setup: () => softDelete('gone'),
    request: () => put('gone'),
    status: 409,
    code: 'Conflict',
    inner: 'ObjectIsDeletedButRecoverable',
    message: 'Secret gone is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.',
    sdk: () => client.setSecret('gone', 'v'),
  },
  {
    situation: 'PUT while delete in progress',
    knobs: { deleteDelayMs: 60_000 },
    setup: () => softDelete('busy'),
    request: () => put('busy'),
    status: 409,
    code: 'Conflict',
    inner: 'ObjectIsBeingDeleted',
    message: 'Secret busy is currently being deleted and cannot be re-created; retry later.',
    sdk: () => client.setSecret('busy', 'v'),
  },
  {
    situation: 'PUT while purge in progress',
    knobs: { purgeDelayMs: 60_000 },
    setup: async () => {
      await softDelete('purging');
      expect((await call('DELETE', '/deletedsecrets/purging')).status).toBe(204);
    },
    request: () => put('purging'),
    status: 409,
    code: 'Conflict',
    inner: 'ObjectIsBeingDeleted',
    message: 'Secret purging is currently being deleted and cannot be re-created; retry later.',
    sdk: () => client.setSecret('purging', 'v'),
  },
  {
    situation: 'purge while soft delete still in progress',
    knobs: { deleteDelayMs: 60_000 },
    setup: () => softDelete('busy'),
    request: () => call('DELETE', '/deletedsecrets/busy'),
    status: 409,
    code: 'Conflict',
    inner: 'ObjectIsBeingDeleted',
    message: 'Secret is currently being deleted.',
    sdk: () => client.purgeDeletedSecret('busy'),
  },
  {
    situation: 'GET disabled secret',
    setup: async () => void (await call('PUT', '/secrets/off', { body: '{"value":"v","attributes":{"enabled":false}}' })),
    request: () => call('GET', '/secrets/off'),
    status: 403,
    code: 'Forbidden',
    inner: 'SecretDisabled',
    message: 'Operation get is not allowed on a disabled secret.',
    sdk: () => client.getSecret('off'),
  },
  {
    situation: 'access-policy permission missing',
    knobs: { permissions: ['list', 'set', 'delete', 'purge'] },
    request: () => call('GET', '/secrets/x'),
    status: 403,
    code: 'Forbidden',
    inner: 'ForbiddenByPolicy',
    message: /^The user, group or application 'appid=[^;]+;oid=[^;]+;iss=https:\/\/sts\.windows\.net\/[^/]+\/' does not have secrets get permission on key vault 'fidelity;location=local'\. For help resolving this issue, please see https:\/\/go\.microsoft\.com\/fwlink\/\?linkid=2125287$/,
    sdk: () => client.getSecret('x'),
  },
  {
    situation: 'RBAC role missing',
    knobs: { rbacDenied: ['get'] },
    request: () => call('GET', '/secrets/x'),
    status: 403,
    code: 'Forbidden',
    inner: 'ForbiddenByRbac',
    message: /^Caller is not authorized to perform action on resource\.\r\n[\s\S]*Action: 'Microsoft\.KeyVault\/vaults\/secrets\/getSecret\/action'/,
    sdk: () => client.getSecret('x'),
  },
  {
    situation: 'firewall',
    knobs: { firewall: true },
    request: () => call('GET', '/secrets/x'),
    status: 403,
    code: 'Forbidden',
    inner: 'ForbiddenByFirewall',
    message: /^Client address is not authorized and caller is not a trusted service\.\r\nClient address: 127\.0\.0\.1\r\n/,
    sdk: () => client.getSecret('x'),
  },
  {
    situation: 'purge with purge protection on',
    knobs: { purgeProtection: true },
    setup: () => softDelete('kept'),
    request: () => call('DELETE', '/deletedsecrets/kept'),
    status: 403,
    code: 'Forbidden',
    message: /^Operation "purge" is not allowed because purge protection is enabled for this vault\. Key Vault service will automatically purge it after the retention period has passed\.$/,
    sdk: () => client.purgeDeletedSecret('kept'),
  },
  { situation: 'invalid name', request: () => put('my_key'), status: 400, code: 'BadParameter', message: 'The request URI contains an invalid name: my_key', sdk: () => client.setSecret('my_key', 'v') },
  {
    situation: 'unknown api-version',
    request: () => rawRequest(emu, 'GET', `${emu.vaultUrl}/secrets/x?api-version=7.3-foo`, { token }),
    status: 400,
    code: 'BadParameter',
    message: 'The specified version (7.3-foo) is not recognized. Consider using the latest supported version (2025-07-01).',
  },
  {
    situation: 'throttled',
    knobs: { throttle: {} },
    request: () => call('GET', '/secrets/x'),
    status: 429,
    code: 'Throttled',
    message: 'Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached',
    sdk: () => client.getSecret('x'),
  },
];

describe('fidelity: §2.5 error table', () => {
  it.each(rows.map((r) => [r.situation, r] as const))('%s', async (_s, row) => {
    if (row.knobs) await emu.vault().setKnobs(row.knobs);
    await row.setup?.();
    expectError(await row.request(), row.status, row.code, row.inner, row.message);
    if (row.sdk) {
      const e = await sdkFailure(row.sdk());
      expect(e).toMatchObject({ statusCode: row.status, code: row.code, inner: row.inner });
    }
  });
});

describe('fidelity: §2.6 soft-delete lifecycle', () => {
  const ATTRS = ['created', 'enabled', 'recoverableDays', 'recoveryLevel', 'updated'];
  beforeEach(() => emu.vault().setKnobs({ deleteDelayMs: WINDOW, purgeDelayMs: WINDOW, recoverDelayMs: WINDOW }));

  it('1. DELETE → 200 DeletedSecretBundle without value, scheduledPurgeDate = deletedDate + recoverableDays', async () => {
    await put('x', 'secret-value');
    const r = await call('DELETE', '/secrets/x');
    expect(r.status).toBe(200);
    const b = r.json as { attributes: unknown; deletedDate: number; scheduledPurgeDate: number; recoveryId: string; id: string };
    expect(keys(b)).toEqual(['attributes', 'deletedDate', 'id', 'recoveryId', 'scheduledPurgeDate']);
    expect(keys(b.attributes)).toEqual(ATTRS);
    expect(Number.isInteger(b.deletedDate)).toBe(true);
    expect(b.scheduledPurgeDate).toBe(b.deletedDate + 7 * 86_400);
    expect(b.recoveryId).toBe(`${emu.vaultUrl}/deletedsecrets/x`);
    expect(b.id).toMatch(new RegExp(`^${emu.vaultUrl}/secrets/x/[0-9a-f]{32}$`));
  });

  it('2. GET /deletedsecrets/x → 404 "Deleted Secret not found" for a while, then 200', async () => {
    await softDelete('x');
    expectError(await call('GET', '/deletedsecrets/x'), 404, 'SecretNotFound', undefined, 'Deleted Secret not found: x');
    advance(WINDOW);
    const r = await call('GET', '/deletedsecrets/x');
    expect(r.status).toBe(200);
    expect(keys(r.json)).toEqual(['attributes', 'deletedDate', 'id', 'recoveryId', 'scheduledPurgeDate']);
  });

  it('3. GET /secrets/x → 404 SecretNotFound right after the DELETE', async () => {
    await softDelete('x');
    expectError(await call('GET', '/secrets/x'), 404, 'SecretNotFound', undefined, NOT_FOUND('x'));
  });

  it('4. purge → 204 at once, but a PUT right after gets 409 ObjectIsBeingDeleted; later the PUT works', async () => {
    await softDelete('x');
    advance(WINDOW);
    const purge = await call('DELETE', '/deletedsecrets/x');
    expect(purge.status).toBe(204);
    expect(purge.text).toBe('');
    expectError(await put('x'), 409, 'Conflict', 'ObjectIsBeingDeleted', 'Secret x is currently being deleted and cannot be re-created; retry later.');
    advance(WINDOW);
    expect((await put('x')).status).toBe(200);
  });

  it('5. recover → 200 without value; GET /secrets/x stays 404 for a while, then 200', async () => {
    await softDelete('x');
    advance(WINDOW);
    const r = await call('POST', '/deletedsecrets/x/recover');
    expect(r.status).toBe(200);
    expect(keys(r.json)).toEqual(['attributes', 'id']);
    expectError(await call('GET', '/secrets/x'), 404, 'SecretNotFound', undefined, NOT_FOUND('x'));
    advance(WINDOW);
    const got = await call('GET', '/secrets/x');
    expect(got.status).toBe(200);
    expect(keys(got.json)).toEqual(['attributes', 'id', 'value']);
  });

  it('6. GET /secrets/{unknown}/versions → 200 {"value":[],"nextLink":null}', async () => {
    const r = await call('GET', '/secrets/never-existed/versions');
    expect(r.status).toBe(200);
    expect(r.text).toBe('{"value":[],"nextLink":null}');
  });
});

describe('fidelity: success shapes (§2.2, §2.3)', () => {
  it('SecretBundle, SecretItem and list pages have the real key sets; ids and versions have the real form', async () => {
    const set = await call('PUT', '/secrets/shape', { body: '{"value":"v","contentType":"text/plain","tags":{"k":"v"},"attributes":{"nbf":1700000000,"exp":4100000000}}' });
    expect(keys(set.json)).toEqual(['attributes', 'contentType', 'id', 'tags', 'value']);
    const attrs = (set.json as { attributes: Record<string, unknown> }).attributes;
    expect(Object.keys(attrs)).toEqual(['enabled', 'nbf', 'exp', 'created', 'updated', 'recoveryLevel', 'recoverableDays']);
    expect(Number.isInteger(attrs['created'])).toBe(true);
    const list = await call('GET', '/secrets?maxresults=1');
    expect(keys(list.json)).toEqual(['nextLink', 'value']);
    const item = (list.json as { value: unknown[]; nextLink: unknown }).value[0];
    expect(keys(item)).toEqual(['attributes', 'contentType', 'id', 'tags']);
    expect((item as { id: string }).id).toBe(`${emu.vaultUrl}/secrets/shape`);
    expect((list.json as { nextLink: unknown }).nextLink).toBeNull();
    await put('shape2');
    const paged = await call('GET', '/secrets?maxresults=1');
    const next = (paged.json as { nextLink: string }).nextLink;
    expect(next).toMatch(new RegExp(`^${emu.vaultUrl}/secrets\\?api-version=2025-07-01&\\$skiptoken=[A-Za-z0-9_-]+&maxresults=1$`));
    const page2 = await rawRequest(emu, 'GET', next, { token });
    expect((page2.json as { value: Array<{ id: string }> }).value.map((i) => i.id)).toEqual([`${emu.vaultUrl}/secrets/shape2`]);
    const versions = await call('GET', '/secrets/shape/versions');
    expect((versions.json as { value: Array<{ id: string }> }).value[0]?.id).toMatch(/\/secrets\/shape\/[0-9a-f]{32}$/);
  });
});
