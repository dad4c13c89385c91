/**
 * What the TLS layer knows about a peer: the certificates it sent (DER, leaf first), whether they verified against
 * the server's CA list, and its IP. Computed once per connection.
 */
import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';

/** The client side of a TLS connection. */
export interface PeerInfo {
  /** DER certificates, leaf first; empty when the client sent none. */
  readonly chain: readonly Uint8Array[];
  /** Node's verdict against the context's `ca` (meaningful only with `tls.auth: on`). */
  readonly authorized: boolean;
  /** Why verification failed, if it did. */
  readonly authorizationError: string | undefined;
  /** The client IP (IPv4-mapped IPv6 addresses unwrapped, as Go prints them). */
  readonly ip: string | undefined;
}

const peers = new WeakMap<TLSSocket, PeerInfo>();

/** Unwraps `::ffff:1.2.3.4` to `1.2.3.4`. */
export function normalizeIp(address: string | undefined): string | undefined {
  if (address === undefined || address === '') return undefined;
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/**
 * The certificates of `socket`'s peer: `getPeerCertificate(true)` walked along `issuerCertificate`, stopping at a
 * self-issued certificate (which points to itself) or any repetition. Node completes the chain from the context's
 * trust store, so it may contain trusted roots the client did not send; they are CA certificates, which identity
 * computation drops anyway (spec §3.1). Never throws.
 */
export function peerChain(socket: TLSSocket): Uint8Array[] {
  let cert: DetailedPeerCertificate | undefined;
  try {
    cert = socket.getPeerCertificate(true);
  } catch {
    return [];
  }
  const chain: Uint8Array[] = [];
  const seen = new Set<DetailedPeerCertificate>();
  while (cert !== undefined && cert !== null && cert.raw !== undefined && !seen.has(cert)) {
    seen.add(cert);
    if (chain.some((der) => Buffer.compare(der, cert!.raw) === 0)) break;
    chain.push(new Uint8Array(cert.raw));
    cert = cert.issuerCertificate;
  }
  return chain;
}

/** A peer whose certificate chain is read on first use (reading it costs; `/version` and the IP need none of it). */
class Peer implements PeerInfo {
  readonly #socket: TLSSocket;
  #chain: readonly Uint8Array[] | undefined;
  readonly authorized: boolean;
  readonly authorizationError: string | undefined;
  readonly ip: string | undefined;

  constructor(socket: TLSSocket) {
    this.#socket = socket;
    const error = socket.authorizationError as unknown;
    this.authorized = socket.authorized;
    this.authorizationError = error === null || error === undefined ? undefined : String(error);
    this.ip = normalizeIp(socket.remoteAddress);
  }

  get chain(): readonly Uint8Array[] {
    this.#chain ??= peerChain(this.#socket);
    return this.#chain;
  }
}

/** The peer of `socket`, computed on first use and remembered for the connection's lifetime. Never throws. */
export function peerOf(socket: TLSSocket): PeerInfo {
  let info = peers.get(socket);
  if (info === undefined) {
    info = new Peer(socket);
    peers.set(socket, info);
  }
  return info;
}
