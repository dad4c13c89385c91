/**
 * Loads the TLS material of a client: a certificate + private key (files or PEM, optionally encrypted) or an API key
 * (the Ed25519 certificate of spec §3.2 is derived), and the CA certificates that replace the system roots.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { ApiKey, createCertificateForApiKey, identityOfCertificate } from '@kes/core';
import { KesClientError } from './errors.js';

/** What the transport needs: PEM texts (the key decrypted, PKCS#8) and the client identity. Secret: never log `keyPem`. */
export interface ClientCredentials {
  certPem: string;
  keyPem: string;
  identity: string;
  ca: string[] | undefined;
}

/** Input of {@link loadCredentials}: exactly one of `apiKey` or (cert, key) as files or contents. */
export interface CredentialSources {
  apiKey?: string;
  certFile?: string;
  cert?: string | Uint8Array;
  keyFile?: string;
  key?: string | Uint8Array;
  password?: string;
  caFile?: string | readonly string[];
  ca?: string | Uint8Array | ReadonlyArray<string | Uint8Array>;
}

const text = (v: string | Uint8Array): string => (typeof v === 'string' ? v : Buffer.from(v).toString('utf8'));

/**
 * True iff the PEM text holds an encrypted private key: a PKCS#8 `ENCRYPTED PRIVATE KEY` block or a legacy
 * RFC 1423 block with `Proc-Type: 4,ENCRYPTED`. Never throws.
 */
export function isEncryptedPrivateKeyPem(pem: string | Uint8Array): boolean {
  const s = text(pem);
  return s.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----') || /Proc-Type:\s*4,\s*ENCRYPTED/.test(s);
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const reason = (err as { code?: string }).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new KesClientError('CREDENTIALS', 0, `cannot read ${what} '${path}': ${reason}`, { cause: err });
  }
}

/** Extracts the PEM CERTIFICATE blocks of a text, in order. */
function certificateBlocks(pem: string): string[] {
  return pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
}

