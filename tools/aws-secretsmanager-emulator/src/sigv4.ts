import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { AwsErrors } from './aws-error.js';

/** A request as the verifier sees it. Header names are lower case; repeated headers keep every value. */
export interface SignedRequest {
  readonly method: string;
  /** Path and query exactly as received (`/`, `/?a=b`). */
  readonly url: string;
  readonly headers: Readonly<Record<string, readonly string[] | undefined>>;
  readonly body: Uint8Array;
}

/** A secret key known to the verifier, with the session token that must accompany it (if any). */
export interface KnownSecret {
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** What the verifier checks the scope against. */
export interface VerifyOptions {
  readonly region: string;
  readonly service: string;
  /** The verifier's clock, epoch ms. */
  readonly now: number;
  /** Largest allowed difference between `x-amz-date` and `now`. @default 15 minutes */
  readonly maxSkewMs?: number;
}

const AUTH = /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})\s*$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

const sha256Hex = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Uint8Array | string, data: string) => createHmac('sha256', key).update(data).digest();
/** RFC 3986 encoding as SigV4 wants it: everything but `A-Z a-z 0-9 - _ . ~` percent-encoded, upper-case hex. */
const uriEncode = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function header(req: SignedRequest, name: string): string | undefined {
  const values = req.headers[name];
  return values === undefined || values.length === 0 ? undefined : values.join(',');
}

function formatAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * SigV4's canonical URI for services other than S3: the path with empty and `.` segments dropped and `..` applied,
 * keeping a leading and a trailing `/`, then each segment URI-encoded once more (the signer encodes the already
 * encoded request path, so `%20` on the wire is `%2520` in the canonical request).
 */
function canonicalUri(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(uriEncode(segment));
  }
  const lead = path.startsWith('/') ? '/' : '';
  const trail = segments.length > 0 && path.endsWith('/') ? '/' : '';
  return `${lead}${segments.join('/')}${trail}`;
}

function canonicalQuery(search: URLSearchParams): string {
  return [...search]
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/**
 * Verifies an AWS Signature Version 4 `Authorization` header (spec aws-vault.md §2.4, Appendix A): rebuilds the
 * canonical request from exactly the `SignedHeaders`, the string to sign and the derived key, and compares in
 * constant time. Also checks the scope (date, region, service), the ±15 min clock skew and that a session token
 * configured for the key was sent.
 *
 * @returns the access key id of the caller.
 * @throws AwsError `MissingAuthenticationTokenException`, `IncompleteSignatureException`,
 *   `UnrecognizedClientException` or `InvalidSignatureException`, with AWS's message texts.
 */
export function verifySigV4(req: SignedRequest, lookup: (accessKeyId: string) => KnownSecret | undefined, options: VerifyOptions): string {
  const authorization = header(req, 'authorization');
  if (authorization === undefined) throw AwsErrors.missingToken();
  const match = AUTH.exec(authorization);
  if (!match) {
    throw AwsErrors.incompleteSignature(
      "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters, signed with AWS4-HMAC-SHA256.",
    );
  }
  const [, credential = '', signedHeaders = '', signature = ''] = match;
  const scopeParts = credential.split('/');
  if (scopeParts.length !== 5 || scopeParts[4] !== 'aws4_request') {
    throw AwsErrors.incompleteSignature(`Credential should be scoped to a valid region, not '${credential}'.`);
  }
  const [accessKeyId = '', date = '', region = '', service = ''] = scopeParts;
  const amzDate = header(req, 'x-amz-date');
  const parts = amzDate === undefined ? null : AMZ_DATE.exec(amzDate);
  if (amzDate === undefined || parts === null) {
    throw AwsErrors.incompleteSignature("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  const known = lookup(accessKeyId);
  if (known === undefined) throw AwsErrors.unrecognizedClient();
  if ((known.sessionToken ?? '') !== (header(req, 'x-amz-security-token') ?? '')) throw AwsErrors.unrecognizedClient();
  if (!amzDate.startsWith(date)) {
    throw AwsErrors.invalidSignature(`Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`);
  }
  if (region !== options.region) throw AwsErrors.invalidSignature(`Credential should be scoped to a valid region, not '${region}'.`);
  if (service !== options.service) {
    throw AwsErrors.invalidSignature(`Credential should be scoped to correct service: '${options.service}'.`);
  }
  const names = signedHeaders.split(';');
  if (!names.includes('host')) {
    throw AwsErrors.invalidSignature("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  const [, y, mo, d, h, mi, s] = parts.map(Number) as number[];
  const signedAt = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
  const maxSkew = options.maxSkewMs ?? 15 * 60_000;
  if (signedAt < options.now - maxSkew) {
    throw AwsErrors.invalidSignature(`Signature expired: ${amzDate} is now earlier than ${formatAmzDate(options.now - maxSkew)} (${formatAmzDate(options.now)} - 15 min.)`);
  }
  if (signedAt > options.now + maxSkew) {
    throw AwsErrors.invalidSignature(`Signature not yet current: ${amzDate} is still later than ${formatAmzDate(options.now + maxSkew)} (${formatAmzDate(options.now)} + 15 min.)`);
  }

  const queryAt = req.url.indexOf('?');
  const rawPath = queryAt < 0 ? req.url : req.url.slice(0, queryAt);
  const search = new URLSearchParams(queryAt < 0 ? '' : req.url.slice(queryAt + 1));
  const canonicalHeaders = names
    .map((name) => `${name}:${(req.headers[name] ?? []).map((v) => v.trim().replace(/\s+/g, ' ')).join(',')}\n`)
    .join('');
  const canonicalRequest = [req.method, canonicalUri(rawPath), canonicalQuery(search), canonicalHeaders, signedHeaders, sha256Hex(req.body)].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${known.secretAccessKey}`, date), region), service), 'aws4_request');
  const expected = Buffer.from(createHmac('sha256', key).update(stringToSign).digest('hex'));
  if (!timingSafeEqual(expected, Buffer.from(signature))) {
    throw AwsErrors.invalidSignature(
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
  return accessKeyId;
}
