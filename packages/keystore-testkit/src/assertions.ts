import type { KesErrorCode } from '@kes/core';
import { expect } from 'vitest';

/**
 * Awaits `promise` and asserts that it rejects with a `KesError` of `code`. Matches by `name` and `code` rather than
 * `instanceof`, so a backend that bundles its own copy of `@kes/core` passes too.
 * @returns the error.
 */
export async function expectKesError(promise: Promise<unknown>, code: KesErrorCode): Promise<Error> {
  const outcome = await promise.then(
    (value) => ({ resolved: true as const, value }),
    (error: unknown) => ({ resolved: false as const, error }),
  );
  if (outcome.resolved) expect.fail(`expected a KesError ${code}, but the call resolved`);
  const err = outcome.error as { name?: unknown; code?: unknown; message?: unknown };
  expect({ name: err?.name, code: err?.code }, `unexpected rejection: ${String(err?.message ?? err)}`).toEqual({
    name: 'KesError',
    code,
  });
  return outcome.error as Error;
}

/** Encodes text as UTF-8 bytes. */
export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Every byte value 0x00–0xFF once, then in reverse (512 bytes). */
export function allByteValues(): Uint8Array {
  const bytes = new Uint8Array(512);
  for (let i = 0; i < 256; i++) {
    bytes[i] = i;
    bytes[511 - i] = i;
  }
  return bytes;
}

/** A deterministic pseudo-random byte string of `length` (xorshift32, seed > 0). */
export function pseudoRandomBytes(length: number, seed = 0x9e3779b9): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/** A value that looks like a stored KES key (ASCII base64 text), distinct per `tag`. */
export const storedKeyLike = (tag: string): Uint8Array =>
  utf8(Buffer.from(`kes-contract-value:${tag}`, 'utf8').toString('base64'));

/** Compares bytes with a readable diff (as plain arrays). */
export function expectBytes(actual: Uint8Array, expected: Uint8Array, what = 'value'): void {
  expect(actual, `${what} must be a Uint8Array`).toBeInstanceOf(Uint8Array);
  expect(actual.byteLength, `${what} length`).toBe(expected.byteLength);
  expect(Buffer.from(actual).equals(Buffer.from(expected)), `${what} bytes`).toBe(true);
}
