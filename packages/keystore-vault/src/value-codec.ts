/**
 * Stored values ↔ the text Vault holds. K/V entries are JSON strings, so a value is stored as its UTF-8 text (what
 * KES's `string(value)` gives for the ASCII stored-key format); with transit, as the ciphertext of its base64.
 */

/** A transit ciphertext: `vault:v<key version>:…` (any key version, so values survive a transit key rotation). */
export const TRANSIT_CIPHERTEXT = /^vault:v\d+:/;

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The UTF-8 text of `value`.
 * @throws Error when `value` is not valid UTF-8 (Vault could not store it unchanged; transit can).
 */
export function valueToText(value: Uint8Array): string {
  try {
    return decoder.decode(value);
  } catch {
    throw new Error('vault: the value is not UTF-8 text and K/V entries hold text; configure transit to store arbitrary bytes');
  }
}

/** The UTF-8 bytes of `text` (a fresh array). Never throws. */
export function textToValue(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'utf8'));
}
