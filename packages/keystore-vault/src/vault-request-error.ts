/**
 * One failed Vault request, normalised from node-vault's `ApiResponseError` (an HTTP answer other than 200/204) and
 * axios' network errors, so that the keystore can translate it into the KES error catalog in one place.
 */
export class VaultRequestError extends Error {
  override readonly name = 'VaultRequestError';

  /**
   * @param operation - what was attempted, e.g. `GET kv/data/tenant/my-key` (never contains values or tokens).
   * @param status - the HTTP status Vault answered with; `undefined` when no answer arrived.
   * @param errors - the strings of Vault's `{"errors": […]}` body (`[]` when the body had none).
   * @param code - the network error code (`ECONNREFUSED`, `ECONNABORTED`, a TLS code, …) when no answer arrived.
   * @param body - the parsed answer body, kept for shape checks (e.g. a soft-deleted K/V v2 entry).
   */
  constructor(
    readonly operation: string,
    readonly status: number | undefined,
    readonly errors: readonly string[],
    readonly code: string | undefined,
    readonly body: unknown,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** True when no HTTP answer arrived (connection refused or reset, timeout, DNS, TLS handshake). */
  get isNetwork(): boolean {
    return this.status === undefined && this.code !== undefined;
  }

  /** True for Vault's check-and-set conflict (400 "check-and-set parameter did not match the current version"). */
  get isCasConflict(): boolean {
    return this.status === 400 && this.errors.some((e) => e.includes('check-and-set'));
  }
}

/**
 * Converts whatever node-vault or axios rejected with into a {@link VaultRequestError}. Never throws.
 * @param operation - method and path of the request, for the message.
 */
export function toVaultRequestError(operation: string, err: unknown): VaultRequestError {
  if (err instanceof VaultRequestError) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as {
    response?: { statusCode?: unknown; status?: unknown; body?: unknown; data?: unknown };
    code?: unknown;
    message?: unknown;
    isAxiosError?: unknown;
  };
  const statusCode = e.response?.statusCode;
  if (typeof statusCode === 'number') {
    const body = e.response?.body;
    const errors = errorStrings(body);
    const detail = errors.length > 0 ? `${errors.map(oneLine).join('; ')} (HTTP ${statusCode})` : `HTTP ${statusCode}`;
    return new VaultRequestError(operation, statusCode, errors, undefined, body, `vault: ${operation}: ${detail}`, { cause: err });
  }
  const code = typeof e.code === 'string' && e.code !== '' ? e.code : e.isAxiosError === true ? 'ERR_NETWORK' : undefined;
  const message = typeof e.message === 'string' && e.message !== '' ? e.message : describeThrown(err);
  return new VaultRequestError(operation, undefined, [], code, undefined, `vault: ${operation}: ${message}`, { cause: err });
}

/** The string entries of a Vault `{"errors": […]}` body; `[]` for any other shape. Never throws. */
export function errorStrings(body: unknown): string[] {
  if (typeof body !== 'object' || body === null) return [];
  const errors = (body as { errors?: unknown }).errors;
  return Array.isArray(errors) ? errors.filter((x): x is string => typeof x === 'string') : [];
}

/** Newer Vault wraps messages as `1 error occurred:\n\t* permission denied\n\n`; keep them on one line. */
function oneLine(text: string): string {
  return text.replace(/\s*\n\s*\*?\s*/g, ' ').trim();
}

/** A readable text for anything thrown (`String()` itself throws for objects without a prototype). Never throws. */
export function describeThrown(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message;
  try {
    return String(thrown);
  } catch {
    return Object.prototype.toString.call(thrown);
  }
}
