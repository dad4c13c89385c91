/**
 * The Go SDK's JSON renderings of status and API listings (`kms-go kes/api.go State.MarshalJSON`,
 * `API.MarshalJSON`), which `kes status --json` prints. (For metrics see `metricToJSON`.)
 */
import type { ApiInfo, ServerStatus } from './types.js';

/**
 * The Go SDK's `State` JSON: zero values omitted (`omitempty`), `uptime` in whole seconds (rounded),
 * `keystore_latency` as the SDK carries it (the server's number, unscaled), `keystore_unreachable` /
 * `keystore_unavailable` only when true. Never throws.
 */
export function statusToJSON(s: ServerStatus): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const put = (key: string, value: unknown): void => {
    if (value !== '' && value !== 0 && value !== false && value !== undefined) out[key] = value;
  };
  put('version', s.version);
  put('os', s.os);
  put('arch', s.arch);
  put('uptime', Math.round(s.uptimeSeconds));
  put('num_cpu', s.cpus);
  put('num_cpu_used', s.usableCpus);
  put('mem_heap_used', s.heapAlloc);
  put('mem_stack_used', s.stackAlloc);
  put('keystore_latency', s.keystoreLatencyMs);
  put('keystore_unreachable', s.keystoreUnreachable);
  put('keystore_unavailable', s.keystoreUnavailable);
  return out;
}

/** The Go SDK's `API` JSON: `{"method","path","max_body","timeout"}` with zero values omitted. Never throws. */
export function apiToJSON(a: ApiInfo): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (a.method !== '') out['method'] = a.method;
  if (a.path !== '') out['path'] = a.path;
  if (a.maxBody !== 0) out['max_body'] = a.maxBody;
  if (a.timeoutSeconds !== 0) out['timeout'] = Math.trunc(a.timeoutSeconds);
  return out;
}
