/**
 * Errors of the command line and their one-line rendering (`Error: …` on stderr; exit status 1, or 2 for usage
 * errors). Every failure a command can meet is turned into a message that says what went wrong and what to do.
 */
import { isKesClientError, type KesClientError } from '@kes/client';
import { isKesError } from '@kes/core';

/** A failure the CLI reports as `Error: <message>` (plus optional detail lines) and exits with `exitCode`. */
export class CliError extends Error {
  override readonly name = 'CliError';

  /**
   * @param message - one line saying what failed and what to do.
   * @param exitCode - 1 for failures, 2 for usage errors.
   * @param details - further lines printed after the message (e.g. every problem of a config file).
   */
  constructor(
    message: string,
    readonly exitCode = 1,
    readonly details: readonly string[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A usage error (exit status 2): `<message>. See '<command> --help'`. */
export function usageError(message: string, command: string): CliError {
  return new CliError(`${message}. See '${command} --help'`, 2);
}

/** Hints for client errors whose server text alone does not say what to do. */
function clientHint(err: KesClientError): string {
  switch (err.code) {
    case 'NOT_ALLOWED':
      return ' (the identity of this client is not allowed to do this: use the admin identity or a policy that allows it)';
    case 'PASSWORD_REQUIRED':
      return ': set KES_CLIENT_KEY_PASSWORD or run the command in a terminal to be asked for it';
    case 'WRONG_PASSWORD':
      return ' (check KES_CLIENT_KEY_PASSWORD)';
    default:
      return '';
  }
}

/** Node file-system errors → readable text. */
function fsErrorText(err: NodeJS.ErrnoException): string | undefined {
  const reasons: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EISDIR: 'is a directory',
    ENOTDIR: 'not a directory',
    EEXIST: 'file already exists',
  };
  const reason = err.code === undefined ? undefined : reasons[err.code];
  if (reason === undefined) return undefined;
  return err.path === undefined ? reason : `'${err.path}': ${reason}`;
}

/**
 * The message (without the `Error: ` prefix) of any thrown value: client errors with hints, catalog errors, file
 * errors, config errors (first line; the remaining lines go to `details`). Never throws.
 */
export function describeError(err: unknown): { message: string; details: readonly string[]; exitCode: number } {
  if (err instanceof CliError) return { message: err.message, details: err.details, exitCode: err.exitCode };
  if (isKesClientError(err)) {
    // The client names no flag; the CLI's way of passing a CA file is --ca or KES_CA_PATH.
    const message = err.message.replace("pass the server's CA certificate as a CA file", "trust the server's CA certificate with --ca <file> (or KES_CA_PATH)");
    return { message: message + clientHint(err), details: [], exitCode: 1 };
  }
  if (isKesError(err)) return { message: err.message, details: [], exitCode: 1 };
  if (err instanceof Error) {
    const fs = fsErrorText(err as NodeJS.ErrnoException);
    if (fs !== undefined) return { message: fs, details: [], exitCode: 1 };
    const [first = 'unknown error', ...rest] = err.message.split('\n');
    return { message: first, details: rest, exitCode: 1 };
  }
  return { message: String(err), details: [], exitCode: 1 };
}

/**
 * Wraps `err` with what the command was doing: `<action>: <reason>`. CliErrors with a usage exit code pass through.
 */
export function failed(action: string, err: unknown): CliError {
  if (err instanceof CliError && err.exitCode === 2) return err;
  const d = describeError(err);
  return new CliError(`${action}: ${d.message}`, d.exitCode, d.details, { cause: err });
}

/**
 * Awaits `promise`. @returns its value.
 * @throws the {@link failed}(`action`, reason) CliError when it rejects.
 */
export async function attempt<T>(action: string, promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (err) {
    throw failed(action, err);
  }
}
