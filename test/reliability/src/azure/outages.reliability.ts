/**
 * Part 2 of issue 7 — a vault that is away or answers nonsense, against real kes-server processes; keys come from "W".
 *
 * Outages (connections refused, reset, or accepted and never answered): "A" (default cache) and, for the `cache`
 * settings, "B" (`offline: 60s`) and "C" (`offline: 0s`), both with a short `unused`. Asserted: cached keys keep
 * serving, uncached ones fail with 502 within the keystore's budget, `/v1/ready` reports the outage, everything
 * recovers without a restart — and once the outage is noticed, B keeps a key it no longer uses while C drops it (§8.2).
 *
 * Spoiled answers, through a fault proxy in front of the vault ("P" reads through it): garbage, HTML, a secret bundle
 * whose value is no stored key, the real bundle with its last byte missing (invalid JSON that still holds the secret),
 * an answer cut off mid-body, a 64 MB answer. Asserted: a clear 502, nothing cached from the bad answer (the key is
 * served correctly afterwards), no key material in the error log, the memory one answer takes.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TIMING } from '@kes/keystore-azure-keyvault';
import { createWorkspace, type Workspace } from '../support/fixture.js';
import { budget } from '../support/profile.js';
import { report } from '../support/report.js';
import { mib } from '../support/resource-watch.js';
import { startAzureWorld, type AzureWorld } from './azure-world.js';
import { OVERSIZED_BYTES, type Spoil } from './fault-proxy.js';
import { dekOf, errorsOf, logLeaks, messageOf, nodeOf, tally, type Answer, type Dek, type Node } from './kes-calls.js';

let ws: Workspace;
let world: AzureWorld;
let a: Node;
let w: Node;
let b: Node;
let c: Node;
/** Reads the vault through the fault proxy (the spoiled-answers test). */
let p: Node;
const kept = new Map<string, Dek>();
const BUDGET_MS = DEFAULT_TIMING.operationTimeoutMs;
const SLACK_MS = 3_000;
/** The key cache probes the keystore every 10 s (spec §8.2); an outage is noticed within that. */
const PROBE_MS = 10_000;
const UNUSED_MS = 2_000;

beforeAll(async () => {
  ws = await createWorkspace('azure-outages');
  world = await startAzureWorld(ws);
  const cache = (offline: string) => ({ spec: { cacheExpiry: { any: '10m', unused: `${UNUSED_MS / 1000}s`, offline } } });
  const started = await Promise.all([
    world.startNode('a'), world.startNode('w'), world.startNode('b', cache('60s')), world.startNode('c', cache('0s')), world.startNode('p', { via: 'proxy' }),
  ]);
  [a, w, b, c, p] = started.map((kes, i) => nodeOf('AWBCP'[i]!, ws, kes)) as [Node, Node, Node, Node, Node];
}, 120_000);

afterAll(async () => {
  for (const n of [a, w, b, c, p]) n?.close();
  await world?.stop();
  ws?.dispose();
});

const vault = () => world.emu.vault();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function newKey(name: string): Promise<Dek> {
  expect((await w.call('POST', `/v1/key/create/${name}`)).status).toBe(200);
  return dekOf(await w.call('POST', `/v1/key/generate/${name}`, {}));
}

/** A's view of one outage: cached keys, an uncached key, readiness during it; recovery and readiness after it. */
async function checkA(mode: string, cachedKey: string, coldKey: string, coldDek: Dek, during: Promise<unknown>) {
  const [cached, cold, ready] = await Promise.all([
    Promise.all(Array.from({ length: 10 }, async () => {
      const d = dekOf(await a.call('POST', `/v1/key/generate/${cachedKey}`, {}));
      return a.call('POST', `/v1/key/decrypt/${cachedKey}`, { ciphertext: d.ciphertext });
    })),
    a.call('POST', `/v1/key/generate/${coldKey}`, {}),
    a.call('GET', '/v1/ready'),
    during,
  ]);
  await vault().setKnobs({ outage: 'none' });
  const recovered = await a.call('POST', `/v1/key/decrypt/${coldKey}`, { ciphertext: coldDek.ciphertext });
  // Readiness follows the cache's probe: once it marked the keystore offline, it stays so until a probe succeeds.
  const t0 = performance.now();
  let readyAfter = await a.call('GET', '/v1/ready');
  while (readyAfter.status !== 200 && performance.now() - t0 < PROBE_MS + SLACK_MS) {
    await sleep(250);
    readyAfter = await a.call('GET', '/v1/ready');
  }
  expect(tally(cached), mode).toEqual({ '200': 10 });
  expect([cold.status, messageOf(cold)], mode).toEqual([502, 'failed to read key']);
  expect(cold.ms, mode).toBeLessThan(BUDGET_MS + SLACK_MS);
  expect([ready.status, messageOf(ready)], mode).toEqual([504, 'key store is not reachable']);
  expect([recovered.status, JSON.parse(recovered.text || '{}').plaintext], mode).toEqual([200, coldDek.plaintext]);
  expect(readyAfter.status, mode).toBe(200);
  return {
    answers: [...cached, cold, recovered] as Answer[],
    figures: {
      cached: tally(cached),
      uncached: `${cold.status} in ${cold.ms} ms`,
      ready: `${ready.status} ${messageOf(ready) ?? ''} in ${ready.ms} ms`,
      recovered: recovered.status,
      readyAgainAfterMs: Math.round(performance.now() - t0),
    },
  };
}

