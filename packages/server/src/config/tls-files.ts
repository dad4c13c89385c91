import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { isEncryptedPemKey } from '../auth/tls.js';
import type { ConfigProblem } from './problems.js';
import type { ServerConfig } from './server-config.js';

/** TLS material read from the files a config names. */
export interface TlsMaterial {
  readonly key: Buffer;
  readonly cert: Buffer;
  /** PEM certificates from `tls.ca` (one entry per certificate). */
  readonly ca?: string[];
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Reads and checks `tls.key`, `tls.cert` and `tls.ca` (paths relative to `cwd`, like upstream): the certificate must
 * parse and carry a DNS or IP SAN (spec §1.1), the key must decrypt with `tls.password` and belong to the
 * certificate, `tls.ca` may be a PEM file or a directory of PEM files.
 * @returns the material, or every problem found (with the config lines of the fields).
 */
export async function readTlsMaterial(config: ServerConfig, cwd: string): Promise<TlsMaterial | { problems: ConfigProblem[] }> {
  const problems: ConfigProblem[] = [];
  const at = (path: string, message: string, hint?: string) =>
    problems.push({ path, ...(config.lines[path] === undefined ? {} : { line: config.lines[path] }), message, ...(hint ? { hint } : {}) });
  const key = await readOne(resolve(cwd, config.tls.key), 'tls.key', at);
  const cert = await readOne(resolve(cwd, config.tls.cert), 'tls.cert', at);
  let x509: X509Certificate | undefined;
  if (cert !== undefined) {
    try {
      x509 = new X509Certificate(cert);
    } catch {
      at('tls.cert', `'${config.tls.cert}' is not a PEM certificate`, 'tls.cert must name a file that starts with -----BEGIN CERTIFICATE-----');
    }
    if (x509 !== undefined && !/(^|, )(DNS:|IP Address:)/.test(x509.subjectAltName ?? '')) {
      at('tls.cert', 'invalid TLS certificate: certificate does not contain any DNS or IP address as SAN', 'issue the certificate with a subjectAltName, e.g. DNS:localhost and IP:127.0.0.1');
    }
  }
  if (key !== undefined) {
    let keyObject: KeyObject | undefined;
    try {
      keyObject = createPrivateKey({ key, format: 'pem', ...(config.tls.password === '' ? {} : { passphrase: config.tls.password }) });
    } catch {
      if (isEncryptedPemKey(key) && config.tls.password === '') at('tls.key', `the private key '${config.tls.key}' is encrypted`, 'set tls.password to its password');
      else if (config.tls.password !== '') at('tls.password', `cannot decrypt the private key '${config.tls.key}' with tls.password`, 'check the password');
      else at('tls.key', `'${config.tls.key}' is not a PEM private key`, 'tls.key must name a PEM file with the private key of tls.cert');
    }
    if (keyObject !== undefined && x509 !== undefined && !x509.checkPrivateKey(keyObject)) {
      at('tls.key', `the private key '${config.tls.key}' does not belong to the certificate '${config.tls.cert}'`, 'use the key the certificate was issued for');
    }
  }
  const ca = config.tls.ca === undefined ? undefined : await readCa(resolve(cwd, config.tls.ca), config.tls.ca, at);
  if (problems.length > 0 || key === undefined || cert === undefined) return { problems };
  return { key, cert, ...(ca === undefined ? {} : { ca }) };
}

// --- Internal helpers ---

type Report = (path: string, message: string, hint?: string) => void;

async function readOne(file: string, field: string, at: Report): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (err) {
    at(field, `cannot read '${file}': ${describe(err)}`, `check the ${field} path (relative paths start at the working directory)`);
    return undefined;
  }
}

/** `tls.ca`: a PEM file, or a directory whose (non-hidden) files are PEM files; each certificate is one entry. */
async function readCa(path: string, written: string, at: Report): Promise<string[] | undefined> {
  let files: string[];
  try {
    files = (await stat(path)).isDirectory()
      ? (await readdir(path, { withFileTypes: true })).filter((e) => e.isFile() && !e.name.startsWith('.')).map((e) => join(path, e.name)).sort()
      : [path];
  } catch (err) {
    at('tls.ca', `cannot read '${path}': ${describe(err)}`, 'tls.ca must name a PEM file or a directory of PEM files');
    return undefined;
  }
  const certs: string[] = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const pem of text.match(PEM_CERT) ?? []) {
      try {
        new X509Certificate(pem);
        certs.push(`${pem}\n`);
      } catch {
        at('tls.ca', `'${file}' contains an invalid certificate`, 'remove or replace the broken PEM block');
      }
    }
  }
  if (certs.length === 0) at('tls.ca', `'${written}' contains no PEM certificate`, 'tls.ca must name a PEM file or a directory of PEM files');
  return certs;
}

function describe(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return (err as Error).message;
}
