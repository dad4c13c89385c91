/**
 * Azure-specific fault cases through the emulator's knobs, end to end: through KES servers (HTTP API → key cache →
 * keystore → SDK → emulator) and through a key cache alone where the timing of its probe matters. Throttling storms,
 * asynchronous delete windows, purge protection, missing permissions, and an outage while keys are cached.
 */
import type { ClientSecretCredential } from '@azure/identity';
import type { Emulator } from '@kes/azure-keyvault-emulator';
import { isKesClientError } from '@kes/client';
import { decodeStoredKey, encodeStoredKey, KeyCache, newStoredKey } from '@kes/core';
import { DEFAULT_TIMING } from '@kes/keystore-azure-keyvault';
import { expectKesError } from '@kes/keystore-testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { emulatorCredential, emulatorKeystore, startAzureEmulator } from './azure-fixture.js';
import { localhostCertificate, startNode, type KesNode } from './kes-node.js';

let emu: Emulator;
let credential: ClientSecretCredential;
let nodes: KesNode[] = [];
/** What each node's keystore warned about (the server wires the same `warn` to its error log). */
const warnings: string[][] = [[], []];
const tls = localhostCertificate();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const expectHttp = async (p: Promise<unknown>, status: number, message: string) => {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(isKesClientError(err), String(err)).toBe(true);
  expect(err).toMatchObject({ status, message });
};
const errorLog = (node: KesNode) => node.errors.text.join('');

beforeAll(async () => {
  emu = await startAzureEmulator();
  credential = emulatorCredential(emu);
  // Production timing: the retry counts and budgets are what a storm is measured against.
  nodes = await Promise.all(
    [0, 1].map((i) => startNode(emulatorKeystore(emu, emulatorCredential(emu), { timing: DEFAULT_TIMING, warn: (m) => warnings[i]!.push(m) }), tls)),
  );
});
afterAll(async () => {
  await Promise.all(nodes.map((n) => n.close()));
  await emu.stop();
});
beforeEach(async () => {
  await emu.vault().resetKnobs();
  emu.vault().clearSecrets();
  for (const w of warnings) w.length = 0;
});

describe('throttling storm', () => {
  it('both nodes create and use 12 keys each while the vault allows 30 requests per second: every request succeeds', async () => {
    // ~150 vault calls at 30/s: about half of one call's 10 s budget, so every call gets through, later.
    await emu.vault().setKnobs({ throttle: { rate: { limit: 30, windowMs: 1000 } } });
    const work = nodes.flatMap((node, n) =>
      Array.from({ length: 12 }, async (_, i) => {
        const name = `storm-${n}-${i}`;
        await node.client.createKey(name);
        const dek = await node.client.generateKey(name);
        expect(dek.plaintext).toHaveLength(32);
      }),
    );
    await Promise.all(work);
    expect(emu.vault().throttledCount()).toBeGreaterThan(0);
  }, 60_000);
});

describe('asynchronous delete windows', () => {
  it('a key deleted on one node can be created again at once on the other (purge retried during the window)', async () => {
    await emu.vault().setKnobs({ deleteDelayMs: 1500, purgeDelayMs: 500 });
    await nodes[0]!.client.createKey('cycled');
    await nodes[0]!.client.deleteKey('cycled');
    await nodes[1]!.client.createKey('cycled');
    await nodes[1]!.client.generateKey('cycled');
  }, 30_000);
});

describe('purge protection', () => {
  it('delete succeeds with a warning; creating the name again fails and the log names the scheduled purge date', async () => {
    await emu.vault().setKnobs({ purgeProtection: true });
    await nodes[0]!.client.createKey('protected');
    await nodes[0]!.client.deleteKey('protected');
    await expectHttp(nodes[0]!.client.generateKey('protected'), 404, 'key does not exist');
    await expectHttp(nodes[1]!.client.createKey('protected'), 502, 'failed to create key');
    expect(warnings[0]).toEqual([expect.stringMatching(/^azure: key 'protected' was deleted; the vault has purge protection/)]);
    expect(errorLog(nodes[1]!)).toMatch(/cannot be purged because the vault has purge protection enabled; recover the deleted secret in the vault, or wait until \d{4}-\d\d-\d\dT[\d:.]+Z/);
  });
});

