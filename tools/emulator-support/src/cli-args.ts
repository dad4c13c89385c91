/**
 * Command-line parsing shared by the standalone emulators: every emulator takes `--json` and `--help`, rejects
 * unknown options and positionals, and accepts the `--flag=true` / `--flag=false` forms Nx forwards for booleans.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** The option table of `node:util` `parseArgs`. */
export type OptionTable = NonNullable<ParseArgsConfig['options']>;

/** The options every emulator has. */
const COMMON_OPTIONS = {
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;

/** The `parseArgs` configuration {@link parseEmulatorArgs} uses for an option table `O`. */
type EmulatorArgsConfig<O extends OptionTable> = {
  args: string[];
  strict: true;
  allowPositionals: false;
  options: typeof COMMON_OPTIONS & O;
};

/** The values {@link parseEmulatorArgs} returns for an option table `O`: `json` and `help` plus `O`'s options. */
export type EmulatorArgs<O extends OptionTable> = ReturnType<typeof parseArgs<EmulatorArgsConfig<O>>>['values'];

/**
 * Rewrites the forms Nx forwards: drops a bare `--`, turns `--flag=true` into `--flag` and drops `--flag=false`, for
 * each flag in `booleans`. Every other argument is returned unchanged and in order.
 */
export function normalizeNxArgs(argv: readonly string[], booleans: readonly string[]): string[] {
  const flags = new Set(booleans);
  return argv.flatMap((arg) => {
    if (arg === '--') return [];
    const m = /^--([^=]+)=(true|false)$/.exec(arg);
    if (m === null || !flags.has(m[1]!)) return [arg];
    return m[2] === 'true' ? [`--${m[1]}`] : [];
  });
}

/**
 * Parses `argv` (without node and script) strictly against `options` plus `--json` and `--help` (both default false),
 * after {@link normalizeNxArgs} for every boolean option.
 * @returns the parsed values, typed from `options`.
 * @throws Error (from `parseArgs`) with a readable message for an unknown option, a missing value or a positional.
 */
export function parseEmulatorArgs<const O extends OptionTable>(argv: readonly string[], options: O): EmulatorArgs<O> {
  const table = { ...COMMON_OPTIONS, ...options };
  const booleans = Object.entries(table).flatMap(([name, o]) => (o.type === 'boolean' ? [name] : []));
  const config: EmulatorArgsConfig<O> = { args: normalizeNxArgs(argv, booleans), strict: true, allowPositionals: false, options: table };
  return parseArgs(config).values;
}

/**
 * Reads a TCP port option.
 * @returns the port (0 to 65535), or undefined when `text` is undefined.
 * @throws Error `<flag> must be a port number` for anything but 1 to 5 decimal digits up to 65535.
 */
export function parsePort(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) throw new Error(`${flag} must be a port number`);
  return Number(text);
}

/**
 * Reads `--knobs JSON` with the emulator's own validator.
 * @returns what `validate` returns, or undefined when `text` is undefined.
 * @throws Error `--knobs must be a JSON object` when `text` is not JSON, or `--knobs: <reason>` when `validate` throws.
 */
export function parseKnobs<K>(text: string | undefined, validate: (patch: unknown) => K): K | undefined {
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('--knobs must be a JSON object');
  }
  try {
    return validate(parsed);
  } catch (e) {
    throw new Error(`--knobs: ${e instanceof Error ? e.message : String(e)}`);
  }
}
