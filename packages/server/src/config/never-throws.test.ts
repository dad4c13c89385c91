import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig } from './load-config.js';
import { ConfigError } from './problems.js';

/** Arbitrary config-shaped YAML: known keys with random scalar/list/map values. */
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom('', 'on', 'off', '5m', '-1s', '${X}', '${MISSING}', 'v1', '0', '127.0.0.1:7373', 'disabled', '/v1/status'),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('path', 'name', 'allow', 'identities', 'any', 'auth', 'fs', 'azure', 'keyvault', 'memory', 'module', 'x'), tie('v'), { maxKeys: 3 }),
  ),
})).v;
const doc = fc.dictionary(fc.constantFrom('version', 'address', 'admin', 'root', 'tls', 'policy', 'cache', 'api', 'log', 'keys', 'keystore', 'other'), value, { maxKeys: 8 });

describe('parseConfig', () => {
  it('either returns a config or throws a ConfigError with at least one located problem, never anything else (property)', async () => {
    await fc.assert(
      fc.asyncProperty(doc, async (d) => {
        try {
          await parseConfig(JSON.stringify(d), { env: { X: 'x' } });
        } catch (err) {
          expect(err).toBeInstanceOf(ConfigError);
          expect((err as ConfigError).problems.length).toBeGreaterThan(0);
          for (const p of (err as ConfigError).problems) expect(typeof p.message).toBe('string');
        }
      }),
      { numRuns: 200 },
    );
  });
});
