/**
 * Standalone entry point: starts the emulator, prints how to reach it (or, with `--json`, one JSON object) and
 * serves until SIGINT/SIGTERM. In `--tls` mode the CA and the client certificate are written to the state directory.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

async function main(): Promise<void> {
  const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
  let config;
  try {
    config = parseCli(process.argv.slice(2), join(projectRoot, '.emulator'));
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n${USAGE}\n`);
    process.exit(2);
  }
  if (config.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const emulator = await startVaultEmulator(config.options);
  const files = await writeTlsFiles(emulator, config.stateDir);
  if (config.json) {
    const { address, rootToken, namespaces } = emulator;
    const out = { address, rootToken, roleId: emulator.approle.roleId, secretId: emulator.approle.secretId, approleMount: emulator.approle.mount, kubernetesRole: emulator.kubernetes.role, namespaces, ...files };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } else {
    process.stdout.write(`${describe(emulator, files)}\n`);
  }
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    void emulator.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((e: unknown) => {
  process.stderr.write(`failed to start the emulator: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
