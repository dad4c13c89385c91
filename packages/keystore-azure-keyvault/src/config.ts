import type { ConfigPath, KeystoreConfigProblem, KeystoreConfigResult } from '@kes/core';

/** How the keystore authenticates (upstream KES `keystore.azure.keyvault`). */
export type AzureKeyVaultAuth =
  /** `credentials`: an app registration's client secret (`ClientSecretCredential`). */
  | { readonly kind: 'client-secret'; readonly tenantId: string; readonly clientId: string; readonly clientSecret: string }
  /** `managed_identity`: a user-assigned managed identity (`ManagedIdentityCredential`). */
  | { readonly kind: 'managed-identity'; readonly clientId: string }
  /** Neither block: the default Azure credential chain (environment, workload identity, managed identity, CLI, …). */
  | { readonly kind: 'default-chain' };

/** The validated `keystore.azure.keyvault` block. */
export interface AzureKeyVaultConfig {
  /** The vault URL, e.g. `https://my-vault.vault.azure.net`. */
  readonly endpoint: string;
  readonly auth: AzureKeyVaultAuth;
  /** Addition: the Entra ID authority (sovereign clouds, emulator), e.g. `https://login.microsoftonline.us`. */
  readonly authorityHost?: string;
  /** Addition: a PEM file of CA certificates trusted besides the system roots (relative to the server's cwd). */
  readonly caFile?: string;
  /** Addition: accept a challenge resource that does not match the vault host (emulators on `localhost`). */
  readonly disableChallengeResourceVerification?: true;
}

const CREDENTIAL_FIELDS = ['tenant_id', 'client_id', 'client_secret'] as const;
const KNOWN_FIELDS = ['endpoint', 'credentials', 'managed_identity', 'authority_host', 'ca_file', 'disable_challenge_resource_verification'];

/**
 * Validates `keystore.azure.keyvault` exactly as upstream KES reads it, plus this project's additions:
 * - `endpoint` (required): an `https://` URL.
 * - `credentials` with `tenant_id`, `client_id` and `client_secret`: every empty one is named in ONE problem;
 *   `managed_identity` with `client_id` (required); both blocks → one problem naming both; neither → the default
 *   Azure credential chain.
 * - Additions, all off by default: `authority_host` (an `https://` URL; with client-secret or default-chain auth),
 *   `ca_file` (a path), `disable_challenge_resource_verification` (a boolean).
 * - Unknown fields are ignored with a warning (a hint when one looks like a misspelt known field).
 *
 * @returns every problem at once, with paths relative to the block. Never throws.
 */
export function validateAzureKeyVaultConfig(block: unknown): KeystoreConfigResult<AzureKeyVaultConfig> {
  const c = new Checker(block);
  if (block !== null && block !== undefined && !isObject(block)) {
    c.problem([], 'the azure.keyvault block must be a mapping', "indent 'endpoint' and the authentication block below 'keyvault:'");
    return c.result({ endpoint: '', auth: { kind: 'default-chain' } });
  }
  const endpoint = c.text(['endpoint']);
  if (endpoint.trim() === '') {
    c.problem(['endpoint'], 'endpoint is required', "set it to the vault's URL, e.g. https://<vault-name>.vault.azure.net (shown as 'Vault URI' in the Azure portal)");
  } else if (isHttpUrl(endpoint, 'http:')) {
    c.problem(['endpoint'], `endpoint '${endpoint}' must be an https URL`, 'Key Vault is reached over https only: write https://<vault-name>.vault.azure.net');
  } else if (!isHttpUrl(endpoint, 'https:')) {
    c.problem(['endpoint'], `endpoint '${endpoint}' is not a URL`, 'write it as https://<vault-name>.vault.azure.net');
  }
  const hasCredentials = c.has(['credentials']);
  const hasManaged = c.has(['managed_identity']);
  if (hasCredentials && hasManaged) {
    c.problem(
      [],
      "both 'credentials' and 'managed_identity' are given, but only one authentication method can be used",
      "keep 'credentials' (tenant_id, client_id and client_secret of an app registration) or 'managed_identity' " +
        '(client_id of a managed identity) and delete the other block',
      [['credentials'], ['managed_identity']],
    );
  }
  let auth: AzureKeyVaultAuth = { kind: 'default-chain' };
  if (hasCredentials) {
    c.mapping(['credentials']);
    const values = Object.fromEntries(CREDENTIAL_FIELDS.map((f) => [f, c.text(['credentials', f])]));
    const empty = CREDENTIAL_FIELDS.filter((f) => values[f]!.trim() === '');
    if (empty.length > 0) {
      c.problem(
        ['credentials'],
        `${andList(empty)} ${empty.length === 1 ? 'is' : 'are'} empty`,
        "fill in the app registration's Directory (tenant) ID, Application (client) ID and client secret value " +
          '(or reference environment variables such as client_secret: ${AZURE_CLIENT_SECRET}), or delete the ' +
          "'credentials' block to use a managed identity or the default Azure credential chain",
        empty.map((f) => ['credentials', f]),
      );
    }
    auth = { kind: 'client-secret', tenantId: values['tenant_id']!, clientId: values['client_id']!, clientSecret: values['client_secret']! };
  } else if (hasManaged) {
    c.mapping(['managed_identity']);
    const clientId = c.text(['managed_identity', 'client_id']);
    if (clientId.trim() === '') {
      c.problem(
        ['managed_identity', 'client_id'],
        'managed_identity.client_id is required',
        "set it to the managed identity's client ID, or delete 'managed_identity' to use the default Azure credential chain",
      );
    }
    auth = { kind: 'managed-identity', clientId };
  }
  const additions = readAdditions(c, auth);
  for (const field of Object.keys(isObject(block) ? block : {})) {
    if (KNOWN_FIELDS.includes(field)) continue;
    const near = KNOWN_FIELDS.find((known) => editDistance(field, known) <= 2);
    c.warning([field], `unknown field ${field} is ignored`, near ? `did you mean '${near}'?` : `the fields are ${KNOWN_FIELDS.join(', ')}`);
  }
  return c.result({ endpoint, auth, ...additions });
}

