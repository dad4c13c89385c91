/**
 * Vault calls behind the key cache, Azure Key Vault keystore on the emulator (issue 5, performance):
 *
 * 1. Burst: 1,000 concurrent `generate` requests for one key the server has not cached yet must cause exactly one
 *    versions list and one get at the vault (the cache's per-name single flight).
 * 2. Steady: constant traffic on a few keys over several cache periods must cost at most two vault calls per key per
 *    cache period per node (versions list + get once per `cache.expiry.any`; the period is scaled down to 2 s here,
 *    the default is 5 m).
 *
 *   npx tsx --conditions=@kes/source tools/bench/azure-cache.ts [steady-seconds]
 *
 * Counts come from the emulator's request log (authenticated requests; the status probe, once per 10 s per node
 * whatever the number of keys, is reported separately). Prints vault calls per 1,000 requests; exit code 1 when a
 * bound is missed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { ClientSecretCredential } from '@azure/identity';
import { startEmulator, type Emulator } from '@kes/azure-keyvault-emulator';
import { KesClient } from '@kes/client';
import { ApiKey, encodeStoredKey, newStoredKey } from '@kes/core';
import { AzureKeyVaultKeystore } from '@kes/keystore-azure-keyvault';
import { startServer, type KesServer } from '@kes/server';

const steadySeconds = Number(process.argv[2] ?? 7);
const PERIOD_MS = 2_000;
const BURST = 1_000;
const sink = () => new Writable({ write: (_c, _e, cb) => cb() });

function certificate(): { certPem: string; keyPem: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kes-bench-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem')], { stdio: 'ignore' });
    return { certPem: readFileSync(join(dir, 'c.pem'), 'utf8'), keyPem: readFileSync(join(dir, 'k.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function keystore(emu: Emulator): AzureKeyVaultKeystore {
  const credential = new ClientSecretCredential(emu.tenantId, emu.clientId, emu.clientSecret, {
    authorityHost: emu.authorityHost,
    disableInstanceDiscovery: true,
    tlsOptions: { ca: emu.caPem },
  });
  return new AzureKeyVaultKeystore({ endpoint: emu.vaultUrl, credential, ca: emu.caPem, disableChallengeResourceVerification: true });
}

/** Authenticated vault requests since the last clear, by kind. */
function count(emu: Emulator): { versions: Map<string, number>; gets: Map<string, number>; probes: number; other: number; total: number } {
  const versions = new Map<string, number>();
  const gets = new Map<string, number>();
  let probes = 0;
  let other = 0;
  const requests = emu.vault().requests().filter((r) => r.authenticated);
  for (const r of requests) {
    const seg = r.url.split('?')[0]!.split('/').filter(Boolean);
    const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
    if (r.method === 'GET' && seg[0] === 'secrets' && seg[1] === 'kes-status-probe') probes++;
    else if (r.method === 'GET' && seg[0] === 'secrets' && seg[2] === 'versions') bump(versions, seg[1]!);
    else if (r.method === 'GET' && seg[0] === 'secrets' && seg.length === 3) bump(gets, seg[1]!);
    else other++;
  }
  return { versions, gets, probes, other, total: requests.length };
}

async function startNode(emu: Emulator, tls: { certPem: string; keyPem: string }, cache?: { anyMs: number }): Promise<{ server: KesServer; client: KesClient }> {
  const apiKey = ApiKey.generate();
  const server = await startServer({
    keystore: keystore(emu),
    listen: { host: '127.0.0.1', port: 0 },
    tls: { key: tls.keyPem, cert: tls.certPem, auth: 'off' },
    adminIdentity: apiKey.identity,
    policies: {},
    log: { stdout: sink(), stderr: sink() },
    ...(cache ? { cache } : {}),
  });
  const client = await KesClient.create({ endpoints: server.url, apiKey: apiKey.toString(), ca: tls.certPem });
  await client.status(); // the node has authenticated to the vault before measuring
  return { server, client };
}

let ok = true;
const check = (what: string, pass: boolean) => {
  console.log(`  ${pass ? 'ok  ' : 'FAIL'} ${what}`);
  ok &&= pass;
};

const emu = await startEmulator({ vaults: ['bench-vault'] });
const tls = certificate();
try {
  const seed = keystore(emu); // writes the keys the servers have never seen
  for (const name of ['burst-key', 'steady-0', 'steady-1', 'steady-2']) await seed.create(name, encodeStoredKey(newStoredKey({ createdBy: 'bench' })));

  // 1. Burst on one uncached key.
  const burst = await startNode(emu, tls);
  emu.vault().clearRequests();
  const started = performance.now();
  const results = await Promise.allSettled(Array.from({ length: BURST }, () => burst.client.generateKey('burst-key')));
  const elapsed = performance.now() - started;
  const failed = results.filter((r) => r.status === 'rejected').length;
  const b = count(emu);
  const keyCalls = (b.versions.get('burst-key') ?? 0) + (b.gets.get('burst-key') ?? 0);
  console.log(`burst: ${BURST} concurrent generate requests for one uncached key in ${elapsed.toFixed(0)} ms (${failed} failed)`);
  console.log(`  vault calls for the key: ${b.versions.get('burst-key') ?? 0} versions list + ${b.gets.get('burst-key') ?? 0} get = ${keyCalls} → ${((keyCalls * 1000) / BURST).toFixed(1)} per 1,000 requests`);
  console.log(`  all vault calls in the window: ${b.total} (status probes ${b.probes}, other ${b.other})`);
  check('every request succeeded', failed === 0);
  check('exactly one versions list and one get', b.versions.get('burst-key') === 1 && b.gets.get('burst-key') === 1);
  await burst.client.close();
  await burst.server.close();

  // 2. Steady traffic over several (scaled) cache periods.
  const steady = await startNode(emu, tls, { anyMs: PERIOD_MS });
  emu.vault().clearRequests();
  let requests = 0;
  const until = performance.now() + steadySeconds * 1000;
  const worker = async (key: string) => {
    while (performance.now() < until) {
      await steady.client.generateKey(key);
      requests++;
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  await Promise.all(['steady-0', 'steady-1', 'steady-2'].flatMap((k) => [worker(k), worker(k)]));
  const s = count(emu);
  const periods = Math.ceil((steadySeconds * 1000) / PERIOD_MS) + 1; // a partial period at each end
  console.log(`steady: ${requests} generate requests on 3 keys over ${steadySeconds} s, cache period (any) ${PERIOD_MS} ms → at most ${periods} periods`);
  for (const k of ['steady-0', 'steady-1', 'steady-2']) {
    const calls = (s.versions.get(k) ?? 0) + (s.gets.get(k) ?? 0);
    console.log(`  ${k}: ${calls} vault calls = ${(calls / periods).toFixed(2)} per key per period (bound 2)`);
    check(`${k} costs at most two vault calls per cache period`, calls <= 2 * periods && (s.versions.get(k) ?? 0) === (s.gets.get(k) ?? 0));
  }
  const keyCallsSteady = s.total - s.probes - s.other;
  console.log(`  vault calls per 1,000 requests: ${((keyCallsSteady * 1000) / requests).toFixed(2)} for keys, ${((s.total * 1000) / requests).toFixed(2)} including ${s.probes} status probes`);
  await steady.client.close();
  await steady.server.close();
  await seed.close();
} finally {
  await emu.stop();
}
process.exitCode = ok ? 0 : 1;
