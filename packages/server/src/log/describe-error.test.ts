import fc from 'fast-check';
import { MemoryKeystore } from '@kes/keystore-memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtures, startTestServer, type Fixtures } from '../testing/harness.js';
import { describeError, MAX_CAUSE_DEPTH, MAX_MESSAGE_CHARS, MAX_PART_CHARS, truncate } from './describe-error.js';

/** An error whose cause chain carries `messages` (outermost first). */
function chain(messages: readonly string[]): Error {
  let err: Error | undefined;
  for (const m of [...messages].reverse()) err = new Error(m, err === undefined ? undefined : { cause: err });
  return err!;
}

/** The longest text describeError can produce. */
const MARKER = '…(000000000 more characters)'.length;
const BOUND = (MAX_CAUSE_DEPTH + 1) * (MAX_PART_CHARS + MARKER + 2) + '…(1000 more causes)'.length;

describe('truncate', () => {
  it('keeps short texts, cuts long ones with a marker and never splits a surrogate pair', () => {
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('abcdef', 3)).toBe('abc…(3 more characters)');
    expect(truncate('ab😀cd', 3)).toBe('ab…(4 more characters)');
  });
});

describe('describeError', () => {
  it('joins the cause chain, leaving out causes the previous message repeats', () => {
    const root = new Error('ECONNRESET');
    const mid = new Error('azure: request failed: ECONNRESET', { cause: root });
    expect(describeError(new Error('failed to fetch key', { cause: mid }))).toBe('failed to fetch key: azure: request failed: ECONNRESET');
    expect(describeError('plain')).toBe('plain');
  });

  it('cuts each message and the depth of the chain, keeping the start of each', () => {
    const huge = `<html>${'x'.repeat(1_000_000)}</html>`;
    const text = describeError(chain(['outer', huge, ...Array.from({ length: 50 }, (_, i) => `cause ${i}`)]));
    expect(text.startsWith(`outer: <html>${'x'.repeat(MAX_PART_CHARS - 6)}…(`)).toBe(true);
    expect(text).toMatch(/: cause 2: …\(47 more causes\)$/);
    expect(text.length).toBeLessThan(BOUND);
  });

  it('survives a cycle in the chain and hostile values', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(describeError(b)).toBe('b: a');
    const hostile = { toString: () => { throw new Error('no'); } };
    expect(describeError(hostile)).toBe('unprintable error');
  });

  it('is bounded and keeps the start of the outermost message for any chain (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 3_000, unit: 'grapheme' }), { minLength: 1, maxLength: 12 }), (messages) => {
        const text = describeError(chain(messages));
        expect(text.length).toBeLessThan(BOUND);
        expect(text.startsWith(truncate(messages[0]!, MAX_PART_CHARS))).toBe(true);
      }),
    );
  });
});

describe('the error log of a server whose keystore fails with a huge, deep error', () => {
  let fx: Fixtures;
  beforeAll(async () => {
    fx = await createFixtures();
  });
  afterAll(() => fx?.pki.dispose());

  class LeakyKeystore extends MemoryKeystore {
    override async create(): Promise<void> {
      const page = `<!DOCTYPE html><title>502 Bad Gateway</title>${'<p>secret-ish backend detail</p>'.repeat(100_000)}`;
      throw chain(['vault: create failed', `unexpected answer: ${page}`, ...Array.from({ length: 30 }, (_, i) => `wrapped ${i}`)]);
    }
  }

  it('writes a bounded, still useful ERROR record', async () => {
    const s = await startTestServer(fx, { keystore: new LeakyKeystore() });
    try {
      const res = await s.client().request('/v1/key/create/k', { method: 'POST' });
      expect(res.status).toBeGreaterThanOrEqual(500);
      const line = s.stderr.lines.find((l) => l.includes('vault: create failed'));
      expect(line).toBeDefined();
      expect(line!.length).toBeLessThan(BOUND + 500);
      expect(line).toContain('unexpected answer: <!DOCTYPE html><title>502 Bad Gateway</title>');
      expect(line).toMatch(/more characters\).*more causes\)/);
      expect(line).toContain('req.path=/v1/key/create/k');
    } finally {
      await s.close();
    }
  });

  it('cuts any message the log is given', async () => {
    const { ErrorLog } = await import('./error-log.js');
    const { LogHub } = await import('./log-hub.js');
    const { ServerMetrics } = await import('../metrics/metrics.js');
    const { LineSink } = await import('../testing/harness.js');
    const out = new LineSink();
    const log = new ErrorLog(new LogHub(), out, 0, new ServerMetrics(performance.now()));
    log.error('m'.repeat(100_000), [['err', 'v'.repeat(100_000)]]);
    expect(out.lines[0]!.length).toBeLessThan(2 * MAX_MESSAGE_CHARS + 200);
  });
});
