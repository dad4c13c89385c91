import type { KeystoreConfigProblem } from '@kes/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateAwsSecretsManagerBlock as validate } from './config.js';

const problemsOf = (block: unknown): KeystoreConfigProblem[] => {
  const result = validate(block);
  expect(result.ok, JSON.stringify(block)).toBe(false);
  return result.ok ? [] : [...result.problems];
};
const paths = (problems: readonly KeystoreConfigProblem[]) => problems.map((p) => p.path.join('.'));

describe('validateAwsSecretsManagerBlock', () => {
  it('accepts the KES example (scheme-less endpoint) and adds https://', () => {
    const result = validate({
      endpoint: 'secretsmanager.us-east-2.amazonaws.com',
      region: 'us-east-2',
      kmskey: 'alias/kes',
      credentials: { accesskey: 'AKIAIOSFODNN7EXAMPLE', secretkey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', token: 'tok' },
    });
    expect(result).toEqual({
      ok: true,
      config: {
        endpoint: 'https://secretsmanager.us-east-2.amazonaws.com',
        region: 'us-east-2',
        kmsKey: 'alias/kes',
        credentials: { accessKey: 'AKIAIOSFODNN7EXAMPLE', secretKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', sessionToken: 'tok' },
      },
    });
  });

  it('treats empty credentials (all three empty, the block empty, or absent) as "use the default chain"', () => {
    const base = { endpoint: 'http://127.0.0.1:4572', region: 'us-east-1' };
    for (const credentials of [undefined, null, {}, { accesskey: '', secretkey: '', token: '' }, { accesskey: null }]) {
      expect(validate({ ...base, credentials }), JSON.stringify(credentials)).toEqual({ ok: true, config: base });
    }
    expect(validate({ ...base, kmskey: '' })).toEqual({ ok: true, config: base });
  });

  it('reports every problem at once, each with its path and a hint', () => {
    const problems = problemsOf({ endpoint: 'ftp://x', region: 'us east 2', kmskey: 7, credentials: { accesskey: 'AKID', token: 't' } });
    expect(paths(problems)).toEqual(['endpoint', 'region', 'kmskey', 'credentials.secretkey']);
    for (const p of problems) {
      expect(p.hint, p.message).toBeTruthy();
      expect(p.message).not.toMatch(/\.$/);
    }
    expect(problems[3]).toMatchObject({ message: 'secretkey is required when accesskey is set', related: [['credentials', 'accesskey']] });
  });

  it('requires endpoint and region (also for an empty block) and refuses non-mappings', () => {
    expect(paths(problemsOf(null))).toEqual(['endpoint', 'region']);
    expect(paths(problemsOf({}))).toEqual(['endpoint', 'region']);
    expect(problemsOf({ endpoint: '', region: '  ' }).map((p) => p.message)).toEqual(['endpoint is required', 'region is required']);
    expect(problemsOf({ endpoint: 42, region: true }).map((p) => p.message)).toEqual(['endpoint must be a string', 'region must be a string']);
    for (const block of ['x', 3, [], [{ endpoint: 'e' }]]) expect(paths(problemsOf(block))).toEqual(['']);
  });

  it('names a misspelled required field in the problem, and warns about unknown fields', () => {
    const problems = problemsOf({ endpont: 'secretsmanager.us-east-2.amazonaws.com', Region: 'us-east-2' });
    expect(problems.map((p) => [p.path.join('.'), p.message, p.hint])).toEqual([
      ['endpoint', 'endpoint is required', 'found endpont: did you mean endpoint?'],
      ['region', 'region is required', 'found Region: did you mean region?'],
    ]);
    const warned = validate({ endpoint: 'e.example', region: 'r', kms_key: 'k', extra: 1, credentials: { access_key: 'A', secret_key: 'S' } });
    expect(warned.ok).toBe(false);
    if (!warned.ok) {
      expect(warned.problems.map((p) => [p.path.join('.'), p.hint])).toEqual([
        ['credentials.accesskey', 'found access_key: did you mean accesskey?'],
        ['credentials.secretkey', 'found secret_key: did you mean secretkey?'],
      ]);
    }
    const ok = validate({ endpoint: 'e.example', region: 'r', kms_key: 'k', extra: 1 });
    expect(ok.ok && ok.warnings?.map((w) => [w.path.join('.'), w.hint])).toEqual([
      ['kms_key', 'did you mean kmskey?'],
      ['extra', 'known fields: endpoint, region, kmskey, credentials'],
    ]);
  });

  it('refuses half credentials and a token without keys, and trims surrounding whitespace with a warning', () => {
    const base = { endpoint: 'e.example', region: 'r' };
    expect(problemsOf({ ...base, credentials: { secretkey: 'S' } }).map((p) => p.message)).toEqual(['accesskey is required when secretkey is set']);
    expect(problemsOf({ ...base, credentials: { token: 'T' } }).map((p) => [p.path.join('.'), p.message])).toEqual([
      ['credentials.accesskey', 'a session token needs accesskey and secretkey'],
    ]);
    expect(paths(problemsOf({ ...base, credentials: 'AKID:SECRET' }))).toEqual(['credentials']);
    const trimmed = validate({ ...base, credentials: { accesskey: 'AKID\n', secretkey: ' S ' } });
    expect(trimmed.ok && trimmed.config.credentials).toEqual({ accessKey: 'AKID', secretKey: 'S' });
    expect(trimmed.ok && trimmed.warnings?.map((w) => w.path.join('.'))).toEqual(['credentials.accesskey', 'credentials.secretkey']);
  });

  it('never echoes credential values in problems or warnings', () => {
    const secret = 'wJalrXUtnFEMI-super-secret';
    const result = validate({ endpoint: 7, region: 'r', credentials: { secretkey: secret, token: ` ${secret}`, accesskey: null } });
    expect(JSON.stringify(result)).not.toContain(secret);
  });

  it('never throws, and accepts only configs with a normalized endpoint and a region', () => {
    const anyBlock = fc.oneof(
      fc.anything(),
      fc.record(
        { endpoint: fc.oneof(fc.string(), fc.webUrl(), fc.domain(), fc.anything()), region: fc.oneof(fc.string(), fc.constantFrom('us-east-2', 'eu-west-1')), kmskey: fc.anything(), credentials: fc.anything() },
        { requiredKeys: [] },
      ),
    );
    fc.assert(
      fc.property(anyBlock, (block) => {
        const result = validate(block);
        if (result.ok) {
          expect(result.config.endpoint).toMatch(/^https?:\/\//);
          expect(result.config.region).toMatch(/^[A-Za-z0-9-]+$/);
        } else {
          expect(result.problems.length).toBeGreaterThan(0);
        }
      }),
    );
  });
});
