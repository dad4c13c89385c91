import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectKesError } from '@kes/keystore-testkit';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VaultFixture } from './vault-fixture.js';

const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const fixture = new VaultFixture({ kubernetes: { role: 'kes', publicKeys: [publicKey], boundServiceAccountNames: ['kes'], boundNamespaces: ['minio'] } });
let dir = '';
beforeAll(async () => {
  await fixture.start();
  dir = await mkdtemp(join(tmpdir(), 'kes-vault-k8s-'));
});
afterAll(async () => {
  await fixture.stop();
  await rm(dir, { recursive: true, force: true });
});

/** A projected service-account token as the kubelet writes it. */
function serviceAccountJwt(name: string, namespace = 'minio', key = privateKey): Promise<string> {
  return new SignJWT({ 'kubernetes.io': { namespace, serviceaccount: { name, uid: '1' } } })
    .setProtectedHeader({ alg: 'ES256' })
    .setSubject(`system:serviceaccount:${namespace}:${name}`)
    .setIssuer('https://kubernetes.default.svc')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(key);
}

const k8sBlock = (jwt: string) => fixture.block({ approle: undefined, kubernetes: { role: 'kes', jwt } });

describe('vault Kubernetes login (emulator)', () => {
  it('logs in with the JWT given inline', async () => {
    const ks = await fixture.keystore(k8sBlock(await serviceAccountJwt('kes')));
    await ks.create('k', Buffer.from('v'));
    expect(Buffer.from(await ks.get('k')).toString()).toBe('v');
  });

  it('re-reads a JWT file on every login (rotated projected tokens)', async () => {
    const file = join(dir, 'token');
    await writeFile(file, `${await serviceAccountJwt('kes')}\n`);
    const ks = await fixture.keystore(k8sBlock(file));
    await ks.create('k', Buffer.from('v'));
    await writeFile(file, await serviceAccountJwt('intruder')); // not bound to the role
    fixture.emulator.expireTokens();
    const err = await expectKesError(ks.get('k'), 'READ_KEY_FAILED');
    expect(String((err.cause as Error).message)).toMatch(/Kubernetes login at auth\/kubernetes\/login failed: service account name not authorized \(HTTP 403\)/);
  });

  it('a JWT signed by an unknown key is refused with a clear cause', async () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const ks = await fixture.keystore(k8sBlock(await serviceAccountJwt('kes', 'minio', other)));
    const err = await expectKesError(ks.get('k'), 'READ_KEY_FAILED');
    expect(String((err.cause as Error).message)).toMatch(/Kubernetes login .* failed: permission denied \(HTTP 403\)/);
  });

  it('a missing JWT file is reported with its path', async () => {
    const ks = await fixture.keystore(k8sBlock(join(dir, 'missing-token')));
    const err = await expectKesError(ks.get('k'), 'READ_KEY_FAILED');
    expect(String((err.cause as Error).message)).toContain(join(dir, 'missing-token'));
  });
});
