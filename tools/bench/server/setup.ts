/** The bench's shared material: a server certificate (openssl CLI) and an API-key client certificate. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiKey, createCertificateForApiKey } from '@kes/core';

/** What every process of a bench run shares (written to a JSON file in a scratch directory). */
export interface BenchSetup {
  serverCertPem: string;
  serverKeyPem: string;
  clientCertPem: string;
  clientKeyPem: string;
  clientIdentity: string;
  keyName: string;
}

/** Creates the material in a new scratch directory. @returns the directory and the setup file's path. */
export async function createSetup(): Promise<{ dir: string; file: string; setup: BenchSetup }> {
  const dir = mkdtempSync(join(tmpdir(), 'kes-bench-'));
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'server.key'), '-out', join(dir, 'server.crt'),
      '-subj', '/CN=localhost', '-days', '2', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
    { stdio: 'ignore' },
  );
  const apiKey = ApiKey.generate();
  const client = await createCertificateForApiKey(apiKey);
  const setup: BenchSetup = {
    serverCertPem: readFileSync(join(dir, 'server.crt'), 'utf8'),
    serverKeyPem: readFileSync(join(dir, 'server.key'), 'utf8'),
    clientCertPem: client.certPem,
    clientKeyPem: client.keyPem,
    clientIdentity: apiKey.identity,
    keyName: 'bench-key',
  };
  const file = join(dir, 'setup.json');
  writeFileSync(file, JSON.stringify(setup));
  return { dir, file, setup };
}
