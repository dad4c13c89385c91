import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KesError } from '@kes/core';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsSecretsManagerKeystore } from './aws-keystore.js';

const keystores: AwsSecretsManagerKeystore[] = [];
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(keystores.splice(0).map((k) => k.close()));
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => { s.closeAllConnections(); s.close(r); })));
});

const keystore = (endpoint: string, statusTimeoutMs?: number) => {
  const ks = new AwsSecretsManagerKeystore({ endpoint, region: 'us-east-2', credentials: { accessKey: 'AKID', secretKey: 'S' }, ...(statusTimeoutMs ? { statusTimeoutMs } : {}) });
  keystores.push(ks);
  return ks;
};
const failure = (p: Promise<unknown>) => p.then(() => expect.fail('expected a rejection'), (e: unknown) => e as KesError);

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('AwsSecretsManagerKeystore status (KES-style GET probe)', () => {
  it('counts any HTTP answer as reachable (like KES) and does not keep the connection', async () => {
    let requests = 0;
    const endpoint = await serve((req, res) => {
      requests++;
      expect(req.method).toBe('GET');
      res.writeHead(404).end('x'.repeat(100_000));
    });
    const ks = keystore(endpoint);
    const status = await ks.status();
    expect(status.latencyMs).toBeGreaterThanOrEqual(0);
    expect(requests).toBe(1);
    await new Promise((r) => setTimeout(r, 50));
    const open = await new Promise<number>((resolve, reject) => servers[0]!.getConnections((err, n) => (err ? reject(err) : resolve(n))));
    expect(open, 'connections left open by the probe').toBe(0);
  });

  it('rejects with the caller\'s abort reason while the probe is pending', async () => {
    const ks = keystore(await serve(() => undefined));
    const controller = new AbortController();
    const reason = new Error('shutting down');
    setTimeout(() => controller.abort(reason), 20);
    await expect(ks.status(controller.signal)).rejects.toBe(reason);
  });

  it('reports a refused connection and a silent endpoint as KEYSTORE_UNREACHABLE', async () => {
    const free = await serve(() => undefined);
    const port = new URL(free).port;
    await new Promise((r) => { servers[0]!.close(r); });
    servers.length = 0;
    const refused = keystore(`http://127.0.0.1:${port}`);
    const err = await failure(refused.status());
    expect(err.code).toBe('KEYSTORE_UNREACHABLE');
    expect(err.message).toMatch(new RegExp(`^kes: keystore unreachable: aws: GET http://127.0.0.1:${port}: .*ECONNREFUSED`));
    const silent = keystore(await serve(() => undefined), 100);
    expect((await failure(silent.status())).message).toMatch(/timed out after 100 ms$/);
  });
});
