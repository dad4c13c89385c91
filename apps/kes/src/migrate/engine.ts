/**
 * Copying stored key values from one keystore to another (`kes migrate`), idempotently: a key already at the target
 * with the same value is skipped, a different value is never overwritten unless forced, and every write is verified
 * by reading it back. Safe to re-run after an interruption.
 */
import { isKesError, type Keystore } from '@kes/core';

/** What happened to one key. */
export type Outcome = 'copied' | 'identical' | 'kept' | 'overwritten' | 'conflict' | 'failed';

/** How existing keys at the target are treated (upstream `--force` / `--merge`; neither = strict). */
export type ExistingPolicy = 'strict' | 'force' | 'merge';

/** Options of {@link migrateKeys}. */
export interface MigrateOptions {
  /** Names to migrate, in order. */
  names: readonly string[];
  existing: ExistingPolicy;
  /** Keys handled at the same time (≥ 1). */
  concurrency: number;
  /** Stops taking new keys when it fires; keys in flight finish (so nothing is left half-done by the tool). */
  signal?: AbortSignal;
  /** Called after each key. */
  onKey?: (name: string, outcome: Outcome, message?: string) => void;
}

/** Result of {@link migrateKeys}. */
export interface MigrateResult {
  counts: Record<Outcome, number>;
  /** Keys whose outcome is `conflict` or `failed`, with the reason. */
  problems: Array<{ name: string; outcome: Outcome; message: string }>;
  /** Keys handled (the rest were not started because of the signal). */
  processed: number;
  interrupted: boolean;
}

const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);

async function verify(target: Keystore, name: string, value: Uint8Array): Promise<void> {
  const back = await target.get(name);
  if (!same(back, value)) throw new Error('verification failed: the value read back from the target differs from the source');
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Migrates one key. Never throws: failures become `failed` with a message. */
async function migrateOne(
  source: Keystore,
  target: Keystore,
  name: string,
  existing: ExistingPolicy,
): Promise<{ outcome: Outcome; message?: string }> {
  let value: Uint8Array;
  try {
    value = await source.get(name);
  } catch (err) {
    if (isKesError(err, 'KEY_NOT_FOUND')) return { outcome: 'failed', message: 'deleted from the source during the migration' };
    return { outcome: 'failed', message: `cannot read it from the source: ${reason(err)}` };
  }
  try {
    await target.create(name, value);
  } catch (err) {
    if (!isKesError(err, 'KEY_EXISTS')) return { outcome: 'failed', message: `cannot write it to the target: ${reason(err)}` };
    try {
      const current = await target.get(name);
      if (same(current, value)) return { outcome: 'identical' };
      if (existing === 'merge') return { outcome: 'kept' };
      if (existing === 'strict') {
        return {
          outcome: 'conflict',
          message: 'exists at the target with a different value; not overwritten (use --force to overwrite it, or --merge to keep it)',
        };
      }
      await target.delete(name).catch((e: unknown) => {
        if (!isKesError(e, 'KEY_NOT_FOUND')) throw e;
      });
      await target.create(name, value);
      await verify(target, name, value);
      return { outcome: 'overwritten' };
    } catch (e) {
      return { outcome: 'failed', message: `cannot replace it at the target: ${reason(e)}` };
    }
  }
  try {
    await verify(target, name, value);
  } catch (err) {
    return { outcome: 'failed', message: reason(err) };
  }
  return { outcome: 'copied' };
}

/**
 * Copies the raw stored value of every name from `source` to `target`.
 * @returns counts per outcome, the problems, and whether the signal stopped it early. Never throws.
 */
export async function migrateKeys(source: Keystore, target: Keystore, opts: MigrateOptions): Promise<MigrateResult> {
  const counts: Record<Outcome, number> = { copied: 0, identical: 0, kept: 0, overwritten: 0, conflict: 0, failed: 0 };
  const problems: MigrateResult['problems'] = [];
  let next = 0;
  let processed = 0;
  const worker = async (): Promise<void> => {
    while (next < opts.names.length && opts.signal?.aborted !== true) {
      const name = opts.names[next++]!;
      const { outcome, message } = await migrateOne(source, target, name, opts.existing);
      counts[outcome]++;
      processed++;
      if (message !== undefined && (outcome === 'conflict' || outcome === 'failed')) problems.push({ name, outcome, message });
      opts.onKey?.(name, outcome, message);
    }
  };
  const workers = Math.max(1, Math.min(opts.concurrency, opts.names.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return { counts, problems, processed, interrupted: processed < opts.names.length };
}
