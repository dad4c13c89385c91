/**
 * In-process micro-benchmark of the @kes/core hot paths on one core: data-key generation (32 random bytes +
 * encryption) and decryption with an already decoded (cached) key, for AES256 and ChaCha20 keys, with a
 * MinIO-sized (~60-byte) JSON context. Also stored-key decoding (what a cache miss costs).
 *
 *   npx tsx --conditions=@kes/source tools/bench/core.ts [seconds-per-case]
 *
 * Prints one line per case: operations per CPU-second of this process (= one core's throughput, meaningful even
 * when other processes compete for the cores) and per wall-clock second. Bounded: each case runs a short warm-up and
 * then `seconds-per-case` (default 1.5 s). The target for generate-DEK and decrypt is ≥ 50,000 ops per CPU-second;
 * the exit code is 1 when a case misses it.
 */
import {
  decodeStoredKey,
  decryptWithKey,
  encodeStoredKey,
  generateDataKey,
  newStoredKey,
  type KeyType,
} from '@kes/core';

const seconds = Number(process.argv[2] ?? 1.5);
const TARGET = 50_000;
// The shape of the context MinIO sends for SSE-KMS: its JSON-encoded encryption context.
const CONTEXT = new TextEncoder().encode('{"aws:s3:arn":"arn:aws:s3:::my-bucket/path/to/object.bin"}');

interface Rate {
  /** Operations per wall-clock second. */
  wall: number;
  /** Operations per second of CPU time used by this process (one core's throughput, even on a busy machine). */
  cpu: number;
}

/** Runs `op` in batches of 1000 for `durationMs` of wall time. */
function measure(op: () => unknown, durationMs: number): Rate {
  let count = 0;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  let now = start;
  while (now - start < durationMs) {
    for (let i = 0; i < 1000; i++) op();
    count += 1000;
    now = performance.now();
  }
  const cpu = process.cpuUsage(cpuStart);
  return { wall: (count * 1000) / (now - start), cpu: (count * 1e6) / (cpu.user + cpu.system) };
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US').padStart(10);

/** Measures and prints one case; returns false when a target is given and the CPU-time rate misses it. */
function report(name: string, op: () => unknown, target?: number): boolean {
  measure(op, 300); // warm-up (JIT, OpenSSL contexts)
  const rate = measure(op, seconds * 1000);
  const verdict = target === undefined ? '' : rate.cpu >= target ? '  ok' : `  BELOW TARGET ${target}`;
  const perOp = (1e6 / rate.cpu).toFixed(2).padStart(6);
  console.log(`${name.padEnd(30)} ${fmt(rate.cpu)} ops/cpu-s (${perOp} µs)  ${fmt(rate.wall)} ops/wall-s${verdict}`);
  return target === undefined || rate.cpu >= target;
}

console.log(`@kes/core bench — node ${process.version}, context ${CONTEXT.length} bytes, ${seconds}s per case`);
let ok = true;
for (const type of ['AES256', 'ChaCha20'] as KeyType[]) {
  const key = newStoredKey({ type, createdBy: 'bench' });
  const { ciphertext } = generateDataKey(key, CONTEXT);
  ok = report(`generate-DEK ${type}`, () => generateDataKey(key, CONTEXT), TARGET) && ok;
  ok = report(`decrypt ${type}`, () => decryptWithKey(key, ciphertext, CONTEXT), TARGET) && ok;
}
const stored = encodeStoredKey(newStoredKey({ createdBy: 'bench' }));
report('decodeStoredKey (cache miss)', () => decodeStoredKey(stored));
process.exitCode = ok ? 0 : 1;
