/**
 * `@kes/emulator-support`: what the standalone emulators (Azure Key Vault, AWS Secrets Manager, Vault) share — the
 * start-up of `src/main.ts`, the command-line helpers and a private test CA.
 */
export { runStandalone, defaultStateDir, type StandaloneProgram, type Stoppable } from './standalone.js';
export { normalizeNxArgs, parseEmulatorArgs, parseKnobs, parsePort, type EmulatorArgs, type OptionTable } from './cli-args.js';
export { createCa, issueCertificate, type LeafSpec, type PemPair } from './certificates.js';
export { spawnStandalone, type StandaloneExit, type StandaloneProcess } from './spawn-standalone.js';
