/**
 * `GET /v1/status` and `GET /v1/ready` (spec §2.3 with §12): both probe the keystore through the cache, which fails
 * fast while the keystore is offline.
 */
import { Errors, isKesError } from '@kes/core';
import { isRequestAbort } from '../http/abort.js';
import { systemStats } from '../metrics/system-stats.js';
import { EMPTY_REPLY, jsonReply, type Handler } from './handler.js';

/**
 * Always 200: `{"version","os","arch","uptime","num_cpu","num_cpu_used","mem_heap_used","mem_stack_used",…}` plus
 * `keystore_latency` (whole ms, at least 1) when the keystore answers, else `keystore_unreachable` and
 * `keystore_unavailable` both `true` (so the Go SDK does not reject the answer).
 */
export const status: Handler = async (ctx) => {
  let latency: number | undefined;
  try {
    const s = await ctx.state.cache.status(ctx.signal);
    latency = Math.max(1, Math.round(s.latencyMs));
  } catch (err) {
    if (isRequestAbort(err)) throw err;
    ctx.services.errorLog.warn(`keystore status failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  const sys = systemStats();
  return jsonReply({
    version: ctx.state.version.version,
    os: sys.os,
    arch: sys.arch,
    uptime: Math.floor((performance.now() - ctx.services.startedAt) / 1000),
    num_cpu: sys.numCpu,
    num_cpu_used: sys.numCpuUsed,
    mem_heap_used: sys.heapUsed,
    mem_stack_used: sys.stackUsed,
    keystore_latency: latency,
    keystore_unreachable: latency === undefined ? true : undefined,
    keystore_unavailable: latency === undefined ? true : undefined,
  });
};

/**
 * 200 without a body when the keystore answers; `504 key store is not reachable` when it is unreachable (including
 * the cache's offline state), `502 key store is unavailable` for any other failure (logged at WARN).
 */
export const ready: Handler = async (ctx) => {
  try {
    await ctx.state.cache.status(ctx.signal);
    return EMPTY_REPLY;
  } catch (err) {
    if (isRequestAbort(err)) throw err;
    ctx.services.errorLog.warn(`keystore is not ready: ${err instanceof Error ? err.message : String(err)}`);
    throw isKesError(err, 'KEYSTORE_UNREACHABLE') ? Errors.keystoreNotReachable(err) : Errors.keystoreUnavailable(err);
  }
};
