/**
 * Standalone entry point: starts the emulator, prints how to reach it (or, with `--json`, one JSON object with
 * exactly endpoint, region, accessKeyId, secretAccessKey and, if set, sessionToken) and serves until SIGINT/SIGTERM.
 */
import { parseCli, USAGE } from './cli.js';
import { banner } from './banner.js';
import { startSecretsManagerEmulator } from './emulator.js';

async function main(): Promise<void> {
  let config;
  try {
    config = parseCli(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n${USAGE}\n`);
    process.exit(2);
  }
  if (config.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const emulator = await startSecretsManagerEmulator({ ...config.options, onError: (e) => process.stderr.write(`emulator error: ${String(e)}\n`) });
  const { endpoint, region, credentials } = emulator;
  process.stdout.write(`${config.json ? JSON.stringify({ endpoint, region, ...credentials }) : banner(emulator)}\n`);
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