describe('a vault that is away or answers nonsense', () => {
  it('refused, reset, hang: cached keys keep serving, uncached fail within the budget, readiness reports it; offline caching as configured', async () => {
    const figures: Record<string, unknown> = {};
    const all: Answer[] = [];
    for (const mode of ['refused', 'reset', 'hang'] as const) {
      const cachedKey = `out-${mode}-cached`;
      const coldKey = `out-${mode}-cold`;
      await newKey(cachedKey);
      const coldDek = await newKey(coldKey);
      expect((await a.call('POST', `/v1/key/generate/${cachedKey}`, {})).status).toBe(200);
      let offline: Promise<Record<string, string>> = Promise.resolve({});
      if (mode === 'refused') {
        // B and C use the key until both caches have surely noticed the outage, then leave it unused past `unused`.
        const offKey = 'offline-kept';
        await newKey(offKey);
        for (const n of [b, c]) expect((await n.call('POST', `/v1/key/generate/${offKey}`, {})).status).toBe(200);
        offline = (async () => {
          const t0 = performance.now();
          while (performance.now() - t0 < PROBE_MS + 1_000) {
            for (const n of [b, c]) expect((await n.call('POST', `/v1/key/generate/${offKey}`, {})).status, `${n.name} during the outage`).toBe(200);
            await sleep(500);
          }
          await sleep(UNUSED_MS + 1_500);
          const [fromB, fromC] = await Promise.all([b, c].map((n) => n.call('POST', `/v1/key/generate/${offKey}`, {})));
          return { B: `${fromB!.status} ${messageOf(fromB!) ?? ''}`.trim(), C: `${fromC!.status} ${messageOf(fromC!) ?? ''}`.trim() };
        })();
      }
      await vault().setKnobs({ outage: mode });
      const outcome = await checkA(mode, cachedKey, coldKey, coldDek, offline);
      all.push(...outcome.answers);
      figures[mode] = { ...outcome.figures, ...(mode === 'refused' ? { unusedKeyAfterTheOutageWasNoticed: await offline } : {}) };
      if (mode === 'refused') {
        // `offline: 60s` keeps keys past `unused` while the keystore is offline; `offline: 0s` does not (spec §8.2).
        expect(await offline).toEqual({ B: '200', C: '502 failed to read key' });
      }
    }
    report('keystore faults: outages', { requests: all.length, faultsInjected: { outages: 'refused, reset, hang' }, errors: errorsOf(all), keysLost: 0, ...figures });
  }, budget(70_000));

  it('spoiled answers (garbage, HTML, a bundle with a bad value, invalid JSON, cut off, 64 MB): 502, nothing cached, no key material logged', async () => {
    const spoils: Spoil[] = ['garbage', 'html', 'wrong-value', 'corrupt-json', 'truncated', 'oversized'];
    const figures: Record<string, unknown> = {};
    const answers: Answer[] = [];
    for (const spoil of spoils) {
      const name = `spoil-${spoil}`;
      const key = randomBytes(32);
      expect((await w.call('POST', `/v1/key/import/${name}`, { key: key.toString('base64'), cipher: 'AES256' })).status).toBe(200);
      kept.set(name, dekOf(await w.call('POST', `/v1/key/generate/${name}`, {})));
      const rssBefore = p.kes.rss();
      const logBefore = p.kes.stderr().length;
      world.proxy.set(spoil);
      const bad = await p.call('POST', `/v1/key/generate/${name}`, {});
      const spoiled = world.proxy.spoiled();
      const rssPeak = p.kes.rss();
      world.proxy.set('none');
      const good = await p.call('POST', `/v1/key/decrypt/${name}`, { ciphertext: kept.get(name)!.ciphertext });
      const log = p.kes.stderr().slice(logBefore);
      answers.push(bad, good);
      figures[spoil] = { spoiledAnswers: spoiled, status: bad.status, ms: bad.ms, thenServed: good.status, keyInLog: logLeaks(log, key), ...(spoil === 'oversized' ? { rssMiB: { before: mib(rssBefore), after: mib(rssPeak) }, answerMiB: mib(OVERSIZED_BYTES) } : {}) };
      expect([bad.status, messageOf(bad)], spoil).toEqual([502, 'failed to read key']);
      expect(spoiled, spoil).toBeGreaterThan(0);
      expect(good.status, `${spoil}: served correctly once the vault answers properly (nothing cached from the bad answer)`).toBe(200);
      expect(JSON.parse(good.text).plaintext, spoil).toBe(kept.get(name)!.plaintext);
      expect(logLeaks(log, key), `${spoil}: key material in the error log`).toBe(false);
      expect(rssPeak - rssBefore, `${spoil}: memory taken by one answer`).toBeLessThan(12 * OVERSIZED_BYTES);
    }
    report('keystore faults: spoiled vault answers', { requests: answers.length, faultsInjected: { spoiledAnswers: spoils.length }, errors: errorsOf(answers), keysLost: 0, ...figures });
    expect(p.kes.isRunning()).toBe(true);
  }, budget(40_000));
});
