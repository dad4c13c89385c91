/**
 * Batched CSPRNG output for the hot encryption path: one `randomFillSync` call per pool instead of one per message.
 * Every byte is handed out at most once, and a drained pool is replaced by a new buffer (never refilled in place),
 * so views returned earlier stay unchanged.
 */
import { randomFillSync } from 'node:crypto';

const POOL_SIZE = 4096;

let pool = new Uint8Array(0);
let offset = 0;

/**
 * Returns `n` fresh cryptographically random bytes as a view that no other caller receives.
 * Requests larger than the pool get their own buffer. Never throws for `0 ≤ n`.
 */
export function takeRandom(n: number): Uint8Array {
  if (n > POOL_SIZE / 4) return randomFillSync(new Uint8Array(n));
  if (offset + n > pool.length) {
    pool = randomFillSync(new Uint8Array(POOL_SIZE));
    offset = 0;
  }
  const view = pool.subarray(offset, offset + n);
  offset += n;
  return view;
}
