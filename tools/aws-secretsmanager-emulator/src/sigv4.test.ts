import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AwsError } from './aws-error.js';
import { verifySigV4, type SignedRequest } from './sigv4.js';

/** node:crypto behind the hash interface the smithy signer wants. */
type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytesOf = (data: SourceData) =>
  typeof data === 'string' ? data : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);

class NodeSha256 {
  readonly #hash;
  constructor(secret?: SourceData) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytesOf(secret));
  }
  update(data: SourceData): void {
    this.#hash.update(bytesOf(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest());
  }
}

const KEY = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const SIGNED_AT = Date.UTC(2026, 10, 28, 12, 46, 50);

interface Raw {
  path?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
  sessionToken?: string;
  region?: string;
  service?: string;
  secretAccessKey?: string;
}

/** Signs with the AWS SDK's own signer and returns the request as the emulator's HTTP layer would see it. */
async function sdkSigned(raw: Raw = {}): Promise<SignedRequest> {
  const signer = new SignatureV4({
    service: raw.service ?? 'secretsmanager',
    region: raw.region ?? 'us-east-2',
    credentials: { ...KEY, ...(raw.secretAccessKey ? { secretAccessKey: raw.secretAccessKey } : {}), ...(raw.sessionToken ? { sessionToken: raw.sessionToken } : {}) },
    sha256: NodeSha256,
  });
  const body = raw.body ?? '{"SecretId":"kes-key-1"}';
  const signed = (await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 4572,
      path: raw.path ?? '/',
      query: raw.query ?? {},
      headers: {
        host: '127.0.0.1:4572',
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'secretsmanager.GetSecretValue',
        'content-length': String(Buffer.byteLength(body)),
        ...raw.headers,
      },
      body,
    } as never,
    { signingDate: new Date(SIGNED_AT) },
  )) as unknown as { headers: Record<string, string> };
  const headers: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(signed.headers)) headers[name.toLowerCase()] = [value];
  const query = new URLSearchParams(raw.query ?? {}).toString();
  return { method: 'POST', url: `${raw.path ?? '/'}${query ? `?${query}` : ''}`, headers, body: Buffer.from(body) };
}

const lookup = (id: string) => (id === KEY.accessKeyId ? { secretAccessKey: KEY.secretAccessKey } : undefined);
const verify = (req: SignedRequest, opts: { now?: number; region?: string } = {}) =>
  verifySigV4(req, lookup, { region: opts.region ?? 'us-east-2', service: 'secretsmanager', now: opts.now ?? SIGNED_AT });
const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    if (err instanceof AwsError) return `${err.code}: ${err.message}`;
    throw err;
  }
  return 'no error';
};

