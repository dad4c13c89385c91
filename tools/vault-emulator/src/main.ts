/**
 * Standalone entry point: starts the emulator, prints how to reach it (or, with `--json`, one JSON object) and
 * serves until SIGINT/SIGTERM. In `--tls` mode the CA and the client certificate are written to the state directory.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultStateDir, runStandalone } from '@kes/emulator-support';
import { parseCli, USAGE } from './cli.js';
import { startVaultEmulator, type VaultEmulator } from './emulator.js';

interface Files {
  caFile?: string;
  clientCertFile?: string;
  clientKeyFile?: string;
}

async function writeTlsFiles(emulator: VaultEmulator, dir: string): Promise<Files> {
  if (!emulator.tls) return {};
  await mkdir(dir, { recursive: true });
  const files = { caFile: join(dir, 'ca.pem'), clientCertFile: join(dir, 'client.crt'), clientKeyFile: join(dir, 'client.key') };
  await writeFile(files.caFile, emulator.tls.ca.certPem, { mode: 0o644 });
  await writeFile(files.clientCertFile, emulator.tls.client.certPem, { mode: 0o644 });
  await writeFile(files.clientKeyFile, emulator.tls.client.keyPem, { mode: 0o600 });
  return files;
}

function describe(e: VaultEmulator, files: Files): string {
  const pad = (s: string) => s.padEnd(20);
  const lines = [
    'Vault emulator is running.',
    `  ${pad('address')}${e.address}`,
    `  ${pad('root token')}${e.rootToken}`,
    `  ${pad('AppRole')}auth/${e.approle.mount}  role_id ${e.approle.roleId}  secret_id ${e.approle.secretId}`,
    `  ${pad('Kubernetes role')}auth/${e.kubernetes.mount}  role ${e.kubernetes.role} (no JWT keys: Kubernetes logins fail)`,
    `  ${pad('mounts')}kv (K/V v2), kv1 (K/V v1), transit (key kes)`,
  ];
  if (e.namespaces.length > 0) lines.push(`  ${pad('namespaces')}${e.namespaces.join(', ')} (each with the same mounts)`);
  if (files.caFile) lines.push(`  ${pad('CA file')}${files.caFile}`, `  ${pad('client cert/key')}${files.clientCertFile} ${files.clientKeyFile}`);
  return lines.join('\n');
}

void runStandalone({
  usage: USAGE,
  parse: (argv) => parseCli(argv, defaultStateDir(import.meta.url)),
  start: (config) => startVaultEmulator(config.options),
  describe: async (emulator, config) => {
    const files = await writeTlsFiles(emulator, config.stateDir);
    if (!config.json) return describe(emulator, files);
    const { address, rootToken, namespaces, approle, kubernetes } = emulator;
    return JSON.stringify({ address, rootToken, roleId: approle.roleId, secretId: approle.secretId, approleMount: approle.mount, kubernetesRole: kubernetes.role, namespaces, ...files });
  },
});
