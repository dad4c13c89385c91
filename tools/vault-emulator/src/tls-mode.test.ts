import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVaultEmulator, type VaultEmulator } from './emulator.js';

let emulator: VaultEmulator;
beforeAll(async () => {
  emulator = await startVaultEmulator({ tls: { requireClientCert: true } });
});
afterAll(() => emulator.stop());

function get(path: string, tls: { ca?: string; cert?: string; key?: string }): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${emulator.address}${path}`, { ...tls, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('HTTPS mode', () => {
  it('serves HTTPS with its CA and demands a client certificate signed by it', async () => {
    expect(emulator.address).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const t = emulator.tls!;
    expect(await get('/v1/sys/health', { ca: t.ca.certPem, cert: t.client.certPem, key: t.client.keyPem })).toBe(200);
    await expect(get('/v1/sys/health', { ca: t.ca.certPem })).rejects.toThrow();
    await expect(get('/v1/sys/health', { cert: t.client.certPem, key: t.client.keyPem })).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
  });
});
