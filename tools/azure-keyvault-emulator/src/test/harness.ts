/**
 * Test helpers: real-SDK clients configured for the emulator exactly as shared/spec/azure-keyvault.md §4.1 says
 * (authorityHost + disableInstanceDiscovery, disableChallengeResourceVerification, and the CA through
 * `tlsOptions` on both the credential and the SecretClient, §3.4), plus a raw HTTPS client for wire-level checks.
 */
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { ClientSecretCredential, type TokenCredential } from '@azure/identity';
import { SecretClient, type SecretClientOptions } from '@azure/keyvault-secrets';
import type { Emulator } from '../emulator.js';

/** A credential for the emulator's primary app (or the given secret). */
export function credentialFor(emu: Emulator, secret = emu.clientSecret, clientId = emu.clientId, tenantId = emu.tenantId): ClientSecretCredential {
  return new ClientSecretCredential(tenantId, clientId, secret, {
    authorityHost: emu.authorityHost,
    disableInstanceDiscovery: true,
    tlsOptions: { ca: emu.caPem },
  });
}

/** A SecretClient on `vaultUrl` (default: first vault) trusting the emulator CA. */
export function clientFor(
  emu: Emulator,
  opts: { vaultUrl?: string; credential?: TokenCredential; options?: SecretClientOptions } = {},
): SecretClient {
  return new SecretClient(opts.vaultUrl ?? emu.vaultUrl, opts.credential ?? credentialFor(emu), {
    disableChallengeResourceVerification: true,
    tlsOptions: { ca: emu.caPem },
    ...opts.options,
  });
}

/** A raw HTTP answer. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** Parsed JSON, or undefined. */
  json: unknown;
}

/**
 * Sends one request with a fresh connection (no keep-alive) and reads the whole answer.
 * @param url absolute URL (https uses the emulator CA).
 */
export function rawRequest(
  emu: Emulator,
  method: string,
  url: string,
  opts: { token?: string; body?: string | Buffer; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<RawResponse> {
  const u = new URL(url);
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token !== undefined) headers['authorization'] = `Bearer ${opts.token}`;
  if (opts.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    headers['content-length'] = String(Buffer.byteLength(opts.body));
  }
  const send = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      {
        method,
        host: u.hostname,
        port: u.port,
        path: `${u.pathname}${u.search}`,
        headers,
        agent: false,
        ...(u.protocol === 'https:' ? { ca: emu.caPem } : {}),
        timeout: opts.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text === '' ? undefined : JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

/** A valid vault token obtained through the real `ClientSecretCredential`. */
export async function vaultToken(emu: Emulator): Promise<string> {
  const t = await credentialFor(emu).getToken('https://vault.azure.net/.default');
  return t.token;
}

/** The error fields a caller of the SDK can see: status, `code`, and `details.error.innerError.code`. */
export function sdkError(e: unknown): { statusCode?: number; code?: string; inner?: string; message: string } {
  const err = e as { statusCode?: number; code?: string; message?: string; details?: { error?: { innerError?: { code?: string } } } };
  return { statusCode: err.statusCode, code: err.code, inner: err.details?.error?.innerError?.code, message: String(err.message ?? e) };
}

/** Runs `p` and returns the SDK error fields, failing if `p` succeeds. */
export async function sdkFailure(p: Promise<unknown>): Promise<ReturnType<typeof sdkError>> {
  try {
    await p;
  } catch (e) {
    return sdkError(e);
  }
  throw new Error('expected the SDK call to fail');
}

/** Sorted key list of a JSON object (for key-set assertions). */
export function keys(v: unknown): string[] {
  return v && typeof v === 'object' ? Object.keys(v).sort() : [];
}

/** Resolves after `ms`. */
export const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
