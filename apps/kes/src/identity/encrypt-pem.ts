/**
 * Password protection of a PKCS#8 private key the way Go's `x509.EncryptPEMBlock` (PEMCipherAES256) does it: a
 * legacy RFC 1423 PEM (`Proc-Type: 4,ENCRYPTED`, `DEK-Info: AES-256-CBC,<iv>`), key = OpenSSL's EVP_BytesToKey(MD5,
 * password, salt = first 8 bytes of the IV). Upstream KES servers (`tls.password`) and this project's server and
 * client can both read it.
 */
import { createCipheriv, createHash, randomBytes } from 'node:crypto';

function evpBytesToKey(password: Buffer, salt: Buffer, length: number): Buffer {
  const parts: Buffer[] = [];
  let previous = Buffer.alloc(0);
  let total = 0;
  while (total < length) {
    previous = createHash('md5').update(Buffer.concat([previous, password, salt])).digest();
    parts.push(previous);
    total += previous.length;
  }
  return Buffer.concat(parts).subarray(0, length);
}

/**
 * @param der - DER bytes of the key (PKCS#8 PrivateKeyInfo).
 * @returns a `PRIVATE KEY` PEM block encrypted with AES-256-CBC under `password`. Never throws.
 */
export function encryptPemBlock(der: Uint8Array, password: string, type = 'PRIVATE KEY'): string {
  const iv = randomBytes(16);
  const key = evpBytesToKey(Buffer.from(password, 'utf8'), iv.subarray(0, 8), 32);
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const body = Buffer.concat([cipher.update(der), cipher.final()]).toString('base64');
  const lines = body.match(/.{1,64}/g) ?? [];
  return [
    `-----BEGIN ${type}-----`,
    'Proc-Type: 4,ENCRYPTED',
    `DEK-Info: AES-256-CBC,${iv.toString('hex').toUpperCase()}`,
    '',
    ...lines,
    `-----END ${type}-----`,
    '',
  ].join('\n');
}
