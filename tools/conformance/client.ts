/**
 * Conformance of `@kes/client` against the upstream vectors (`kes-vectors.json` sections `sdk_errors`,
 * `client_paths`, `log_stream_examples`).
 * Run by hand only (the project's own tests never read ../shared):
 *   npx tsx --conditions=@kes/source tools/conformance/client.ts [path/to/kes-vectors.json]
 * `client_paths` differ in one deliberate point: for an empty argument the Go SDK sends the bare path (e.g.
 * `/v1/key/list`, which Go's mux redirects), this client sends it with the trailing slash; that is checked as such.
 */
import { errorCodeFor, type KesClientErrorCode } from '../../packages/client/src/index.js';
import { decodeAuditEvent, decodeErrorEvent } from '../../packages/client/src/log-stream.js';
import { route } from '../../packages/client/src/wire.js';
import { runIfMain } from './report.js';
import { expectSame, Tally, type CheckResult } from './tally.js';

/** The client code each Go SDK error name maps to. */
const CODES: Record<string, KesClientErrorCode> = {
  ErrNotAllowed: 'NOT_ALLOWED',
  ErrPartialWrite: 'PARTIAL_WRITE',
  ErrKeyNotFound: 'KEY_NOT_FOUND',
  ErrKeyExists: 'KEY_EXISTS',
  ErrSecretNotFound: 'SECRET_NOT_FOUND',
  ErrSecretVersionNotFound: 'SECRET_VERSION_NOT_FOUND',
  ErrSecretExists: 'SECRET_EXISTS',
  ErrPolicyExists: 'POLICY_EXISTS',
  ErrPolicyNotFound: 'POLICY_NOT_FOUND',
  ErrIdentityExists: 'IDENTITY_EXISTS',
  ErrIdentityNotFound: 'IDENTITY_NOT_FOUND',
  ErrDecrypt: 'DECRYPT',
  ErrEnclaveExists: 'ENCLAVE_EXISTS',
  ErrEnclaveNotFound: 'ENCLAVE_NOT_FOUND',
};

/** Paths of the SDK calls in `client_paths`, as this client builds them. */
const PATHS: Record<string, () => string> = {
  'CreateKey("my-key")': () => route('/v1/key/create', 'my-key'),
  'ListKeys("")': () => route('/v1/key/list', ''),
  'ListKeys("*")': () => route('/v1/key/list', '*'),
  'ListIdentities("")': () => route('/v1/identity/list', ''),
  'HMAC("k", msg)': () => route('/v1/key/hmac', 'k'),
  'Decrypt("k", ...)': () => route('/v1/key/decrypt', 'k'),
};

/** Runs every client-area vector; never throws (a throwing check counts as a failure). */
export function checkClient(vectors: any): CheckResult {
  const result = new Tally();

  for (const v of vectors.sdk_errors.vectors) {
    result.check(`sdk_errors ${v.name}`, () => expectSame('code', errorCodeFor(v.status, v.message), CODES[v.name] ?? 'unknown name'));
  }
  for (const v of vectors.sdk_errors.legacy_aliases_accepted_by_client) {
    result.check(`sdk_errors legacy ${v.message}`, () => expectSame('code', errorCodeFor(v.status, v.message), CODES[v.maps_to]));
  }
  for (const v of vectors.client_paths.vectors) {
    result.check(`client_paths ${v.call}`, () => {
      const build = PATHS[v.call];
      if (build === undefined) return 'no mapping for this call';
      const want = v.path === '/v1/key/list' || v.path === '/v1/identity/list' ? `${v.path}/` : v.path;
      return expectSame('path', build(), want);
    });
  }
  const logs = vectors.log_stream_examples;
  logs.audit_lines.forEach((line: string, i: number) => {
    result.check(`log_stream_examples audit ${i}`, () => {
      const event = decodeAuditEvent(JSON.parse(line), { what: 'audit' });
      return expectSame('time', event.time, logs.audit_expected_timestamps[i]);
    });
  });
  logs.error_lines.forEach((line: string, i: number) => {
    result.check(`log_stream_examples error ${i}`, () =>
      expectSame('message', decodeErrorEvent(JSON.parse(line), { what: 'error' }).message, JSON.parse(line).message),
    );
  });
  return result;
}

await runIfMain(import.meta.url, 'client', checkClient);
