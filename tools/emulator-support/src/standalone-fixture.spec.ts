/**
 * A stand-in `main.ts` for standalone.test.ts: a fake emulator run through {@link runStandalone}.
 * `--fail` makes start fail; `--report` makes it report a serving error; `--json` prints JSON.
 */
import { parseEmulatorArgs } from './cli-args.js';
import { runStandalone } from './standalone.js';

void runStandalone({
  usage: 'Usage: fixture [--json] [--fail] [--report]',
  parse: (argv) => parseEmulatorArgs(argv, { fail: { type: 'boolean', default: false }, report: { type: 'boolean', default: false } }),
  start: async (config, onError) => {
    if (config.fail) throw new Error('no port left');
    if (config.report) onError(new Error('socket hang up'));
    const serving = setInterval(() => undefined, 1000); // what a listening server would do: keep the process alive
    const stop = async (): Promise<void> => {
      clearInterval(serving);
      await new Promise((resolve) => setTimeout(resolve, 50));
      process.stderr.write('stopped\n');
    };
    return { stop };
  },
  describe: (_emulator, config) => (config.json ? JSON.stringify({ fake: true }) : 'Fake emulator is running.\n  second line'),
});
