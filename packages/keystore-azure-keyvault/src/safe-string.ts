/**
 * `String(value)`, or `fallback` when the value cannot be turned into a string (a hostile or broken `toString`, as in
 * thrown non-errors or non-string arguments from untyped callers). Never throws.
 */
export function safeString(value: unknown, fallback: string): string {
  try {
    return String(value);
  } catch {
    return fallback;
  }
}