describe('missing permissions', () => {
  it.each([
    ['get', (n: KesNode) => n.client.generateKey('perm-key'), 'failed to read key'],
    ['list', (n: KesNode) => n.client.generateKey('perm-key'), 'failed to read key'],
    ['set', (n: KesNode) => n.client.createKey('perm-other'), 'failed to create key'],
    ['delete', (n: KesNode) => n.client.deleteKey('perm-key'), 'failed to delete key'],
    ['purge', (n: KesNode) => n.client.deleteKey('perm-key'), 'failed to delete key'],
  ] as const)("without '%s' the API answers 502 and the error log names the permission", async (permission, call, message) => {
    await emu.vault().setKnobs({ permissions: ['get', 'list', 'set', 'delete', 'purge'] });
    await nodes[1]!.client.createKey('perm-key');
    await emu.vault().setKnobs({ permissions: (['get', 'list', 'set', 'delete', 'purge'] as const).filter((p) => p !== permission) });
    await expectHttp(call(nodes[0]!), 502, message);
    expect(errorLog(nodes[0]!)).toContain(`does not grant this identity the secret permission '${permission}'`);
  });
});

describe('outage while keys are cached', () => {
  it('a node serves cached keys through an outage while /v1/ready and /v1/status report it', async () => {
    const node = nodes[0]!;
    await node.client.createKey('cached');
    const dek = await node.client.generateKey('cached'); // now cached
    await emu.vault().setKnobs({ outage: 'refused' });
    try {
      expect(await node.client.decrypt('cached', dek.ciphertext)).toEqual(dek.plaintext);
      await node.client.generateKey('cached');
      await expectHttp(node.client.ready(), 504, 'key store is not reachable');
      expect(await node.client.status()).toMatchObject({ keystoreUnreachable: true, keystoreUnavailable: true });
      await expectHttp(nodes[1]!.client.generateKey('cached'), 502, 'failed to read key'); // not cached on node 1
    } finally {
      await emu.vault().setKnobs({ outage: 'none' });
    }
    // If the cache's 10 s probe ran during the outage, the node reports the keystore offline until the next probe.
    const deadline = Date.now() + 15_000;
    while (await node.client.ready().then(() => false, () => Date.now() < deadline)) await sleep(250);
    await node.client.ready();
    expect((await node.client.status()).keystoreLatencyMs).toBeGreaterThan(0);
  }, 30_000);

  it('the key cache keeps keys past their expiry while offline and flushes them after the offline expiry', async () => {
    const keystore = emulatorKeystore(emu, credential, { timing: { statusTimeoutMs: 300, operationTimeoutMs: 1000 } });
    const stored = newStoredKey({ createdBy: 'test' });
    await keystore.create('offline-key', encodeStoredKey(stored));
    const cache = new KeyCache(keystore, { parse: decodeStoredKey, expiry: { any: 400, unused: 60_000, offline: 2500 }, statusIntervalMs: 100 });
    try {
      await cache.get('offline-key');
      await emu.vault().setKnobs({ outage: 'refused' });
      for (let i = 0; i < 50 && !cache.offline; i++) await sleep(50);
      expect(cache.offline).toBe(true);
      await sleep(900); // two `any` periods: online, the cache would have been flushed
      expect((await cache.get('offline-key')).key.bytes).toEqual(stored.key.bytes);
      await expectKesError(cache.status(), 'KEYSTORE_UNREACHABLE');
      await sleep(2600); // the offline expiry flushes everything
      const err = await expectKesError(cache.get('offline-key'), 'READ_KEY_FAILED');
      expect((err.cause as { code?: string }).code).toBe('KEYSTORE_UNREACHABLE');
      await emu.vault().setKnobs({ outage: 'none' });
      for (let i = 0; i < 50 && cache.offline; i++) await sleep(50);
      expect(cache.offline).toBe(false);
      expect((await cache.get('offline-key')).key.bytes).toEqual(stored.key.bytes);
    } finally {
      await emu.vault().setKnobs({ outage: 'none' });
      await cache.close();
    }
  }, 20_000);
});
