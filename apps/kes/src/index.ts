/**
 * `@kes/kes`: the `kes` command line as a library — `main(argv, io)` runs one invocation against any I/O.
 */
export { main, buildProgram } from './cli/program.js';
export { processIo, isTerminal, colorEnabled, type CliIo, type OutputStream, type InputStream, type ColorMode } from './cli/io.js';
export { CliError, describeError } from './cli/errors.js';
