/**
 * Entry point of the `kes` binary (see bin/kes.js): runs the command line on the real process.
 */
import { main } from './cli/program.js';
import { processIo } from './cli/io.js';

const code = await main(process.argv.slice(2), processIo());
process.exitCode = code;
// Exit naturally (so that piped output is flushed); should a stray handle keep the loop alive, leave anyway.
setTimeout(() => process.exit(code), 2000).unref();