describe('verifySigV4', () => {
  it('accepts the AWS test-suite vector get-vanilla (independent of the SDK)', () => {
    const req: SignedRequest = {
      method: 'GET',
      url: '/',
      headers: {
        host: ['example.amazonaws.com'],
        'x-amz-date': ['20150830T123600Z'],
        authorization: [
          'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
        ],
      },
      body: new Uint8Array(),
    };
    const now = Date.UTC(2015, 7, 30, 12, 36, 0);
    expect(verifySigV4(req, lookup, { region: 'us-east-1', service: 'service', now })).toBe('AKIDEXAMPLE');
  });

  it('accepts what the AWS SDK signer produces, for any body, header set, path and query', async () => {
    const token = fc.stringMatching(/^[A-Za-z0-9_.~-]{1,12}$/);
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 200 }),
        fc.dictionary(fc.stringMatching(/^x-test-[a-z]{1,8}$/), fc.stringMatching(/^[ -~]{0,30}$/), { maxKeys: 3 }),
        fc.array(token, { maxLength: 3 }),
        fc.dictionary(token, fc.string({ maxLength: 10 }), { maxKeys: 3 }),
        fc.option(fc.stringMatching(/^[A-Za-z0-9+/=]{8,40}$/), { nil: undefined }),
        async (body, headers, segments, query, sessionToken) => {
          const req = await sdkSigned({ body, headers, path: `/${segments.join('/')}`, query, ...(sessionToken ? { sessionToken } : {}) });
          const withToken = (id: string) => (id === KEY.accessKeyId ? { secretAccessKey: KEY.secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } : undefined);
          expect(verifySigV4(req, withToken, { region: 'us-east-2', service: 'secretsmanager', now: SIGNED_AT })).toBe(KEY.accessKeyId);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('rejects a changed body, a changed signed header and a wrong secret key', async () => {
    const mismatch = /^InvalidSignatureException: The request signature we calculated does not match/;
    const req = await sdkSigned();
    expect(codeOf(() => verify({ ...req, body: Buffer.from('{"SecretId":"kes-key-2"}') }))).toMatch(mismatch);
    expect(codeOf(() => verify({ ...req, headers: { ...req.headers, 'x-amz-target': ['secretsmanager.DeleteSecret'] } }))).toMatch(mismatch);
    expect(codeOf(() => verify(req))).toBe('no error');
    const wrongKey = await sdkSigned({ secretAccessKey: 'not-the-key' });
    expect(codeOf(() => verify(wrongKey))).toMatch(mismatch);
  });

  it('ignores unsigned headers (the Go and JS SDKs sign different sets)', async () => {
    const req = await sdkSigned();
    expect(codeOf(() => verify({ ...req, headers: { ...req.headers, 'user-agent': ['changed by a proxy'], connection: ['keep-alive'] } }))).toBe('no error');
  });

  it('checks the scope: access key, session token, region, service, date', async () => {
    const req = await sdkSigned();
    expect(codeOf(() => verifySigV4(req, () => undefined, { region: 'us-east-2', service: 'secretsmanager', now: SIGNED_AT }))).toBe(
      'UnrecognizedClientException: The security token included in the request is invalid.',
    );
    const needsToken = () => ({ secretAccessKey: KEY.secretAccessKey, sessionToken: 'tok' });
    expect(codeOf(() => verifySigV4(req, needsToken, { region: 'us-east-2', service: 'secretsmanager', now: SIGNED_AT }))).toMatch(/^UnrecognizedClientException/);
    expect(codeOf(() => verify(req, { region: 'eu-west-1' }))).toBe("InvalidSignatureException: Credential should be scoped to a valid region, not 'us-east-2'.");
    const otherService = await sdkSigned({ service: 'kms' });
    expect(codeOf(() => verify(otherService))).toBe("InvalidSignatureException: Credential should be scoped to correct service: 'secretsmanager'.");
    const wrongDate = { ...req, headers: { ...req.headers, 'x-amz-date': ['20261129T124650Z'] } };
    expect(codeOf(() => verify(wrongDate, { now: SIGNED_AT + 86_400_000 }))).toMatch(/^InvalidSignatureException: Date in Credential scope does not match/);
  });

  it('allows 15 minutes of clock skew either way, not more', async () => {
    const req = await sdkSigned();
    const minutes = (m: number) => m * 60_000;
    expect(codeOf(() => verify(req, { now: SIGNED_AT + minutes(15) }))).toBe('no error');
    expect(codeOf(() => verify(req, { now: SIGNED_AT - minutes(15) }))).toBe('no error');
    expect(codeOf(() => verify(req, { now: SIGNED_AT + minutes(15) + 1000 }))).toBe(
      'InvalidSignatureException: Signature expired: 20261128T124650Z is now earlier than 20261128T124651Z (20261128T130151Z - 15 min.)',
    );
    expect(codeOf(() => verify(req, { now: SIGNED_AT - minutes(16) }))).toMatch(/^InvalidSignatureException: Signature not yet current/);
  });

  it('reports missing and malformed authorization as AWS does', async () => {
    const req = await sdkSigned();
    const without = (name: string) => ({ ...req, headers: { ...req.headers, [name]: undefined } });
    expect(codeOf(() => verify(without('authorization')))).toBe('MissingAuthenticationTokenException: Missing Authentication Token');
    expect(codeOf(() => verify(without('x-amz-date')))).toMatch(/^IncompleteSignatureException: Authorization header requires existence/);
    for (const bad of ['AWS4-HMAC-SHA256 Credential=x', 'Bearer abc', 'AWS4-HMAC-SHA256 Credential=A/20261128/us-east-2/secretsmanager/aws4_request, SignedHeaders=host, Signature=zz']) {
      expect(codeOf(() => verify({ ...req, headers: { ...req.headers, authorization: [bad] } }))).toMatch(/^IncompleteSignatureException/);
    }
    const noHost = { ...req, headers: { ...req.headers, authorization: [req.headers['authorization']![0]!.replace('SignedHeaders=', 'SignedHeaders=x-amz-date;').replace(/;host/, '')] } };
    expect(codeOf(() => verify(noHost))).toBe("InvalidSignatureException: 'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  });

  it('never throws anything but AwsError for arbitrary authorization headers and dates', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (authorization, date) => {
        const req: SignedRequest = { method: 'POST', url: '/', headers: { authorization: [authorization], 'x-amz-date': [date], host: ['h'] }, body: new Uint8Array() };
        try {
          verify(req);
        } catch (err) {
          expect(err).toBeInstanceOf(AwsError);
        }
      }),
    );
  });
});
