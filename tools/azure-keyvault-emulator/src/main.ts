/**
 * Standalone entry point: starts the emulator, prints how to reach it (or, with `--json`, one JSON object with
 * exactly vaultUrl, authorityHost, tenantId, clientId, clientSecret, caFile) and serves until SIGINT/SIGTERM.
 */
import { defaultStateDir, runStandalone } from '@kes/emulator-support';
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

void runStandalone({
  usage: USAGE,
  parse: (argv) => parseCli(argv, defaultStateDir(import.meta.url)),
  start: (config, onError) => startEmulator({ ...config.options, onError }),
  describe: (emulator, config) => {
    if (!config.json) return describe(emulator);
    const { vaultUrl, authorityHost, tenantId, clientId, clientSecret, caFile } = emulator;
    return JSON.stringify({ vaultUrl, authorityHost, tenantId, clientId, clientSecret, caFile });
  },
});
