/**
 * Persistent emulator state for standalone use: the CA (`ca.pem`, `ca-key.pem`), the token-signing key
 * (`signing-key.json`) and the generated identities (`identity.json`: tenant, client id and secret, managed identity,
 * App Service header). Keeping them means a restarted emulator is still trusted, still accepts the tokens clients
 * cached (§4.6 pitfall 6) and still matches the credentials in their configuration. Secrets are never persisted.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import type { JWK } from 'jose';
import { generateClientSecret } from './directory.js';
import { TokenSigner } from './jwt.js';

/** Identities kept across restarts. */
export interface PersistedIdentity {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  managedIdentityClientId: string;
  identityHeader: string;
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Loads the signing key from `dir`, or creates and stores it (mode 0600).
 * @param dir undefined → a fresh in-memory key.
 */
export async function loadSigner(dir: string | undefined, now: () => number): Promise<TokenSigner> {
  if (!dir) return TokenSigner.create({ now });
  const file = join(dir, 'signing-key.json');
  const jwk = await readJson(file);
  if (jwk && typeof jwk === 'object') {
    try {
      return await TokenSigner.create({ privateJwk: jwk as JWK, now });
    } catch {
      // unreadable key: replace it below
    }
  }
  const signer = await TokenSigner.create({ now });
  await mkdir(dir, { recursive: true });
  await writeFile(file, JSON.stringify(signer.exportPrivateJwk()), { mode: 0o600 });
  return signer;
}

/**
 * Returns the identities: explicit values win, then `dir/identity.json`, then fresh ones (stored when `dir` is set).
 */
export async function loadIdentity(dir: string | undefined, given: Partial<PersistedIdentity>): Promise<PersistedIdentity> {
  const stored = dir ? ((await readJson(join(dir, 'identity.json'))) as Partial<PersistedIdentity> | undefined) : undefined;
  const pick = (k: keyof PersistedIdentity, fresh: () => string): string => {
    const g = given[k];
    if (typeof g === 'string' && g !== '') return g;
    const s = stored?.[k];
    return typeof s === 'string' && s !== '' ? s : fresh();
  };
  const identity: PersistedIdentity = {
    tenantId: pick('tenantId', randomUUID),
    clientId: pick('clientId', randomUUID),
    clientSecret: pick('clientSecret', generateClientSecret),
    managedIdentityClientId: pick('managedIdentityClientId', randomUUID),
    identityHeader: pick('identityHeader', () => randomBytes(16).toString('hex')),
  };
  if (dir) {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'identity.json'), JSON.stringify(identity, null, 2), { mode: 0o600 });
  }
  return identity;
}
