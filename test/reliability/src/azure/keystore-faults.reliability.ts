/**
 * Part 2 of issue 7 — keystore faults through the Azure Key Vault emulator's knobs, against a real kes-server process
 * ("A") whose cache is cold for keys another node ("W") created: throttling, delete windows, purge protection,
 * permission loss, read-only mode (outages and spoiled answers: outages.reliability.ts).
 * For each fault the scenario prints what it did and asserts: bounded retries and time, clear errors (the status and
 * message of the spec, a log line that names the problem), cached keys serving through the fault, recovery afterwards
 * without a restart, no key lost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TIMING } from '@kes/keystore-azure-keyvault';
import { createWorkspace, type Workspace } from '../support/fixture.js';
import { PROFILE, budget } from '../support/profile.js';
import { report } from '../support/report.js';
import { startAzureWorld, type AzureWorld } from './azure-world.js';
import { callsPerSecret, dekOf, errorsOf, messageOf, nodeOf, tally, type Dek, type Node } from './kes-calls.js';

let ws: Workspace;
let world: AzureWorld;
let a: Node;
let w: Node;
/** Keys and data keys made during the scenario: all must still work at the end (on a fresh node). */
const kept = new Map<string, Dek>();
/** The operation budget of the Azure keystore: every keystore call ends within it. */
const BUDGET_MS = DEFAULT_TIMING.operationTimeoutMs;
/** Slack on top of a budget for the HTTP round trip on a loaded machine. */
const SLACK_MS = 3_000;

beforeAll(async () => {
  ws = await createWorkspace('azure-faults');
  world = await startAzureWorld(ws);
  const [ka, kw] = await Promise.all([world.startNode('a'), world.startNode('w')]);
  a = nodeOf('A', ws, ka);
  w = nodeOf('W', ws, kw);
}, 120_000);

afterAll(async () => {
  a?.close();
  w?.close();
  await world?.stop();
  ws?.dispose();
});

