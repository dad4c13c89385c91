/**
 * Access tokens: RS256 JWTs shaped like Entra ID v1 app tokens, signed with the emulator's key and
 * validated by the vault (signature, expiry, not-before, audience, issuer). Uses `jose`.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify, exportJWK, importJWK, generateKeyPair, errors as joseErrors, type JWK, type CryptoKey } from 'jose';

/** Claims the vault needs from a validated token. */
export interface TokenPrincipal {
  /** Tenant (`tid`). */
  tenantId: string;
  /** Application / managed identity client id (`appid`). */
  appId: string;
  /** Service principal object id (`oid`). */
  objectId: string;
  /** Issuer (`iss`). */
  issuer: string;
  /** Audience (`aud`). */
  audience: string;
  /** Expiry, Unix seconds. */
  expiresOn: number;
}

/** What to put in a new token. */
export interface TokenRequest {
  tenantId: string;
  appId: string;
  objectId: string;
  audience: string;
  /** Lifetime in seconds from `now`; negative values mint already-expired tokens (tests). */
  lifetimeSeconds: number;
  /** Extra claims (e.g. `xms_mirid` for managed identities). */
  extra?: Record<string, string>;
}

/** Why a token was rejected. */
export type TokenRejection =
  | { kind: 'malformed' | 'signature' | 'expired' | 'not-yet-valid'; detail: string }
  | { kind: 'audience'; found: string }
  | { kind: 'issuer'; found: string };

/** The issuer string Entra puts in v1 tokens for `tenantId`. */
export function issuerFor(tenantId: string): string {
  return `https://sts.windows.net/${tenantId}/`;
}

/** Signs and verifies emulator tokens with one RSA key pair. */
export class TokenSigner {
  private constructor(
    private readonly privateKey: CryptoKey,
    private readonly publicKey: CryptoKey,
    readonly publicJwk: JWK,
    private readonly privateJwk: JWK,
    private readonly now: () => number,
  ) {}

  /**
   * Creates a signer from a stored private JWK, or with a fresh RSA-2048 key.
   * @param now clock in milliseconds (defaults to `Date.now`).
   * @throws if `privateJwk` is not an RSA private JWK.
   */
  static async create(opts: { privateJwk?: JWK; now?: () => number } = {}): Promise<TokenSigner> {
    let privateKey: CryptoKey;
    let publicKey: CryptoKey;
    if (opts.privateJwk) {
      const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = opts.privateJwk;
      privateKey = (await importJWK({ ...opts.privateJwk, alg: 'RS256' }, 'RS256', { extractable: true })) as CryptoKey;
      publicKey = (await importJWK({ ...pub, alg: 'RS256' }, 'RS256')) as CryptoKey;
    } else {
      ({ privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true }));
    }
    const privateJwk = await exportJWK(privateKey);
    const publicJwk = await exportJWK(publicKey);
    const kid = (publicJwk.n ?? '').slice(0, 16) || 'emulator';
    return new TokenSigner(
      privateKey,
      publicKey,
      { ...publicJwk, kid, use: 'sig', alg: 'RS256' },
      { ...privateJwk, kid },
      opts.now ?? Date.now,
    );
  }

  /** The private key as JWK, for persisting it so tokens survive restarts (§4.6 pitfall 6). */
  exportPrivateJwk(): JWK {
    return { ...this.privateJwk };
  }

  /** The JWKS document (`{"keys":[...]}`) published by the discovery endpoint. */
  jwks(): { keys: JWK[] } {
    return { keys: [{ ...this.publicJwk }] };
  }

  /**
   * Mints a signed token.
   * @returns the compact JWT and its expiry (Unix seconds).
   */
  async issue(req: TokenRequest): Promise<{ token: string; expiresOn: number; issuedAt: number }> {
    const issuedAt = Math.floor(this.now() / 1000);
    const expiresOn = issuedAt + Math.trunc(req.lifetimeSeconds);
    const issuer = issuerFor(req.tenantId);
    const token = await new SignJWT({
      aio: randomUUID(),
      appid: req.appId,
      appidacr: '1',
      idp: issuer,
      idtyp: 'app',
      oid: req.objectId,
      rh: '0.emulator.',
      tid: req.tenantId,
      uti: randomUUID().replaceAll('-', ''),
      ver: '1.0',
      ...req.extra,
    })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.publicJwk.kid ?? 'emulator' })
      .setIssuer(issuer)
      .setAudience(req.audience)
      .setSubject(req.objectId)
      .setIssuedAt(issuedAt)
      .setNotBefore(Math.min(issuedAt, expiresOn))
      .setExpirationTime(expiresOn)
      .sign(this.privateKey);
    return { token, expiresOn, issuedAt };
  }

  /**
   * Validates a token for `audiences` and `expectedIssuer`. Never throws.
   * @returns the principal, or why the token is rejected.
   */
  async verify(token: string, audiences: readonly string[], expectedIssuer: string): Promise<TokenPrincipal | TokenRejection> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.publicKey, {
        algorithms: ['RS256'],
        currentDate: new Date(this.now()),
        clockTolerance: 0,
      }));
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) return { kind: 'expired', detail: 'the token is expired' };
      if (e instanceof joseErrors.JWTClaimValidationFailed && e.claim === 'nbf')
        return { kind: 'not-yet-valid', detail: 'the token is not yet valid' };
      if (e instanceof joseErrors.JWSSignatureVerificationFailed)
        return { kind: 'signature', detail: 'the token signature is invalid' };
      return { kind: 'malformed', detail: 'the token is malformed or uses an unsupported algorithm' };
    }
    const aud = typeof payload.aud === 'string' ? payload.aud : Array.isArray(payload.aud) ? (payload.aud[0] ?? '') : '';
    if (!audiences.includes(aud)) return { kind: 'audience', found: aud };
    if (payload.iss !== expectedIssuer) return { kind: 'issuer', found: String(payload.iss ?? '') };
    const str = (v: unknown): string => (typeof v === 'string' ? v : '');
    return {
      tenantId: str(payload['tid']),
      appId: str(payload['appid']),
      objectId: str(payload['oid']),
      issuer: payload.iss,
      audience: aud,
      expiresOn: payload.exp ?? 0,
    };
  }
}

/** Type guard: true when {@link TokenSigner.verify} rejected the token. */
export function isRejection(r: TokenPrincipal | TokenRejection): r is TokenRejection {
  return 'kind' in r;
}