type Additions = Pick<AzureKeyVaultConfig, 'authorityHost' | 'caFile' | 'disableChallengeResourceVerification'>;

function readAdditions(c: Checker, auth: AzureKeyVaultAuth): Additions {
  const out: { authorityHost?: string; caFile?: string; disableChallengeResourceVerification?: true } = {};
  const authority = c.text(['authority_host']).trim();
  if (authority !== '') {
    if (!isHttpUrl(authority, 'https:')) {
      c.problem(['authority_host'], `authority_host '${authority}' is not an https URL`, 'write it as https://<login host>, e.g. https://login.microsoftonline.us');
    } else if (auth.kind === 'managed-identity') {
      c.warning(['authority_host'], 'authority_host is ignored with managed_identity', 'a managed identity gets its tokens from the Azure host it runs on');
    }
    out.authorityHost = authority;
  }
  const caFile = c.text(['ca_file']).trim();
  if (caFile !== '') out.caFile = caFile;
  const raw = c.raw(['disable_challenge_resource_verification']);
  const flag = typeof raw === 'string' ? raw.trim().toLowerCase() : raw;
  if (flag === true || flag === 'true' || flag === 'on' || flag === 'yes') out.disableChallengeResourceVerification = true;
  else if (!(flag === undefined || flag === null || flag === '' || flag === false || flag === 'false' || flag === 'off' || flag === 'no')) {
    c.problem(['disable_challenge_resource_verification'], `disable_challenge_resource_verification must be true or false, not ${typeof raw === 'object' ? 'a mapping or list' : `'${String(raw)}'`}`, 'leave it out (false) except for emulators');
  }
  return out;
}

/** Problem-collecting reads over the block's plain data. */
class Checker {
  readonly problems: KeystoreConfigProblem[] = [];
  readonly warnings: KeystoreConfigProblem[] = [];
  constructor(readonly block: unknown) {}

  raw(path: ConfigPath): unknown {
    let v: unknown = this.block;
    for (const seg of path) v = isObject(v) && Object.hasOwn(v, String(seg)) ? v[String(seg)] : undefined;
    return v;
  }

  has(path: ConfigPath): boolean {
    const parent = this.raw(path.slice(0, -1));
    return isObject(parent) && Object.hasOwn(parent, String(path.at(-1)));
  }

  /** Scalars as text (numbers and booleans as written); absent/null → ''; anything else → problem. */
  text(path: ConfigPath): string {
    const v = this.raw(path);
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (v !== undefined && v !== null) this.problem(path, `${path.join('.')} must be a single value`, 'write the value on the same line as the key');
    return '';
  }

  mapping(path: ConfigPath): void {
    const v = this.raw(path);
    if (v !== undefined && v !== null && !isObject(v)) this.problem(path, `${path.join('.')} must be a mapping`, `indent the fields of '${path.join('.')}' below it`);
  }

  problem(path: ConfigPath, message: string, hint?: string, related?: readonly ConfigPath[]): void {
    this.problems.push({ path, message, ...(hint === undefined ? {} : { hint }), ...(related ? { related } : {}) });
  }

  warning(path: ConfigPath, message: string, hint: string): void {
    this.warnings.push({ path, message, hint });
  }

  result<C>(config: C): KeystoreConfigResult<C> {
    if (this.problems.length > 0) return { ok: false, problems: this.problems };
    return this.warnings.length > 0 ? { ok: true, config, warnings: this.warnings } : { ok: true, config };
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isHttpUrl(text: string, protocol: 'http:' | 'https:'): boolean {
  if (!/^https?:\/\/[^\s/]+/i.test(text)) return false;
  try {
    return new URL(text).protocol === protocol;
  } catch {
    return false;
  }
}

function andList(items: readonly string[]): string {
  return items.length <= 2 ? items.join(' and ') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** Levenshtein distance (small inputs only). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}
