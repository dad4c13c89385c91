/**
 * Error text for the error log, bounded: whatever a keystore backend or a library puts into an error message — a
 * whole HTML page, a response body, a megabyte of JSON — could otherwise reach the log (and every `/v1/log/error`
 * subscriber) in full. Each message of an error's `cause` chain is cut to {@link MAX_PART_CHARS}, the chain to
 * {@link MAX_CAUSE_DEPTH} causes, and any log message to {@link MAX_MESSAGE_CHARS}; the start of each message — where
 * errors say what went wrong — is kept, and the cut is marked with how much was left out.
 */

/** Longest message (or cause message) kept from one error, in UTF-16 code units. */
export const MAX_PART_CHARS = 512;
/** Most causes followed below the error itself. */
export const MAX_CAUSE_DEPTH = 4;
/** Longest message (or attribute value) the error log writes. */
export const MAX_MESSAGE_CHARS = 4096;

/**
 * `text` cut to `max` code units (never inside a surrogate pair) with `…(N more characters)` appended when something
 * was left out. Never throws.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--; // keep a pair whole: drop its high half too
  return `${text.slice(0, end)}…(${text.length - end} more characters)`;
}

function messageOf(value: unknown): string {
  if (value instanceof Error) return typeof value.message === 'string' ? value.message : '';
  try {
    return String(value);
  } catch {
    return 'unprintable error';
  }
}

/**
 * `message: cause: cause's cause…` for `err`, each part cut to {@link MAX_PART_CHARS}, at most
 * {@link MAX_CAUSE_DEPTH} causes (then `: …(N more causes)`); a cause whose message the previous part already
 * contains is left out (wrappers often repeat it). Only `Error` causes are followed. Never throws.
 */
export function describeError(err: unknown): string {
  try {
    return describeChain(err);
  } catch {
    return 'unprintable error';
  }
}

function describeChain(err: unknown): string {
  const parts = [truncate(messageOf(err), MAX_PART_CHARS)];
  let previous = messageOf(err);
  let depth = 0;
  let cause: unknown = err instanceof Error ? err.cause : undefined;
  const seen = new Set<unknown>([err]);
  while (cause instanceof Error && !seen.has(cause)) {
    seen.add(cause);
    const message = messageOf(cause);
    if (!previous.includes(message)) {
      if (depth === MAX_CAUSE_DEPTH) {
        let more = 1;
        for (let c = cause.cause; c instanceof Error && !seen.has(c) && more < 1_000; c = c.cause) (seen.add(c), more++);
        parts.push(`…(${more} more cause${more === 1 ? '' : 's'})`);
        break;
      }
      parts.push(truncate(message, MAX_PART_CHARS));
      depth++;
    }
    previous = message;
    cause = cause.cause;
  }
  return parts.join(': ');
}
