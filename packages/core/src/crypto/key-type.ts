/**
 * Secret key types (spec `kes-protocol.md` §5.1): their canonical names, accepted aliases and storage enum values.
 */

/** The two secret key algorithms. The string is also the canonical wire name. */
export type KeyType = 'AES256' | 'ChaCha20';

/** Every accepted name → key type. Canonical names plus the names servers wrote from 2022-07 until 2023-10-02. */
const NAMES: ReadonlyMap<string, KeyType> = new Map<string, KeyType>([
  ['AES256', 'AES256'],
  ['AES256-GCM_SHA256', 'AES256'],
  ['ChaCha20', 'ChaCha20'],
  ['XCHACHA20-POLY1305', 'ChaCha20'],
]);

/**
 * Parses a key algorithm name (exact, case-sensitive): `AES256`, `AES256-GCM_SHA256`, `ChaCha20`, `XCHACHA20-POLY1305`.
 * Returns `undefined` for anything else, including `""`. Never throws.
 */
export function parseKeyType(name: string): KeyType | undefined {
  return typeof name === 'string' ? NAMES.get(name) : undefined;
}

/** The protobuf `SecretKey.Type` enum value of a key type (AES256 = 1, ChaCha20 = 2). Never throws. */
export function keyTypeToEnum(type: KeyType): number {
  return type === 'AES256' ? 1 : 2;
}

/** The key type of a protobuf `SecretKey.Type` enum value; `undefined` for any value but 1 and 2. Never throws. */
export function keyTypeFromEnum(value: number): KeyType | undefined {
  return value === 1 ? 'AES256' : value === 2 ? 'ChaCha20' : undefined;
}
