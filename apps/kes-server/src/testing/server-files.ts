/** Test support (not part of the app build): TLS files for a config-mode server, made with the openssl CLI. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Writes `server.key` and `server.crt` (self-signed P-256, SAN localhost + 127.0.0.1) into `dir`. */
export function writeServerCertificate(dir: string): void {
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'server.key'), '-out', join(dir, 'server.crt'),
      '-subj', '/CN=localhost', '-days', '2', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
    { stdio: 'ignore' },
  );
}
