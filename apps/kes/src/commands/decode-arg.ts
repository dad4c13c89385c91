/**
 * Decoding base64 command-line arguments strictly (standard alphabet with padding, like Go's StdEncoding).
 */
import { decodeBase64 } from '@kes/core';
import { CliError } from '../cli/errors.js';

/**
 * @returns the decoded bytes.
 * @throws CliError (exit 1) naming the argument when `text` is not valid standard base64.
 */
export function decodeArg(text: string, what: string): Uint8Array {
  try {
    return decodeBase64(text.trim());
  } catch {
    throw new CliError(`invalid ${what}: not valid base64 (standard alphabet with '=' padding)`);
  }
}
