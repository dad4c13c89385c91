import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig } from './load-config.js';
import { ConfigError, type ConfigProblem } from './problems.js';

const BASE = `admin:
  identity: disabled
tls:
  key: ./server.key
  cert: ./server.cert
keystore:
  memory: {}
`;

async function problemsOf(text: string, env: Record<string, string> = {}): Promise<ConfigProblem[]> {
  try {
    await parseConfig(text, { env });
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
  throw new Error('the config was accepted');
}

describe('limits: (project extension)', () => {
  it('is absent unless written, and takes durations and whole numbers (also from ${VAR})', async () => {
    expect((await parseConfig(BASE, { env: {} })).limits).toBeUndefined();
    const config = await parseConfig(
      `${BASE}limits:\n  max_connections: \${MAXC}\n  handshake_timeout: 2s\n  header_timeout: 1500ms\n  idle_timeout: 2m\n  max_header_bytes: 65536\n  max_streams: 64\n`,
      { env: { MAXC: '100' } },
    );
    expect(config.limits).toEqual({
      maxConnections: 100,
      handshakeTimeoutMs: 2000,
      headerTimeoutMs: 1500,
      idleTimeoutMs: 120_000,
      maxHeaderBytes: 65536,
      maxStreamsPerSession: 64,
    });
  });

  it('reports bad values with their lines, and near misses of field names', async () => {
    const text = `${BASE}limits:\n  max_connections: lots\n  header_timeout: 0s\n  idle_timeout: 5\n  max_streams: 0\n  max_conections: 3\n`;
    const problems = await problemsOf(text);
    expect(problems.map((p) => [p.path, p.line, p.message])).toEqual([
      ['limits.max_connections', 9, "invalid max connections 'lots'"],
      ['limits.header_timeout', 10, "invalid header timeout '0s'"],
      ['limits.idle_timeout', 11, "invalid duration '5': a duration needs a unit"],
      ['limits.max_streams', 12, 'invalid max streams: 0 (must be an integer from 1 to 65536)'],
      ['limits.max_conections', 13, "unknown field of 'limits' 'max_conections'"],
    ]);
  });

  it('accepts every in-range connection cap and rejects the rest (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: -10, max: 2_000_000 }), async (n) => {
        const text = `${BASE}limits:\n  max_connections: ${n}\n`;
        if (n >= 1 && n <= 1_000_000) expect((await parseConfig(text, { env: {} })).limits).toEqual({ maxConnections: n });
        else expect((await problemsOf(text)).map((p) => p.path)).toEqual(['limits.max_connections']);
      }),
      { numRuns: 50 },
    );
  });
});
