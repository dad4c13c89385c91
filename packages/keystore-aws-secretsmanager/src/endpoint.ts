/** Outcome of {@link normalizeEndpoint}. */
export type EndpointResult = { readonly ok: true; readonly url: string } | { readonly ok: false; readonly reason: string };

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;

/**
 * Turns the `endpoint` of a KES config into a URL the AWS SDK v3 accepts. KES configs usually carry a bare host
 * (`secretsmanager.us-east-2.amazonaws.com`), which Go's SDK v1 accepted but SDK v3 rejects with
 * `TypeError: Invalid URL` (spec aws-vault.md §2.5), so a scheme-less endpoint gets `https://`.
 *
 * Accepts `http://` and `https://` URLs with a host, an optional port and an optional path; trailing `/`s are
 * dropped. Refuses other schemes, user info (credentials do not belong in an endpoint), query strings and fragments.
 *
 * @returns `{ ok: true, url }` or `{ ok: false, reason }` (one sentence, no trailing period). Never throws.
 */
export function normalizeEndpoint(text: string): EndpointResult {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, reason: 'endpoint is empty' };
  const scheme = SCHEME.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') {
    return { ok: false, reason: `endpoint scheme '${scheme}' is not supported (use https:// or http://)` };
  }
  const candidate = scheme === undefined ? `https://${trimmed}` : trimmed;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return { ok: false, reason: `endpoint '${trimmed}' is not a valid host or URL` };
  }
  if (url.hostname === '') return { ok: false, reason: 'endpoint has no host' };
  if (url.username !== '' || url.password !== '') {
    return { ok: false, reason: 'endpoint must not contain user info (put credentials under credentials:)' };
  }
  if (url.search !== '' || url.hash !== '' || /[?#]/.test(trimmed)) {
    return { ok: false, reason: 'endpoint must not contain a query string or a fragment' };
  }
  const path = url.pathname.replace(/\/+$/, '');
  return { ok: true, url: `${url.protocol}//${url.host}${path}` };
}
