/**
 * Test PKI: server and client certificates made with the openssl CLI (ECDSA, RSA, Ed25519; self-signed or signed by a
 * test CA; with or without SANs or `CA:TRUE`), and Ed25519 certificates derived from API keys with @kes/core.
 */
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiKey, createCertificateForApiKey, identityOfCertificate } from '@kes/core';

/** A certificate (chain) with its private key and KES identity. */
export interface CertPair {
  certPem: string;
  keyPem: string;
  identity: string;
}

/** Options of {@link Pki.issue}. */
export interface IssueOptions {
  keyType?: 'ec' | 'rsa' | 'ed25519';
  /** Issuer; self-signed when omitted. */
  issuer?: CertPair;
  /** Add `basicConstraints = critical,CA:TRUE`. */
  ca?: boolean;
  /** Only `basicConstraints = CA:FALSE`, no key usages (so OpenSSL links certificates it issued to it). */
  bare?: boolean;
  /** `subjectAltName` value, e.g. `DNS:localhost,IP:127.0.0.1`; none when omitted. */
  san?: string;
  cn?: string;
  days?: number;
}

let serial = 1;

/** A scratch directory of openssl-made certificates; remove it with {@link Pki.dispose}. */
export class Pki {
  readonly dir = mkdtempSync(join(tmpdir(), 'kes-server-test-'));
  #n = 0;

  openssl(args: string[]): void {
    const r = spawnSync('openssl', args, { cwd: this.dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
  }

  #file(name: string): string {
    return join(this.dir, name);
  }

  /** A fresh private key in PKCS#8 PEM. */
  newKey(type: 'ec' | 'rsa' | 'ed25519'): string {
    const out = this.#file(`k${this.#n++}.pem`);
    const args =
      type === 'ec'
        ? ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']
        : type === 'rsa'
          ? ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']
          : ['-algorithm', 'ED25519'];
    this.openssl(['genpkey', ...args, '-out', out]);
    return readFileSync(out, 'utf8');
  }

  /** Issues a certificate per `opts`. */
  issue(opts: IssueOptions = {}): CertPair {
    const id = this.#n++;
    const keyPem = this.newKey(opts.keyType ?? 'ec');
    const keyFile = this.#file(`c${id}.key`);
    writeFileSync(keyFile, keyPem);
    const cnf = this.#file(`c${id}.cnf`);
    const ext = [
      `basicConstraints = critical,CA:${opts.ca === true ? 'TRUE' : 'FALSE'}`,
      ...(opts.ca === true
        ? ['keyUsage = critical,keyCertSign,cRLSign,digitalSignature']
        : opts.bare === true
          ? []
          : ['keyUsage = critical,digitalSignature', 'extendedKeyUsage = serverAuth,clientAuth']),
      ...(opts.san !== undefined ? [`subjectAltName = ${opts.san}`] : []),
    ];
    writeFileSync(cnf, `[req]\ndistinguished_name = dn\nprompt = no\n[dn]\nCN = ${opts.cn ?? `test-${id}`}\n[ext]\n${ext.join('\n')}\n`);
    const certFile = this.#file(`c${id}.pem`);
    const days = String(opts.days ?? 2);
    if (opts.issuer === undefined) {
      this.openssl(['req', '-x509', '-new', '-key', keyFile, '-config', cnf, '-extensions', 'ext', '-days', days, '-set_serial', String(serial++), '-out', certFile]);
    } else {
      const csr = this.#file(`c${id}.csr`);
      const caCert = this.#file(`c${id}.ca.pem`);
      const caKey = this.#file(`c${id}.ca.key`);
      writeFileSync(caCert, opts.issuer.certPem);
      writeFileSync(caKey, opts.issuer.keyPem);
      this.openssl(['req', '-new', '-key', keyFile, '-config', cnf, '-out', csr]);
      this.openssl(['x509', '-req', '-in', csr, '-CA', caCert, '-CAkey', caKey, '-set_serial', String(serial++), '-days', days, '-extfile', cnf, '-extensions', 'ext', '-out', certFile]);
    }
    const certPem = readFileSync(certFile, 'utf8');
    return { certPem, keyPem, identity: identityOfCertificate(new X509Certificate(certPem).raw) };
  }

  /**
   * `pair`'s key encrypted with `password`: `legacy` = RFC 1423 PEM (`Proc-Type: 4,ENCRYPTED`), `pkcs8` = encrypted
   * PKCS#8.
   */
  encryptKey(pair: CertPair, password: string, format: 'legacy' | 'pkcs8'): string {
    const id = this.#n++;
    const input = this.#file(`e${id}.in`);
    const output = this.#file(`e${id}.out`);
    writeFileSync(input, pair.keyPem);
    if (format === 'legacy') {
      this.openssl(['pkey', '-in', input, '-traditional', '-aes256', '-passout', `pass:${password}`, '-out', output]);
    } else {
      this.openssl(['pkcs8', '-topk8', '-in', input, '-v2', 'aes256', '-passout', `pass:${password}`, '-out', output]);
    }
    return readFileSync(output, 'utf8');
  }

  /** Removes the scratch directory. */
  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** An Ed25519 client certificate derived from a fresh API key (what MinIO and the kes CLI use). */
export async function apiKeyCert(): Promise<CertPair & { apiKey: string }> {
  const key = ApiKey.generate();
  const { certPem, keyPem } = await createCertificateForApiKey(key);
  return { certPem, keyPem, identity: key.identity, apiKey: key.toString() };
}
