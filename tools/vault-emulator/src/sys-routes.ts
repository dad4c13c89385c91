/**
 * `sys/health` and `sys/seal-status`, the unauthenticated status paths. Health answers 200 active, 429 standby,
 * 501 not initialised, 503 sealed (Vault's defaults) unless a `*code` query parameter says otherwise; `standbyok`
 * makes a standby answer like an active node; HEAD gets the status without a body. Both are root-only: called with
 * a namespace they answer 404 "unsupported path", as Vault Enterprise does.
 */
import { errors, type Answer } from './http-io.js';
import type { Knobs } from './knobs.js';

/** The version string the emulator reports. */
export const EMULATED_VERSION = '1.17.6+emulator';

/** Handles `sys/health` and `sys/seal-status`; undefined for any other `sys/` path. */
export function handleSys(path: string, method: string, query: URLSearchParams, namespace: string, knobs: Knobs, clusterId: string): Answer | undefined {
  if (path !== 'sys/health' && path !== 'sys/seal-status') return undefined;
  if (namespace !== '') return errors(404, 'unsupported path');
  if (method !== 'GET' && method !== 'HEAD') return errors(405, 'unsupported operation');
  if (path === 'sys/seal-status') {
    return {
      status: 200,
      body: { type: 'shamir', initialized: knobs.initialized, sealed: knobs.sealed || !knobs.initialized, t: 1, n: 1, progress: 0, nonce: '', version: EMULATED_VERSION, build_date: '2024-10-01T00:00:00Z', migration: false, recovery_seal: false, storage_type: 'inmem' },
    };
  }
  const code = (name: string, fallback: number) => {
    const v = query.get(name);
    return v !== null && /^\d{3}$/.test(v) ? Number(v) : fallback;
  };
  const standbyOk = query.has('standbyok') && query.get('standbyok') !== 'false';
  let status: number;
  if (!knobs.initialized) status = code('uninitcode', 501);
  else if (knobs.sealed) status = code('sealedcode', 503);
  else if (knobs.standby && !standbyOk) status = code('standbycode', 429);
  else status = code('activecode', 200);
  const body = {
    initialized: knobs.initialized,
    sealed: knobs.sealed || !knobs.initialized,
    standby: knobs.standby,
    performance_standby: false,
    replication_performance_mode: 'disabled',
    replication_dr_mode: 'disabled',
    server_time_utc: Math.floor(Date.now() / 1000),
    version: EMULATED_VERSION,
    cluster_name: 'vault-emulator',
    cluster_id: clusterId,
  };
  return method === 'HEAD' ? { status } : { status, body };
}
