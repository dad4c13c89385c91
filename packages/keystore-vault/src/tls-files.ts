import { readdir, readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { X509Certificate } from 'node:crypto';
import type { VaultTlsConfig } from './config.js';
import type { VaultTlsMaterial } from './vault-transport.js';

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Reads the files of the `tls:` block. `ca` may be a PEM file or a directory: like Go, every certificate found in
 * the directory's files is trusted (files without certificates are skipped, subdirectories are not entered).
 * @param cwd - relative paths are resolved against it.
 * @throws Error naming the field and file when a file cannot be read, holds no certificate/key, or the client
 *   certificate does not parse.
 */
export async function loadTlsMaterial(tls: VaultTlsConfig, cwd: string): Promise<VaultTlsMaterial> {
  const at = (path: string) => (isAbsolute(path) ? path : resolve(cwd, path));
  const material: { ca?: Buffer[]; cert?: Buffer; key?: Buffer } = {};
  if (tls.ca !== undefined) material.ca = await loadCa(at(tls.ca), tls.ca);
  if (tls.cert !== undefined && tls.key !== undefined) {
    const cert = await readField('tls.cert', at(tls.cert));
    const key = await readField('tls.key', at(tls.key));
    const first = cert.toString('latin1').match(PEM_CERT)?.[0];
    try {
      if (first === undefined) throw new Error('no PEM certificate');
      new X509Certificate(first);
    } catch (err) {
      throw new Error(`vault: tls.cert '${tls.cert}' holds no valid PEM certificate: ${(err as Error).message}`);
    }
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key.toString('latin1'))) {
      throw new Error(`vault: tls.key '${tls.key}' holds no PEM private key`);
    }
    material.cert = cert;
    material.key = key;
  }
  return material;
}

async function loadCa(path: string, written: string): Promise<Buffer[]> {
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch (err) {
    throw new Error(`vault: cannot read tls.ca '${written}': ${(err as Error).message}`);
  }
  const files = isDir ? (await readdir(path, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(path, e.name)) : [path];
  const certs: Buffer[] = [];
  for (const file of files.sort()) {
    const text = (await readField('tls.ca', file)).toString('latin1');
    for (const pem of text.match(PEM_CERT) ?? []) {
      try {
        new X509Certificate(pem);
      } catch (err) {
        if (!isDir) throw new Error(`vault: tls.ca '${written}' holds an invalid certificate: ${(err as Error).message}`);
        continue;
      }
      certs.push(Buffer.from(pem, 'latin1'));
    }
  }
  if (certs.length === 0) throw new Error(`vault: tls.ca '${written}' holds no PEM certificate`);
  return certs;
}

async function readField(field: string, path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    throw new Error(`vault: cannot read ${field} '${path}': ${(err as Error).message}`);
  }
}
