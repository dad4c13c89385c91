import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVaultEmulator, type VaultEmulator } from './emulator.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
let emulator: VaultEmulator;
beforeAll(async () => {
  emulator = await startVaultEmulator({ kubernetes: { role: 'minio', boundNamespaces: ['tenant'], tokenTtlSeconds: 120 } });
});
afterAll(() => emulator.stop());

const login = async (body: unknown) => {
  const res = await fetch(`${emulator.address}/v1/auth/kubernetes/login`, { method: 'PUT', body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { errors?: string[]; auth?: { lease_duration: number; metadata: Record<string, string> } } };
};
/** A legacy (secret-based) service-account token. */
const legacyJwt = (namespace: string, exp = '1h') =>
  new SignJWT({ 'kubernetes.io/serviceaccount/namespace': namespace, 'kubernetes.io/serviceaccount/service-account.name': 'kes' })
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer('kubernetes/serviceaccount')
    .setExpirationTime(exp)
    .sign(rsa.privateKey);

describe('Kubernetes login', () => {
  it('fails until the test gives the emulator the signing key, then issues a token', async () => {
    const jwt = await legacyJwt('tenant');
    expect(await login({ role: 'minio', jwt })).toEqual({ status: 403, body: { errors: ['permission denied'] } });
    emulator.addKubernetesKey(rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString());
    const ok = await login({ role: 'minio', jwt });
    expect(ok.status).toBe(200);
    expect(ok.body.auth).toMatchObject({ lease_duration: 120, metadata: { service_account_name: 'kes', service_account_namespace: 'tenant' } });
  });

  it('checks role, bound namespace, expiry and the request fields', async () => {
    emulator.addKubernetesKey(rsa.publicKey);
    expect(await login({ role: 'other', jwt: await legacyJwt('tenant') })).toEqual({ status: 400, body: { errors: ['invalid role name "other"'] } });
    expect(await login({ role: 'minio', jwt: await legacyJwt('elsewhere') })).toEqual({ status: 403, body: { errors: ['namespace not authorized'] } });
    expect((await login({ role: 'minio', jwt: await legacyJwt('tenant', '-1m') })).status).toBe(403);
    expect(await login({ jwt: 'x' })).toEqual({ status: 400, body: { errors: ['missing role'] } });
    expect(await login({ role: 'minio' })).toEqual({ status: 400, body: { errors: ['missing jwt'] } });
  });
});
