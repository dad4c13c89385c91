/**
 * What `kes identity <x>` / `kes identity of <x>` can be given: an API key, a certificate file or a private key file.
 */
import { createHash, createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ApiKey, identityOfCertificate } from '@kes/core';
import { CliError } from '../cli/errors.js';
import type { CliIo } from '../cli/io.js';
import { readPassword } from '../cli/password.js';

/** A parsed identity source. */
export type IdentitySource =
  | { kind: 'api-key'; apiKey: ApiKey; identity: string }
  | { kind: 'certificate'; identity: string }
  | { kind: 'private-key'; key: KeyObject; identity: string };

/** Identity (spec §3.1) of a public key: hex SHA-256 of its DER SubjectPublicKeyInfo. */
export function identityOfPublicKey(key: KeyObject): string {
  return createHash('sha256').update(createPublicKey(key).export({ format: 'der', type: 'spki' })).digest('hex');
}

/** True iff `text` looks like an API key rather than a file name (`kes:v1:` prefix). */
export function looksLikeApiKey(text: string): boolean {
  return text.startsWith('kes:v1:');
}

/**
 * Parses an API key argument.
 * @throws CliError with the parse error.
 */
export function parseApiKeyArg(text: string): ApiKey {
  try {
    return ApiKey.parse(text.trim());
  } catch (err) {
    throw new CliError(`'${text.slice(0, 12)}…' is not a valid API key: ${(err as Error).message}`);
  }
}

async function privateKeyOf(io: CliIo, pem: string, file: string): Promise<KeyObject> {
  const encrypted = pem.includes('ENCRYPTED PRIVATE KEY') || /Proc-Type:\s*4,\s*ENCRYPTED/.test(pem);
  let password: string | undefined;
  if (encrypted) password = await readPassword(io, `Enter password for '${file}': `);
  try {
    return createPrivateKey(password === undefined ? pem : { key: pem, format: 'pem', passphrase: password });
  } catch (err) {
    if (encrypted) throw new CliError(`cannot decrypt the private key '${file}': wrong password?`, 1, [], { cause: err });
    throw new CliError(`'${file}' contains no valid private key: ${(err as Error).message}`, 1, [], { cause: err });
  }
}

/**
 * Reads an identity source: `kes:v1:…` → API key; otherwise a file with a PEM certificate (its first CERTIFICATE
 * block) or a PEM private key (encrypted keys ask for the password).
 * @throws CliError when the file cannot be read or holds neither.
 */
export async function readIdentitySource(io: CliIo, arg: string): Promise<IdentitySource> {
  if (looksLikeApiKey(arg)) {
    const apiKey = parseApiKeyArg(arg);
    return { kind: 'api-key', apiKey, identity: apiKey.identity };
  }
  let text: string;
  try {
    text = await readFile(resolve(io.cwd, arg), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
    throw new CliError(`cannot read '${arg}': ${reason} (expected an API key 'kes:v1:…', a certificate or a private key file)`);
  }
  const cert = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.exec(text);
  if (cert !== null) {
    try {
      return { kind: 'certificate', identity: identityOfCertificate(new X509Certificate(cert[0]).raw) };
    } catch (err) {
      throw new CliError(`failed to parse the certificate in '${arg}': ${(err as Error).message}`, 1, [], { cause: err });
    }
  }
  if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(text)) {
    const key = await privateKeyOf(io, text, arg);
    return { kind: 'private-key', key, identity: identityOfPublicKey(key) };
  }
  throw new CliError(`'${arg}' contains no PEM certificate or private key`);
}
