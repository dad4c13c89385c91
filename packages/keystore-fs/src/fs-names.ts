import { randomBytes } from 'node:crypto';
import { Errors } from '@kes/core';

/**
 * True iff `name` can be a key file name in an fs keystore (KES `internal/keystore/fs` `validName`): non-empty and
 * free of `/`, `\` and `.`; additionally free of NUL, which no file system accepts in a name. Never throws.
 */
export function isValidFsKeyName(name: string): boolean {
  return name.length > 0 && !/[/\\.\0]/.test(name);
}

/**
 * Checks `name` with {@link isValidFsKeyName}.
 * @throws KesError `INVALID_KEY_CONFIG` with KES's text `fs: key name contains invalid character` when invalid.
 */
export function assertFsKeyName(name: string): void {
  if (!isValidFsKeyName(name)) throw Errors.invalidKeyConfig('fs: key name contains invalid character');
}

/** Prefix of the temporary files a create writes before linking them to the key name. */
export const TEMP_FILE_PREFIX = '.kes-tmp-';

/**
 * A fresh name for a temporary file in the key directory: {@link TEMP_FILE_PREFIX}, the process id and 16 random hex
 * digits. It starts with `.` and so can never be a key name: listings ignore it and no `get` can reach it. Never throws.
 */
export function tempFileName(): string {
  return `${TEMP_FILE_PREFIX}${process.pid}-${randomBytes(8).toString('hex')}`;
}

/** True iff `name` is a temporary file name of a create (see {@link tempFileName}). Never throws. */
export function isTempFileName(name: string): boolean {
  return name.startsWith(TEMP_FILE_PREFIX);
}
