/**
 * The size of a request head as HTTP/2 counts it (RFC 9113 §6.5.2 / RFC 7541 §4.1: name + value + 32 octets per
 * field, uncompressed). Node enforces the head limit itself for HTTP/1.1 only; the pipeline checks HTTP/2 with this.
 */

/**
 * Size of the header list in `rawHeaders` (Node's flat `[name, value, name, value, …]`, pseudo-headers included).
 * Never throws.
 */
export function headerListSize(rawHeaders: readonly string[]): number {
  let size = 0;
  for (let i = 0; i < rawHeaders.length; i++) size += rawHeaders[i]!.length;
  return size + 16 * rawHeaders.length;
}
