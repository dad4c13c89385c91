/**
 * Classifies low-level Node errors (sockets, DNS, TLS) into {@link KesClientError}s with one clear line that names
 * the endpoint and says what to do, and decides which of them the Go client's rules retry.
 */
import { KesClientError } from './errors.js';

/** Node/OpenSSL error codes meaning "the server's certificate is not trusted". */
const UNTRUSTED_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'INVALID_CA',
  'CERT_REJECTED',
]);

/** Socket/DNS error codes, with a short human explanation. */
const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the server',
  EPIPE: 'connection closed by the server',
  ECONNABORTED: 'connection aborted',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EHOSTDOWN: 'host is down',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'temporary DNS failure',
  EADDRNOTAVAIL: 'address not available',
  UND_ERR_SOCKET: 'connection closed by the server',
};

function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Codes of a connection that the server dropped. */
const DROPPED = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/**
 * Wraps a transport failure of a request to `endpoint`. Returns `CERT_UNTRUSTED` for certificate-verification
 * failures, `TLS` for other handshake/alert failures and for a connection dropped right after a fresh handshake
 * (`afterHandshake`: how a server refusing the client certificate shows under TLS 1.3), `UNREACHABLE` otherwise
 * (refused, reset, DNS, hang-up, …). Never throws.
 */
export function wrapNetworkError(err: unknown, endpoint: string, ctx: { afterHandshake?: boolean } = {}): KesClientError {
  if (err instanceof KesClientError) return err;
  const code = errorCode(err);
  const text = errorText(err);
  if (ctx.afterHandshake === true && (DROPPED.has(code) || text === 'socket hang up')) {
    return new KesClientError(
      'TLS',
      0,
      `${endpoint} closed the connection right after the TLS handshake: it does not accept this client ` +
        `certificate or API key (check the certificate and key, or the API key)`,
      { endpoint, cause: err },
    );
  }
  if (UNTRUSTED_CODES.has(code)) {
    return new KesClientError(
      'CERT_UNTRUSTED',
      0,
      `the TLS certificate of ${endpoint} is not trusted (${text}): pass the server's CA certificate as a CA file, ` +
        `or skip verification with --insecure (-k)`,
      { endpoint, cause: err },
    );
  }
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || /alert|handshake|ssl|tls/i.test(text)) {
    const rejected = /certificate|alert/i.test(text);
    return new KesClientError(
      'TLS',
      0,
      `TLS handshake with ${endpoint} failed (${text})` +
        (rejected ? ': the server may not accept this client certificate or API key' : ''),
      { endpoint, cause: err },
    );
  }
  const reason = NETWORK_CODES[code] ?? (text === 'socket hang up' ? 'connection closed by the server' : text);
  return new KesClientError(
    'UNREACHABLE',
    0,
    `cannot reach the KES server at ${endpoint}: ${reason}. Check that the server is running and that the ` +
      `endpoint (host:port) is right`,
    { endpoint, cause: err },
  );
}

/**
 * True iff the Go client's retry loop would retry this failure (a network error: refused, reset, timeouts, EOF).
 * Certificate and TLS failures are not retried (they fail over to the next endpoint instead).
 */
export function isRetryableNetworkError(err: KesClientError): boolean {
  return err.code === 'UNREACHABLE';
}
