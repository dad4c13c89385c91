/**
 * Standalone entry point: starts the emulator, prints how to reach it (or, with `--json`, one JSON object with
 * exactly endpoint, region, accessKeyId, secretAccessKey and, if set, sessionToken) and serves until SIGINT/SIGTERM.
 */
import { runStandalone } from '@kes/emulator-support';
import { parseCli, USAGE } from './cli.js';
import { banner } from './banner.js';
import { startSecretsManagerEmulator } from './emulator.js';

void runStandalone({
  usage: USAGE,
  parse: parseCli,
  start: (config, onError) => startSecretsManagerEmulator({ ...config.options, onError }),
  describe: (emulator, config) => {
    const { endpoint, region, credentials } = emulator;
    return config.json ? JSON.stringify({ endpoint, region, ...credentials }) : banner(emulator);
  },
});
