/**
 * "Nothing lost" (issue 5 §3): three KES servers, each with its own keystore instance and key cache, share one
 * (emulated) vault. They create the same key at the same moment and all end up serving the same key; a data key
 * generated on any node decrypts on every node; a new version of the secret written later through the SDK never
 * changes the key that is served, also by a node that starts afterwards.
 */
import type { ClientSecretCredential } from '@azure/identity';
import type { Emulator } from '@kes/azure-keyvault-emulator';
import { isKeyExists } from '@kes/client';
import { encodeStoredKey, newStoredKey } from '@kes/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorCredential, emulatorKeystore, sdkClient, startAzureEmulator, vaultRequests } from './azure-fixture.js';
import { localhostCertificate, startNode, type KesNode } from './kes-node.js';

let emu: Emulator;
let credential: ClientSecretCredential;
let nodes: KesNode[] = [];
const tls = localhostCertificate();
const context = new TextEncoder().encode('{"aws:s3:arn":"arn:aws:s3:::bucket/object"}');

beforeAll(async () => {
  emu = await startAzureEmulator();
  credential = emulatorCredential(emu);
  nodes = await Promise.all([0, 1, 2].map(() => startNode(emulatorKeystore(emu, emulatorCredential(emu)), tls)));
  for (const node of nodes) await node.client.status(); // every node has authenticated to the vault
});
afterAll(async () => {
  await Promise.all(nodes.map((n) => n.close()));
  await emu.stop();
});

describe('three nodes on one vault', () => {
  it('create the same key at the same moment: all nodes serve the same key, DEKs decrypt everywhere', async () => {
    await emu.vault().setKnobs({ latencyMs: 150 }); // every existence check answers before any write lands
    emu.vault().clearRequests();
    const outcomes = await Promise.allSettled(nodes.map((n) => n.client.createKey('shared-key')));
    await emu.vault().setKnobs({ latencyMs: 0 });
    const created = outcomes.filter((o) => o.status === 'fulfilled').length;
    expect(created).toBe(1);
    for (const o of outcomes) if (o.status === 'rejected') expect(isKeyExists(o.reason)).toBe(true);
    expect(vaultRequests(emu).filter((r) => r === 'PUT /secrets/shared-key').length).toBeGreaterThan(1); // several versions were written

    for (const [i, producer] of nodes.entries()) {
      const dek = await producer.client.generateKey('shared-key', context);
      for (const [j, consumer] of nodes.entries()) {
        const plaintext = await consumer.client.decrypt('shared-key', dek.ciphertext, context);
        expect(Buffer.from(plaintext).equals(Buffer.from(dek.plaintext)), `DEK of node ${i} decrypted on node ${j}`).toBe(true);
      }
    }
  });

  it('a new version written later through the SDK never changes the served key, also for a node started afterwards', async () => {
    const before = await nodes[0]!.client.generateKey('shared-key', context);
    const intruder = encodeStoredKey(newStoredKey({ createdBy: 'someone-else' }));
    await sdkClient(emu, credential).setSecret('shared-key', new TextDecoder().decode(intruder));
    const late = await startNode(emulatorKeystore(emu, emulatorCredential(emu)), tls); // empty cache: reads the vault
    try {
      for (const node of [...nodes, late]) {
        const plaintext = await node.client.decrypt('shared-key', before.ciphertext, context);
        expect(Buffer.from(plaintext).equals(Buffer.from(before.plaintext))).toBe(true);
      }
      const after = await late.client.generateKey('shared-key', context);
      expect(Buffer.from(await nodes[1]!.client.decrypt('shared-key', after.ciphertext, context)).equals(Buffer.from(after.plaintext))).toBe(true);
    } finally {
      await late.close();
    }
  });
});
