/**
 * Local validation of names and patterns (spec §2.2) so that a typo fails fast with a helpful message instead of a
 * round trip to the server.
 */
import { isValidName, isValidPattern } from '@kes/core';
import { CliError } from './errors.js';

const RULE = "1-80 characters from A-Z a-z 0-9 '_' '-', not starting or ending with '-'";

/**
 * @throws CliError (exit 1) when `name` is not a valid key/policy name.
 */
export function checkName(kind: 'key' | 'policy', name: string): void {
  if (!isValidName(name)) throw new CliError(`invalid ${kind} name '${name}': use ${RULE}`);
}

/**
 * @throws CliError (exit 1) when `pattern` is not a valid listing pattern (a name prefix, optionally ending in '*').
 */
export function checkPattern(pattern: string): void {
  if (!isValidPattern(pattern)) {
    throw new CliError(`invalid pattern '${pattern}': use a name prefix of ${RULE}, optionally followed by a single trailing '*'`);
  }
}
