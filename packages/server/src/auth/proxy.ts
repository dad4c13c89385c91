/**
 * TLS proxy support (spec §3.5, implemented per §12): when the directly connected peer is a configured proxy, the real
 * client's certificate comes from a request header (URL-query-escaped PEM) and the client IP from `X-Forwarded-For`.
 */
import { isIP } from 'node:net';
import { Errors, identityOfCertificate } from '@kes/core';
import type { HttpRequest } from '../http/types.js';
import type { TrustStore } from './trust-store.js';

/** The client behind a proxy. */
export interface ForwardedClient {
  identity: string;
  /** From `X-Forwarded-For`, when it names an IP. */
  ip: string | undefined;
}

/** All values of header `name` (case-insensitive), each occurrence separately. */
export function headerValues(req: HttpRequest, name: string): string[] {
  const lower = name.toLowerCase();
  const values: string[] = [];
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i]!.toLowerCase() === lower) values.push(raw[i + 1]!);
  }
  return values;
}

/** Go's `url.QueryUnescape`: `+` is a space, `%XX` escapes; `undefined` for a malformed escape. */
export function queryUnescape(text: string): string | undefined {
  const bytes: number[] = [];
  const input = Buffer.from(text, 'utf8');
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (c === 0x2b) bytes.push(0x20);
    else if (c !== 0x25) bytes.push(c);
    else {
      const hex = input.subarray(i + 1, i + 3).toString('latin1');
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return undefined;
      bytes.push(parseInt(hex, 16));
      i += 2;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The DER bytes of the first PEM block of `text` if that block is a `CERTIFICATE`; else `undefined`. */
export function firstPemCertificate(text: string): Uint8Array | undefined {
  const m = /-----BEGIN ([^\r\n-]*)-----\r?\n([\s\S]*?)-----END \1-----/.exec(text);
  if (m === null || m[1] !== 'CERTIFICATE') return undefined;
  const body = m[2]!.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length % 4 !== 0 || body.length === 0) return undefined;
  return Buffer.from(body, 'base64');
}

/** The first `X-Forwarded-For` entry as an IP (port stripped, `unknown` ignored). */
export function forwardedIp(req: HttpRequest): string | undefined {
  const header = headerValues(req, 'x-forwarded-for')[0];
  if (header === undefined) return undefined;
  let first = header.split(',')[0]!.trim();
  if (first.startsWith('[')) first = first.slice(1, first.indexOf(']') < 0 ? undefined : first.indexOf(']'));
  else if (first.split(':').length === 2) first = first.split(':')[0]!;
  return isIP(first) !== 0 ? first : undefined;
}

/**
 * The client a proxy forwarded.
 * @param certHeader - the configured header carrying the client certificate.
 * @param trust - set with `tls.auth: on`: the certificate must verify against it.
 * @throws KesError `PROXY_NO_CLIENT_CERT` (400) / `PROXY_TOO_MANY_CLIENT_CERTS` (400) for zero or several header
 *   values; `PROXY_INVALID_CLIENT_CERT` (400) when it is not an escaped PEM certificate; `PROXY_CERT_NOT_VERIFIED`
 *   (403, empty message) when verification fails.
 */
export function forwardedClient(req: HttpRequest, certHeader: string, trust: TrustStore | undefined): ForwardedClient {
  const values = headerValues(req, certHeader);
  if (values.length === 0) throw Errors.proxyNoClientCert();
  if (values.length > 1) throw Errors.proxyTooManyClientCerts();
  const pem = queryUnescape(values[0]!);
  const der = pem === undefined ? undefined : firstPemCertificate(pem);
  if (der === undefined) throw Errors.proxyInvalidClientCert();
  let identity: string;
  try {
    identity = identityOfCertificate(der);
  } catch {
    throw Errors.proxyInvalidClientCert();
  }
  if (trust !== undefined && !trust.verify(der)) throw Errors.proxyCertNotVerified();
  return { identity, ip: forwardedIp(req) };
}
