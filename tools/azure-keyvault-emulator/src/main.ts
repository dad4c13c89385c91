/**
 * Standalone entry point: starts the emulator, prints how to reach it (or, with `--json`, one JSON object with
 * exactly vaultUrl, authorityHost, tenantId, clientId, clientSecret, caFile) and serves until SIGINT/SIGTERM.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCli, USAGE } from './cli.js';
import { startEmulator, type Emulator } from './emulator.js';

function describe(e: Emulator): string {
  const pad = (s: string) => s.padEnd(22);
  const lines = ['Azure Key Vault emulator is running.'];
  for (const v of e.vaults) lines.push(`  ${pad(`vault ${v.name}`)}${v.url}`);
  lines.push(
    `  ${pad('authority host')}${e.authorityHost}`,
    `  ${pad('tenant id')}${e.tenantId}`,
    `  ${pad('client id')}${e.clientId}`,
    `  ${pad('client secret')}${e.clientSecret}`,
    `  ${pad('CA file (trust it)')}${e.caFile}`,
    `  ${pad('managed identity')}IDENTITY_ENDPOINT=${e.managedIdentity.appServiceEndpoint} IDENTITY_HEADER=${e.managedIdentity.identityHeader}`,
    `  ${pad('')}or AZURE_POD_IDENTITY_AUTHORITY_HOST=${e.managedIdentity.imdsHost}; clientId ${e.managedIdentity.clientId}`,
    `  ${pad('admin endpoint')}${e.adminUrl}`,
    '',
    `Clients: NODE_EXTRA_CA_CERTS=${e.caFile} (or tlsOptions: { ca } on both the credential and the SecretClient);`,
    '  new ClientSecretCredential(tenantId, clientId, clientSecret, { authorityHost, disableInstanceDiscovery: true })',
    '  new SecretClient(vaultUrl, credential, { disableChallengeResourceVerification: true })',
  );
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
  const emulator = await startEmulator({ ...config.options, onError: (e) => process.stderr.write(`emulator error: ${String(e)}\n`) });
  if (config.json) {
    const { vaultUrl, authorityHost, tenantId, clientId, clientSecret, caFile } = emulator;
    process.stdout.write(`${JSON.stringify({ vaultUrl, authorityHost, tenantId, clientId, clientSecret, caFile })}\n`);
  } else {
    process.stdout.write(`${describe(emulator)}\n`);
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
