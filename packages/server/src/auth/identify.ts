/**
 * Who is calling (spec §3.1, §3.4, §3.5): the identity of the one non-CA client certificate, or of the certificate a
 * TLS proxy forwarded. Certificates are never optional at the TLS level in Node's emulation of Go's
 * `RequireAnyClientCert`, so a request without any certificate is refused here with
 * `400 tls: client certificate is required` unless some route has `skip_auth` (spec §1.1).
 */
import { Errors, identifyPeer } from '@kes/core';
import type { ServerState } from '../context.js';
import { tlsSocketOf, type HttpRequest } from '../http/types.js';
import type { AuthMode } from '../routing/route.js';
import { peerOf, type PeerInfo } from './peer.js';
import { forwardedClient } from './proxy.js';

/** The caller of a request. */
export interface Caller {
  /** Hex identity; `''` when none was computed (`none` routes, or `identify` routes without a usable certificate). */
  identity: string;
  /** Client IP for logs. */
  ip: string | undefined;
}

/** The identity of each peer (or why it has none), computed once per connection. */
const identities = new WeakMap<PeerInfo, { identity: string } | { error: unknown }>();

function peerIdentity(peer: PeerInfo): string {
  let known = identities.get(peer);
  if (known === undefined) {
    try {
      known = { identity: identifyPeer(peer.chain) };
    } catch (error) {
      known = { error };
    }
    identities.set(peer, known);
  }
  if ('error' in known) throw known.error;
  return known.identity;
}

function resolve(req: HttpRequest, state: ServerState, peer: PeerInfo): Caller {
  const identity = peerIdentity(peer);
  const ip = peer.ip;
  if (state.proxy === undefined || !state.proxy.identities.has(identity)) return { identity, ip };
  const client = forwardedClient(req, state.proxy.certHeader, state.verifyCerts ? state.trust : undefined);
  return { identity: client.identity, ip: client.ip ?? ip };
}

/**
 * Identifies the caller of `req` under `mode`.
 * @throws KesError (mode `policy`) `CLIENT_CERT_REQUIRED` / `MULTIPLE_CLIENT_CERTS` / `INVALID_CERTIFICATE` (400) and
 *   the proxy errors of {@link forwardedClient}; (modes `policy` and `identify`) `CLIENT_CERT_REQUIRED` when the client
 *   sent no certificate at all while certificates are required. Mode `none` never throws.
 */
export function identifyCaller(req: HttpRequest, state: ServerState, mode: AuthMode): Caller {
  const peer = peerOf(tlsSocketOf(req));
  if (mode === 'none') return { identity: '', ip: peer.ip };
  if (state.certRequired && peer.chain.length === 0) throw Errors.clientCertRequired();
  if (mode === 'policy') return resolve(req, state, peer);
  try {
    return resolve(req, state, peer);
  } catch {
    return { identity: '', ip: peer.ip };
  }
}