function decryptKey(pem: string, password: string | undefined, where: string): string {
  if (!/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(pem)) {
    throw new KesClientError('CREDENTIALS', 0, `${where} contains no PEM-encoded private key`);
  }
  const encrypted = isEncryptedPrivateKeyPem(pem);
  if (encrypted && (password === undefined || password === '')) {
    throw new KesClientError('PASSWORD_REQUIRED', 0, `the private key ${where} is encrypted: a password is required`);
  }
  try {
    const key = createPrivateKey(encrypted ? { key: pem, format: 'pem', passphrase: password } : pem);
    return key.export({ format: 'pem', type: 'pkcs8' }).toString();
  } catch (err) {
    if (encrypted) {
      throw new KesClientError('WRONG_PASSWORD', 0, `cannot decrypt the private key ${where}: wrong password?`, {
        cause: err,
      });
    }
    throw new KesClientError('CREDENTIALS', 0, `invalid private key ${where}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

async function loadCa(sources: CredentialSources): Promise<string[] | undefined> {
  const out: string[] = [];
  const files = sources.caFile === undefined ? [] : typeof sources.caFile === 'string' ? [sources.caFile] : sources.caFile;
  for (const path of files) {
    let isDir = false;
    try {
      isDir = (await stat(path)).isDirectory();
    } catch (err) {
      throw new KesClientError('CREDENTIALS', 0, `cannot read CA file '${path}': no such file or directory`, {
        cause: err,
      });
    }
    const paths = isDir ? (await readdir(path)).sort().map((f) => join(path, f)) : [path];
    for (const p of paths) {
      if (isDir && !(await stat(p)).isFile()) continue;
      const blocks = certificateBlocks(await readText(p, 'CA file'));
      if (blocks.length === 0 && !isDir) {
        throw new KesClientError('CREDENTIALS', 0, `CA file '${p}' contains no PEM certificate`);
      }
      out.push(...blocks);
    }
  }
  const given = sources.ca === undefined ? [] : Array.isArray(sources.ca) ? sources.ca : [sources.ca];
  for (const c of given as Array<string | Uint8Array>) {
    const blocks = certificateBlocks(text(c));
    if (blocks.length === 0) throw new KesClientError('CREDENTIALS', 0, 'CA contents contain no PEM certificate');
    out.push(...blocks);
  }
  if (files.length > 0 && out.length === 0) {
    throw new KesClientError('CREDENTIALS', 0, `no PEM certificate found in CA path '${files.join(', ')}'`);
  }
  return out.length > 0 ? out : undefined;
}

async function fromApiKey(apiKey: string): Promise<Pick<ClientCredentials, 'certPem' | 'keyPem' | 'identity'>> {
  let key: ApiKey;
  try {
    key = ApiKey.parse(apiKey.trim());
  } catch (err) {
    throw new KesClientError('CREDENTIALS', 0, `invalid API key: ${(err as Error).message}`, { cause: err });
  }
  const { certPem, keyPem } = await createCertificateForApiKey(key);
  return { certPem, keyPem, identity: key.identity };
}

async function fromCertAndKey(s: CredentialSources): Promise<Pick<ClientCredentials, 'certPem' | 'keyPem' | 'identity'>> {
  const certWhere = s.certFile !== undefined ? `in '${s.certFile}'` : 'given';
  const keyWhere = s.keyFile !== undefined ? `in '${s.keyFile}'` : 'given';
  const certText = s.cert !== undefined ? text(s.cert) : await readText(s.certFile as string, 'certificate file');
  const keyText = s.key !== undefined ? text(s.key) : await readText(s.keyFile as string, 'private key file');
  const blocks = certificateBlocks(certText);
  const leaf = blocks[0];
  if (leaf === undefined) throw new KesClientError('CREDENTIALS', 0, `no PEM certificate ${certWhere}`);
  let identity: string;
  try {
    identity = identityOfCertificate(new X509Certificate(leaf).raw);
  } catch (err) {
    throw new KesClientError('CREDENTIALS', 0, `invalid certificate ${certWhere}`, { cause: err });
  }
  const keyPem = decryptKey(keyText, s.password, keyWhere);
  const certPem = blocks.join('\n') + '\n';
  try {
    createSecureContext({ cert: certPem, key: keyPem });
  } catch (err) {
    throw new KesClientError(
      'CREDENTIALS',
      0,
      `the private key ${keyWhere} does not belong to the certificate ${certWhere}`,
      { cause: err },
    );
  }
  return { certPem, keyPem, identity };
}

/**
 * Loads and validates the client credentials.
 * @returns certificate chain and decrypted PKCS#8 key as PEM, the client identity (§3.1/§3.2) and the CA PEMs
 *   (undefined = system roots).
 * @throws KesClientError `CONFIG` unless exactly one of API key or certificate + key is given; `CREDENTIALS` for
 *   unreadable files, a malformed API key, certificate or key, or a key that does not match the certificate;
 *   `PASSWORD_REQUIRED` / `WRONG_PASSWORD` for encrypted keys (PKCS#8 or RFC 1423).
 */
export async function loadCredentials(s: CredentialSources): Promise<ClientCredentials> {
  const hasCert = s.cert !== undefined || (s.certFile !== undefined && s.certFile !== '');
  const hasKey = s.key !== undefined || (s.keyFile !== undefined && s.keyFile !== '');
  const hasApiKey = s.apiKey !== undefined && s.apiKey !== '';
  if (hasApiKey && (hasCert || hasKey)) {
    throw new KesClientError('CONFIG', 0, 'API key and certificate/private key cannot be used at the same time');
  }
  if (!hasApiKey && !hasCert && !hasKey) {
    throw new KesClientError('CONFIG', 0, 'no API key or client certificate and private key specified');
  }
  if (!hasApiKey && !hasCert) throw new KesClientError('CONFIG', 0, 'no client certificate specified');
  if (!hasApiKey && !hasKey) throw new KesClientError('CONFIG', 0, 'no client private key specified');
  const own = hasApiKey ? await fromApiKey(s.apiKey as string) : await fromCertAndKey(s);
  return { ...own, ca: await loadCa(s) };
}
