import type { SecretClientOptions } from '@azure/keyvault-secrets';

type AdditionalPolicy = NonNullable<SecretClientOptions['additionalPolicies']>[number];
/** A pipeline policy of the Azure SDK (structural: `@azure/core-rest-pipeline`'s `PipelinePolicy`). */
export type PipelinePolicy = AdditionalPolicy['policy'];
type PipelineResponse = Awaited<ReturnType<PipelinePolicy['sendRequest']>>;

/**
 * An error answer of Key Vault (any HTTP status >= 400 that reached the client after the SDK's authentication
 * challenge), with everything the keystore decides on. Shaped like the SDK's `RestError` (`statusCode`, `code`,
 * `details`), so the SDK's own pollers treat it the same way (e.g. 404 while a delete is in progress).
 */
export class VaultHttpError extends Error {
  override readonly name = 'VaultHttpError';
  /** `error.code` of the body (`SecretNotFound`, `Conflict`, `Forbidden`, `Throttled`, …), or `HTTP <status>`. */
  readonly code: string;
  /** The innermost `error.innererror.code` (`ObjectIsDeletedButRecoverable`, `ForbiddenByPolicy`, …), if any. */
  readonly innerCode: string | undefined;
  /** Milliseconds the service asked to wait (`retry-after-ms`, `x-ms-retry-after-ms` or `Retry-After`), if any. */
  readonly retryAfterMs: number | undefined;
  /** The parsed error body (`{ error: { code, message, innererror } }`), if the body was JSON. */
  readonly details: unknown;

  constructor(
    readonly statusCode: number,
    readonly method: string,
    /** The request URL without its query. */
    readonly url: string,
    body: string | undefined,
    retryAfterMs: number | undefined,
  ) {
    const parsed = parseErrorBody(body);
    super(parsed.message ?? `Key Vault answered HTTP ${statusCode}`);
    this.code = parsed.code ?? `HTTP ${statusCode}`;
    this.innerCode = parsed.innerCode;
    this.details = parsed.details;
    this.retryAfterMs = retryAfterMs;
  }
}

/** True iff `err` is a {@link VaultHttpError}. Never throws. */
export function isVaultHttpError(err: unknown): err is VaultHttpError {
  return err instanceof VaultHttpError;
}

/**
 * A pipeline policy (add it `perCall`, i.e. outside the SDK's retry and authentication policies) that turns every
 * final error answer into a {@link VaultHttpError}. The SDK itself loses the body and headers of errors on list
 * pages ("Pagination failed with unexpected statusCode 403"), which the keystore needs for the inner error code
 * and `Retry-After`.
 */
export const vaultErrorPolicy: PipelinePolicy = {
  name: 'kesVaultErrorPolicy',
  async sendRequest(request, next) {
    let response: PipelineResponse;
    try {
      response = await next(request);
    } catch (err) {
      const carried = (err as { response?: PipelineResponse } | undefined)?.response;
      if (carried === undefined || carried.status < 400) throw err;
      response = carried;
    }
    if (response.status < 400) return response;
    throw new VaultHttpError(
      response.status,
      request.method,
      request.url.split('?')[0] ?? request.url,
      response.bodyAsText ?? undefined,
      retryAfterMs((name) => response.headers.get(name)),
    );
  },
};

/**
 * The wait a throttling answer asks for: `retry-after-ms` / `x-ms-retry-after-ms` (milliseconds) or `Retry-After`
 * (seconds or an HTTP date), like the SDK's own throttling policy.
 * @returns milliseconds (>= 0), or `undefined` when no header is present or none parses. Never throws.
 */
export function retryAfterMs(header: (name: string) => string | undefined, now: number = Date.now()): number | undefined {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const v = header(name)?.trim();
    if (v !== undefined && /^\d+(\.\d+)?$/.test(v)) return Number(v);
  }
  const v = header('retry-after')?.trim();
  if (v === undefined || v === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

interface ParsedBody {
  code?: string;
  message?: string;
  innerCode?: string;
  details?: unknown;
}

/** Reads `{"error":{"code","message","innererror":{"code",innererror…}}}`; anything else gives `{}`. */
function parseErrorBody(body: string | undefined): ParsedBody {
  if (body === undefined || body.trim() === '') return {};
  let details: unknown;
  try {
    details = JSON.parse(body);
  } catch {
    return {};
  }
  const error = field(details, 'error');
  const out: ParsedBody = { details };
  const code = field(error, 'code');
  const message = field(error, 'message');
  if (typeof code === 'string' && code !== '') out.code = code;
  if (typeof message === 'string' && message !== '') out.message = message;
  // innererror may nest; the innermost code is the most specific one.
  let inner = field(error, 'innererror') ?? field(error, 'innerError');
  for (let depth = 0; inner !== undefined && depth < 8; depth++) {
    const innerCode = field(inner, 'code');
    if (typeof innerCode === 'string' && innerCode !== '') out.innerCode = innerCode;
    inner = field(inner, 'innererror') ?? field(inner, 'innerError');
  }
  return out;
}

function field(v: unknown, key: string): unknown {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>)[key] : undefined;
}