const vault = () => world.emu.vault();
/** Keys created through W (so that A has never read them) and a data key of each, made on W. */
async function coldKeys(prefix: string, n: number): Promise<string[]> {
  const names = Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
  for (const name of names) {
    expect((await w.call('POST', `/v1/key/create/${name}`)).status).toBe(200);
    kept.set(name, dekOf(await w.call('POST', `/v1/key/generate/${name}`, {})));
  }
  return names;
}
describe('keystore faults (Azure Key Vault emulator)', () => {
  it('429 storm on a cold cache: every request served within the budget, retries bounded, then a clear error when throttling never ends', async () => {
    const names = await coldKeys('cold', 24);
    vault().clearRequests();
    await vault().setKnobs({ throttle: { rate: { limit: 15, windowMs: 1000 }, retryAfterSeconds: 1 } });
    const storm = await Promise.all([...names, ...names].map((n) => a.call('POST', `/v1/key/generate/${n}`, {})));
    const throttled = vault().throttledCount();
    const perSecret = callsPerSecret(vault());
    // Now the vault throttles everything: cached keys keep serving without it, a cold one fails within the budget.
    await vault().setKnobs({ throttle: { times: 1_000_000, retryAfterSeconds: 1 } });
    const [cold] = (await coldKeysWhileThrottled()) as [string];
    const cached = await Promise.all(names.slice(0, 8).map((n) => a.call('POST', `/v1/key/generate/${n}`, {})));
    const never = await a.call('POST', `/v1/key/generate/${cold}`, {});
    const throttledForever = vault().throttledCount();
    await vault().resetKnobs();
    const recovered = await a.call('POST', `/v1/key/generate/${cold}`, {});
    report('keystore faults: 429 storm on a cold cache', {
      requests: storm.length + cached.length + 2,
      faultsInjected: { throttled429: throttled + throttledForever },
      errors: errorsOf([...storm, ...cached, recovered]),
      keysLost: 0,
      storm: { outcomes: tally(storm), maxMs: Math.max(...storm.map((x) => x.ms)), maxVaultRequestsPerKey: Math.max(...Object.values(perSecret)) },
      throttledForever: { status: never.status, ms: never.ms, budgetMs: BUDGET_MS },
      cachedWhileThrottled: tally(cached),
      recoveredWithoutRestart: recovered.status,
    });
    expect(tally(storm)).toEqual({ '200': storm.length });
    expect(throttled).toBeGreaterThan(0);
    expect(Math.max(...storm.map((x) => x.ms))).toBeLessThan(BUDGET_MS + SLACK_MS);
    // A read is a versions listing plus a versioned read; each request is retried at most `throttleRetries` times.
    expect(Math.max(...Object.values(perSecret))).toBeLessThanOrEqual(2 * (1 + DEFAULT_TIMING.throttleRetries));
    expect(tally(cached)).toEqual({ '200': cached.length });
    expect([never.status, messageOf(never)]).toEqual([502, 'failed to read key']);
    expect(never.ms).toBeLessThan(BUDGET_MS + SLACK_MS);
    expect(a.kes.stderr()).toMatch(/throttl/i);
    expect(recovered.status).toBe(200);
  }, budget(40_000));

  async function coldKeysWhileThrottled(): Promise<string[]> {
    // W creates its key before the throttle hits it: pause the throttle for W's writes.
    const patch = vault().knobs().throttle;
    await vault().setKnobs({ throttle: null });
    const names = await coldKeys('never', 1);
    await vault().setKnobs({ throttle: patch });
    return names;
  }

  it('asynchronous delete windows: a name deleted on one node is created again at once on another; the old key is not brought back', async () => {
    await vault().setKnobs({ deleteDelayMs: 1_500, purgeDelayMs: 500 });
    vault().clearRequests();
    const created = await a.call('POST', '/v1/key/create/cycle');
    const old = dekOf(await a.call('POST', '/v1/key/generate/cycle', {}));
    const deleted = await a.call('DELETE', '/v1/key/delete/cycle');
    const again = await w.call('POST', '/v1/key/create/cycle');
    const onA = await a.call('POST', '/v1/key/decrypt/cycle', { ciphertext: old.ciphertext });
    const conflicts = vault().requests().filter((r) => r.status === 409).length;
    await vault().resetKnobs();
    kept.set('cycle', dekOf(await w.call('POST', '/v1/key/generate/cycle', {})));
    report('keystore faults: asynchronous delete windows', {
      requests: 5,
      faultsInjected: { deleteDelayMs: 1_500, purgeDelayMs: 500, conflicts409: conflicts },
      errors: errorsOf([created, deleted, again]),
      keysLost: 0,
      createAgainMs: again.ms,
      oldDekOnNewKey: `${onA.status} ${messageOf(onA) ?? ''}`,
    });
    expect([created.status, deleted.status, again.status]).toEqual([200, 200, 200]);
    expect(again.ms).toBeLessThan(BUDGET_MS + SLACK_MS);
    // The new key is a new key: a data key of the deleted one does not decrypt under it.
    expect([onA.status, messageOf(onA)]).toEqual([400, 'decryption failed: ciphertext is not authentic']);
  }, budget(20_000));

  it('purge protection: delete succeeds with a warning; creating the name again fails with a log line that says why', async () => {
    await vault().setKnobs({ purgeProtection: true });
    const created = await a.call('POST', '/v1/key/create/protected');
    const deleted = await a.call('DELETE', '/v1/key/delete/protected');
    const gone = await a.call('POST', '/v1/key/generate/protected', {});
    const recreate = await w.call('POST', '/v1/key/create/protected');
    await vault().resetKnobs();
    report('keystore faults: purge protection', {
      requests: 4,
      faultsInjected: { purgeProtection: true },
      errors: errorsOf([created, deleted, gone, recreate]),
      keysLost: 0,
      recreate: `${recreate.status} ${messageOf(recreate)}`,
    });
    expect([created.status, deleted.status, gone.status, recreate.status]).toEqual([200, 200, 404, 502]);
    expect(a.kes.stderr()).toMatch(/purge protection/);
    expect(w.kes.stderr()).toMatch(/purge protection/);
  }, budget(20_000));

  it('permission loss: cached keys keep serving, uncached ones fail with 502 and a log line naming the permission; recovery without restart', async () => {
    const [cachedKey, coldKey] = (await coldKeys('perm', 2)) as [string, string];
    expect((await a.call('POST', `/v1/key/generate/${cachedKey}`, {})).status).toBe(200);
    await vault().setKnobs({ permissions: ['list', 'set', 'delete', 'purge'] });
    const cached = await Promise.all(Array.from({ length: 10 }, () => a.call('POST', `/v1/key/generate/${cachedKey}`, {})));
    const cold = await a.call('POST', `/v1/key/generate/${coldKey}`, {});
    await vault().resetKnobs();
    const recovered = await a.call('POST', `/v1/key/decrypt/${coldKey}`, { ciphertext: kept.get(coldKey)!.ciphertext });
    report('keystore faults: permission loss', {
      requests: cached.length + 2,
      faultsInjected: { permissionRemoved: 'get' },
      errors: errorsOf([...cached, cold, recovered]),
      keysLost: 0,
      cachedDuringLoss: tally(cached),
      uncachedDuringLoss: `${cold.status} ${messageOf(cold)} (${cold.ms} ms)`,
      recoveredWithoutRestart: recovered.status,
    });
    expect(tally(cached)).toEqual({ '200': 10 });
    expect([cold.status, messageOf(cold)]).toEqual([502, 'failed to read key']);
    expect(a.kes.stderr()).toContain("permission 'get'");
    expect(recovered.status).toBe(200);
    expect(JSON.parse(recovered.text).plaintext).toBe(kept.get(coldKey)!.plaintext);
  }, budget(20_000));

  it('read-only mode (failover): reads keep working, writes fail with 502 and a clear log line; recovery without restart', async () => {
    const [coldKey] = (await coldKeys('ro', 1)) as [string];
    await vault().setKnobs({ readOnly: true });
    const read = await a.call('POST', `/v1/key/decrypt/${coldKey}`, { ciphertext: kept.get(coldKey)!.ciphertext });
    const create = await a.call('POST', '/v1/key/create/ro-new');
    const del = await a.call('DELETE', `/v1/key/delete/${coldKey}`);
    await vault().resetKnobs();
    const createAfter = await a.call('POST', '/v1/key/create/ro-new');
    if (createAfter.status === 200) kept.set('ro-new', dekOf(await a.call('POST', '/v1/key/generate/ro-new', {})));
    report('keystore faults: read-only mode', {
      requests: 4,
      faultsInjected: { readOnly: true },
      errors: errorsOf([read, create, del, createAfter]),
      keysLost: 0,
      read: read.status,
      create: `${create.status} ${messageOf(create)}`,
      delete: `${del.status} ${messageOf(del)}`,
      createAfterRecovery: createAfter.status,
    });
    expect(read.status).toBe(200);
    expect([create.status, messageOf(create)]).toEqual([502, 'failed to create key']);
    expect([del.status, messageOf(del)]).toEqual([502, 'failed to delete key']);
    expect(createAfter.status).toBe(200);
  }, budget(20_000));

  it('no key lost: every key and data key of the scenario works on a node that starts afterwards', async () => {
    const z = nodeOf('Z', ws, await world.startNode('z'));
    let broken = 0;
    for (const [name, dek] of kept) {
      const r = await z.call('POST', `/v1/key/decrypt/${name}`, { ciphertext: dek.ciphertext });
      if (r.status !== 200 || JSON.parse(r.text).plaintext !== dek.plaintext) broken++;
    }
    z.close();
    report('keystore faults: keys after the faults', { requests: kept.size, faultsInjected: 0, errors: {}, keysLost: broken, keysChecked: kept.size, profile: PROFILE.name });
    expect(broken).toBe(0);
  }, budget(30_000));
});
