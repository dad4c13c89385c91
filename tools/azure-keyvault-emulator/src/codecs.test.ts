import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BackupCodec } from './backup.js';
import { isVaultError, VaultError } from './errors.js';
import { decodeSkipToken, encodeSkipToken, paginate, parsePageRequest } from './paging.js';
import { isValidSecretName, parsePatchBody, parseRestoreBody, parseSetBody } from './secret-input.js';

/** Runs `f`; returns undefined or the thrown VaultError; fails on any other throw. */
function catalogOnly(f: () => unknown): VaultError | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    if (!isVaultError(e)) throw e;
    return e;
  }
}

describe('secret names', () => {
  it('accept exactly ^[0-9a-zA-Z-]{1,127}$', () => {
    const ok = fc.stringMatching(/^[0-9a-zA-Z-]{1,127}$/);
    fc.assert(fc.property(ok, (n) => isValidSecretName(n)));
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (n) => isValidSecretName(n) === /^[0-9a-zA-Z-]{1,127}$/.test(n)));
    expect(isValidSecretName('a'.repeat(128))).toBe(false);
    expect(isValidSecretName('my_key')).toBe(false);
    expect(isValidSecretName('-leading-dash-and-0digit')).toBe(true);
  });
});

describe('request bodies', () => {
  it('parseSetBody / parsePatchBody / parseRestoreBody only ever throw catalog errors', () => {
    const anyText = fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify(v)));
    fc.assert(
      fc.property(anyText, (t) => {
        for (const f of [parseSetBody, parsePatchBody, parseRestoreBody]) {
          const e = catalogOnly(() => f(t));
          if (e) expect([400]).toContain(e.status);
        }
      }),
    );
  });

  it('accepts valid PUT bodies and keeps what they carry', () => {
    const body = fc.record(
      {
        value: fc.string({ maxLength: 300 }),
        contentType: fc.string({ maxLength: 255 }),
        tags: fc.dictionary(fc.string({ minLength: 1, maxLength: 20 }), fc.string({ maxLength: 20 }), { maxKeys: 15 }),
        attributes: fc.record({ enabled: fc.boolean(), nbf: fc.nat(), exp: fc.nat() }, { requiredKeys: [] }),
      },
      { requiredKeys: ['value'] },
    );
    fc.assert(
      fc.property(body, (b) => {
        const parsed = parseSetBody(JSON.stringify(b));
        expect(parsed.value).toBe(b.value);
        expect(parsed.contentType).toBe(b.contentType);
        expect(parsed.enabled).toBe(b.attributes?.enabled);
      }),
    );
  });

  it('enforces the documented limits', () => {
    expect(catalogOnly(() => parseSetBody(JSON.stringify({ value: 'x'.repeat(25_601) })))?.inner).toBe('SecretTooLarge');
    expect(catalogOnly(() => parseSetBody(JSON.stringify({ value: 'x'.repeat(25_600) })))).toBeUndefined();
    expect(catalogOnly(() => parseSetBody(JSON.stringify({ value: 'x', contentType: 'c'.repeat(256) })))?.code).toBe('BadParameter');
    const sixteen = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`t${i}`, 'v']));
    expect(catalogOnly(() => parseSetBody(JSON.stringify({ value: 'x', tags: sixteen })))?.code).toBe('BadParameter');
    expect(catalogOnly(() => parseSetBody(JSON.stringify({ value: 'x', attributes: { nbf: 1.5 } })))?.code).toBe('BadParameter');
    expect(catalogOnly(() => parseSetBody('[]'))?.message).toBe('Property  has invalid value\r\n');
    expect(catalogOnly(() => parseSetBody('{"value":1}'))?.status).toBe(400);
    expect(parsePatchBody('')).toEqual({});
  });
});

describe('paging', () => {
  it('skip tokens round-trip and foreign tokens decode to undefined without throwing', () => {
    fc.assert(fc.property(fc.nat({ max: 1e9 }), fc.nat({ max: 1e9 }), (offset, empties) => {
      expect(decodeSkipToken(encodeSkipToken({ offset, empties }))).toEqual({ offset, empties });
    }));
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (t) => {
      const d = decodeSkipToken(t);
      if (d) expect(encodeSkipToken(d)).toBe(t.replace(/=+$/, ''));
    }));
    expect(decodeSkipToken(Buffer.from('{"o":-1,"e":0}').toString('base64url'))).toBeUndefined();
    expect(decodeSkipToken(Buffer.from('{"o":1,"e":0,"x":1}').toString('base64url'))).toBeUndefined();
  });

  it('parsePageRequest accepts maxresults 1..25 only and rejects with catalog errors', () => {
    fc.assert(fc.property(fc.string({ maxLength: 10 }), fc.string({ maxLength: 40 }), (max, tok) => {
      const q = new URLSearchParams({ maxresults: max, $skiptoken: tok });
      const e = catalogOnly(() => parsePageRequest(q));
      if (!e) expect(Number(max)).toBeGreaterThanOrEqual(1);
    }));
    expect(parsePageRequest(new URLSearchParams('maxresults=25')).maxResults).toBe(25);
    expect(catalogOnly(() => parsePageRequest(new URLSearchParams('maxresults=26')))?.code).toBe('BadParameter');
    expect(catalogOnly(() => parsePageRequest(new URLSearchParams('maxresults=0')))?.code).toBe('BadParameter');
  });

  it('following nextLinks visits every item exactly once, empty pages first', () => {
    fc.assert(fc.property(fc.array(fc.nat(), { maxLength: 80 }), fc.integer({ min: 1, max: 25 }), fc.nat({ max: 3 }), (items, max, empties) => {
      const seen: number[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const q = new URLSearchParams({ maxresults: String(max), ...(token ? { $skiptoken: token } : {}) });
        const page = paginate(items, parsePageRequest(q), empties, (t) => t);
        if (pages < empties) expect(page.value).toEqual([]);
        seen.push(...page.value);
        token = page.nextLink ?? undefined;
        pages++;
      } while (token && pages < 1000);
      expect(seen).toEqual(items);
    }));
  });
});

describe('backup blobs', () => {
  const codec = new BackupCodec();
  const content = { name: 'n', versions: [{ version: 'a'.repeat(32), value: 'v', enabled: true, created: 1, updated: 1 }] };

  it('round-trip, and any other input is "Malformed backup blob"', () => {
    expect(codec.open(codec.seal(content))).toEqual(content);
    expect(catalogOnly(() => new BackupCodec().open(codec.seal(content)))?.code).toBe('Malformed backup blob');
    fc.assert(fc.property(fc.oneof(fc.string(), fc.base64String(), fc.anything()), (blob) => {
      const e = catalogOnly(() => codec.open(blob));
      expect(e?.code).toBe('Malformed backup blob');
    }));
    const sealed = Buffer.from(codec.seal(content), 'base64url');
    fc.assert(fc.property(fc.nat({ max: sealed.length - 1 }), fc.integer({ min: 1, max: 255 }), (i, x) => {
      const bad = Buffer.from(sealed);
      bad[i] = (bad[i] ?? 0) ^ x;
      expect(catalogOnly(() => codec.open(bad.toString('base64url')))?.code).toBe('Malformed backup blob');
    }));
  });
});
