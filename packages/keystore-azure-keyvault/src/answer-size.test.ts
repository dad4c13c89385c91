import type { KesError } from '@kes/core';
import { expectKesError } from '@kes/keystore-testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAnswerProxy, type AnswerProxy, type Framing } from './answer-proxy.spec.js';
import { AzureKeyVaultKeystore } from './azure-keystore.js';
import { MAX_ANSWER_BYTES } from './bounded-http-client.js';
import { credentialOf } from './definition.js';
import { startTestVault, type TestVault } from './emulator-harness.spec.js';

const HUGE = 64 * 1024 * 1024;
const VALUE = 'c2VjcmV0LWtleS1tYXRlcmlhbC1vZi10aGUtdGVzdA==';
const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const FRAMINGS: Framing[] = ['length', 'chunked', 'close'];

/** Every message of an error's cause chain, joined. */
function chain(err: unknown): string {
  const out: string[] = [];
  for (let e = err as { message?: unknown; cause?: unknown } | undefined, i = 0; e !== undefined && e !== null && i < 10; e = e.cause as typeof e, i++) out.push(String(e.message));
  return out.join(' <- ');
}

let vault: TestVault;
let proxy: AnswerProxy;
beforeAll(async () => {
  vault = await startTestVault();
  proxy = await startAnswerProxy(vault.emu.vaultUrl, vault.emu.caPem);
});
afterAll(async () => {
  await proxy.close();
  await vault.stop();
});
beforeEach(async () => {
  await vault.reset();
  proxy.set(undefined);
});

/** A keystore talking to the vault through the proxy. */
const keystore = () => vault.keystore({ endpoint: proxy.url, ca: [vault.emu.caPem, proxy.certPem] });

describe('answers larger than MAX_ANSWER_BYTES', () => {
  it.each(FRAMINGS)('a 64 MiB answer to a key read (%s) fails fast with READ_KEY_FAILED, is not retried, and the key is kept', async (framing) => {
    const ks = keystore();
    await ks.create('k', utf8(VALUE));
    proxy.set({ match: /^GET \/secrets\/k\/[0-9a-f]{32}$/, framing, bytes: HUGE });
    const started = performance.now();
    const err = await expectKesError(ks.get('k'), 'READ_KEY_FAILED');
    expect(performance.now() - started).toBeLessThan(5_000);
    expect((err as KesError).status).toBe(502);
    expect(chain(err)).toMatch(/azure: failed to read 'k': the answer to GET https:\/\/localhost:\d+\/secrets\/k\/[0-9a-f]{32} is larger than 1048576 bytes/);
    expect(chain(err)).not.toContain('AAAAAAAA');
    expect(proxy.stats().answers, 'a bad answer is not asked for again').toBe(1);
    expect(proxy.stats().maxBytesWritten, 'bytes the client let in before hanging up').toBeLessThan(MAX_ANSWER_BYTES + 12 * 1024 * 1024);
    proxy.set(undefined);
    expect(text(await ks.get('k'))).toBe(VALUE);
  });

  it('a 64 MiB list page fails the listing with LIST_KEYS_FAILED', async () => {
    const ks = keystore();
    await ks.create('k', utf8(VALUE));
    proxy.set({ match: /^GET \/secrets$/, framing: 'chunked', bytes: HUGE });
    const err = await expectKesError(ks.list('', 0), 'LIST_KEYS_FAILED');
    expect(chain(err)).toContain('azure: failed to list keys: the answer to GET');
    proxy.set(undefined);
    expect((await ks.list('', 0)).names).toEqual(['k']);
  });

  it('a 64 MiB error answer (404 to the status probe) makes the vault unavailable, not healthy', async () => {
    const ks = keystore();
    await ks.status();
    proxy.set({ match: /^GET \/secrets\/kes-status-probe\/$/, framing: 'length', bytes: HUGE, status: 404 });
    const err = await expectKesError(ks.status(), 'KEYSTORE_UNAVAILABLE');
    expect(chain(err)).toContain('(it announced');
    proxy.set(undefined);
    await ks.status();
  });

  it('an answer just under the limit is read normally', async () => {
    const ks = keystore();
    const big = 'x'.repeat(25_000); // Key Vault's own value limit is about 25 KB
    await ks.create('big', utf8(big));
    expect(text(await ks.get('big'))).toBe(big);
  });

  it('a 64 MiB answer from the identity provider fails the call the same way, without buffering it', async () => {
    const login = await startAnswerProxy(vault.emu.authorityHost, vault.emu.caPem);
    try {
      const ca = `${vault.emu.caPem}\n${login.certPem}`;
      const e = vault.emu;
      const auth = { kind: 'client-secret' as const, tenantId: e.tenantId, clientId: e.clientId, clientSecret: e.clientSecret };
      const credential = credentialOf({ endpoint: e.vaultUrl, auth, authorityHost: login.url }, ca);
      const ks = new AzureKeyVaultKeystore({ endpoint: e.vaultUrl, credential, ca: e.caPem, disableChallengeResourceVerification: true });
      login.set({ match: /./, framing: 'chunked', bytes: HUGE });
      const err = await expectKesError(ks.status(), 'KEYSTORE_UNAVAILABLE');
      expect(login.stats().answers).toBeGreaterThan(0);
      expect(login.stats().maxBytesWritten).toBeLessThan(MAX_ANSWER_BYTES + 12 * 1024 * 1024);
      expect(chain(err)).toContain('could not get a token for the vault');
    } finally {
      await login.close();
    }
  });
});
