import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { goJson } from '../http/respond.js';
import { base64Reply } from './handler.js';

describe('base64Reply', () => {
  it('writes exactly what the JSON encoder writes for base64 members, in order', () => {
    for (let n = 0; n < 64; n++) {
      const members = { plaintext: randomBytes(n).toString('base64'), ciphertext: randomBytes(n * 3).toString('base64') };
      expect(base64Reply(members)).toEqual({ kind: 'json-text', text: goJson(members) });
    }
    expect(base64Reply({ plaintext: '' })).toEqual({ kind: 'json-text', text: '{"plaintext":""}' });
    expect(base64Reply({})).toEqual({ kind: 'json-text', text: '{}' });
  });
});
