import { createCipheriv } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hchacha20, hchachaKeyWords, hchachaWords } from './hchacha.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });

/**
 * Independent HChaCha20 via node:crypto's ChaCha20 keystream: with the 16-byte input as counter‖nonce, the first
 * keystream block is permute(state) + state, so subtracting the state's constant and input words recovers words
 * 0–3 and 12–15 of the permutation, which is HChaCha20's output.
 */
function referenceHChaCha20(key: Uint8Array, input: Uint8Array): Uint8Array {
  const block = createCipheriv('chacha20', key, input).update(new Uint8Array(64));
  const sigma = Buffer.from('expand 32-byte k', 'latin1');
  const out = Buffer.alloc(32);
  for (let i = 0; i < 4; i++) {
    out.writeUInt32LE((block.readUInt32LE(4 * i) - sigma.readUInt32LE(4 * i)) >>> 0, 4 * i);
    const w = 12 + i;
    out.writeUInt32LE((block.readUInt32LE(4 * w) - Buffer.from(input).readUInt32LE(4 * i)) >>> 0, 16 + 4 * i);
  }
  return out;
}

describe('hchacha20', () => {
  it('matches the draft-irtf-cfrg-xchacha §2.2.1 example', () => {
    const key = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');
    const input = Buffer.from('000000090000004a0000000031415927', 'hex');
    expect(hex(hchacha20(key, input))).toBe('82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc');
  });

  it('agrees with a node:crypto ChaCha20 keystream derivation for any key and input', () => {
    fc.assert(
      fc.property(bytes(32), bytes(16), (k, n) => {
        expect(hex(hchacha20(k, n))).toBe(hex(referenceHChaCha20(k, n)));
      }),
    );
  });

  it('reads unaligned views at an offset without touching neighbours', () => {
    const backing = new Uint8Array(80).map((_, i) => (i * 37) & 0xff);
    const key = backing.subarray(1, 33);
    const input = backing.subarray(35, 51);
    const words = hchachaKeyWords(key);
    expect(hex(hchachaWords(words, backing, 35))).toBe(hex(referenceHChaCha20(key, input)));
    expect(backing.every((b, i) => b === ((i * 37) & 0xff))).toBe(true);
  });

  it('rejects wrong sizes', () => {
    expect(() => hchacha20(new Uint8Array(31), new Uint8Array(16))).toThrow(RangeError);
    expect(() => hchacha20(new Uint8Array(32), new Uint8Array(12))).toThrow(RangeError);
  });
});
