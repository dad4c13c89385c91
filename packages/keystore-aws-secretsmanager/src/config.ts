import type { ConfigPath, KeystoreConfigProblem, KeystoreConfigResult } from '@kes/core';
import { normalizeEndpoint } from './endpoint.js';
import { closestField } from './suggest.js';

/** Static AWS credentials from the `credentials:` block. */
export interface AwsStaticCredentials {
  readonly accessKey: string;
  readonly secretKey: string;
  /** Session token of temporary (STS) credentials. */
  readonly sessionToken?: string;
}

/** Validated config of the `keystore: { aws: { secretsmanager: … } }` block. */
export interface AwsSecretsManagerConfig {
  /** Endpoint URL with scheme (`https://` added when the config had none), without a trailing `/`. */
  readonly endpoint: string;
  readonly region: string;
  /** KMS key (id, ARN or alias) that encrypts new secrets; absent → AWS's default key `aws/secretsmanager`. */
  readonly kmsKey?: string;
  /** Static credentials; absent when all three fields were empty → the SDK's default credential chain. */
  readonly credentials?: AwsStaticCredentials;
}

const TOP_FIELDS = ['endpoint', 'region', 'kmskey', 'credentials'] as const;
const CREDENTIAL_FIELDS = ['accesskey', 'secretkey', 'token'] as const;
const REGION = /^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$/;
const NONE_HINT = 'none of them to use the default AWS credential chain';
const DEFAULT_CHAIN_HINT = 'leave it empty to use the default AWS credential chain';
const ENDPOINT_HINT = 'the Secrets Manager endpoint of your region, e.g. secretsmanager.us-east-2.amazonaws.com';

type Mapping = Record<string, unknown>;

/** Collects problems and warnings of one validation run. */
class Report {
  readonly problems: KeystoreConfigProblem[] = [];
  readonly warnings: KeystoreConfigProblem[] = [];
  problem(path: ConfigPath, message: string, hint?: string, related?: ConfigPath[]): void {
    this.problems.push({ path, message, ...(hint ? { hint } : {}), ...(related?.length ? { related } : {}) });
  }
}

function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Warns about unknown fields of `mapping`; returns, per known field that is absent, the unknown field that is
 * probably a misspelling of it (so the caller can mention it in the "is required" problem).
 */
function checkFields(report: Report, mapping: Mapping, known: readonly string[], base: ConfigPath): Map<string, string> {
  const slips = new Map<string, string>();
  for (const field of Object.keys(mapping)) {
    if (known.includes(field)) continue;
    const guess = closestField(field, known);
    if (guess !== undefined && !(guess in mapping)) slips.set(guess, field);
    report.warnings.push({
      path: [...base, field],
      message: `unknown field ${field} is ignored`,
      hint: guess !== undefined ? `did you mean ${guess}?` : `known fields: ${known.join(', ')}`,
    });
  }
  return slips;
}

/** Reads an optional string field: absent/null/'' → undefined; a non-string is a problem. */
function optionalString(report: Report, mapping: Mapping, field: string, base: ConfigPath): string | undefined {
  const value = mapping[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    report.problem([...base, field], `${field} must be a string`, 'quote the value in the YAML file');
    return undefined;
  }
  const trimmed = value.trim();
  if (trimmed !== value && trimmed !== '') {
    report.warnings.push({ path: [...base, field], message: `surrounding whitespace of ${field} is removed` });
  }
  return trimmed === '' ? undefined : trimmed;
}

function requiredMessage(field: string, slips: Map<string, string>): { message: string; hint?: string } {
  const slip = slips.get(field);
  return slip !== undefined
    ? { message: `${field} is required`, hint: `found ${slip}: did you mean ${field}?` }
    : { message: `${field} is required` };
}

/** Reads a required top-level string field; reports it as missing (with a misspelling hint) or mistyped. */
function requiredString(report: Report, mapping: Mapping, field: string, slips: Map<string, string>, hint: string): string | undefined {
  const value = mapping[field];
  if (value !== undefined && value !== null && typeof value !== 'string') return optionalString(report, mapping, field, []);
  const text = optionalString(report, mapping, field, []);
  if (text === undefined) {
    const required = requiredMessage(field, slips);
    report.problem([field], required.message, required.hint ?? hint);
  }
  return text;
}

function validateCredentials(report: Report, value: unknown): AwsStaticCredentials | undefined {
  if (value === undefined || value === null) return undefined;
  const base = ['credentials'];
  if (!isMapping(value)) {
    report.problem(base, 'credentials must be a mapping with accesskey, secretkey and token', DEFAULT_CHAIN_HINT);
    return undefined;
  }
  const slips = checkFields(report, value, CREDENTIAL_FIELDS, base);
  const accessKey = optionalString(report, value, 'accesskey', base);
  const secretKey = optionalString(report, value, 'secretkey', base);
  const token = optionalString(report, value, 'token', base);
  if (accessKey === undefined && secretKey === undefined) {
    if (token !== undefined) {
      report.problem([...base, 'accesskey'], 'a session token needs accesskey and secretkey', `set all three, or ${NONE_HINT}`, [
        [...base, 'token'],
      ]);
    }
    for (const field of ['accesskey', 'secretkey']) {
      const slip = slips.get(field);
      if (slip === undefined || token !== undefined) continue;
      report.problem([...base, field], `${field} is missing`, `found ${slip}: did you mean ${field}?`);
    }
    return undefined;
  }
  const hint = `set both accesskey and secretkey, or ${NONE_HINT}`;
  for (const [field, present] of [['accesskey', accessKey], ['secretkey', secretKey]] as const) {
    if (present !== undefined) continue;
    const { message, hint: slipHint } = requiredMessage(field, slips);
    const other = field === 'accesskey' ? 'secretkey' : 'accesskey';
    report.problem([...base, field], `${message} when ${other} is set`, slipHint ?? hint, [[...base, other]]);
  }
  if (accessKey === undefined || secretKey === undefined) return undefined;
  return token === undefined ? { accessKey, secretKey } : { accessKey, secretKey, sessionToken: token };
}

/**
 * Validates the block as the YAML file wrote it (KES fields: `endpoint`, `region`, `kmskey`,
 * `credentials: { accesskey, secretkey, token }`). Reports every problem at once, each with its path relative to the
 * block and a hint; unknown fields are warnings (with "did you mean" when one looks like a misspelling).
 *
 * @returns the typed config, or the problems. Never throws; never echoes credential values.
 */
export function validateAwsSecretsManagerBlock(block: unknown): KeystoreConfigResult<AwsSecretsManagerConfig> {
  const report = new Report();
  if (block !== null && block !== undefined && !isMapping(block)) {
    report.problem([], 'aws.secretsmanager must be a mapping', 'write `secretsmanager:` followed by endpoint, region and credentials');
    return { ok: false, problems: report.problems };
  }
  const mapping: Mapping = block ?? {};
  const slips = checkFields(report, mapping, TOP_FIELDS, []);

  const endpointText = requiredString(report, mapping, 'endpoint', slips, ENDPOINT_HINT);
  let endpoint: string | undefined;
  if (endpointText !== undefined) {
    const result = normalizeEndpoint(endpointText);
    if (result.ok) endpoint = result.url;
    else report.problem(['endpoint'], result.reason, ENDPOINT_HINT);
  }

  const region = requiredString(report, mapping, 'region', slips, 'the AWS region of the endpoint, e.g. us-east-2');
  if (region !== undefined && !REGION.test(region)) {
    report.problem(['region'], `region '${region}' is not a valid AWS region name`, 'e.g. us-east-2 or eu-central-1');
  }

  const kmsKey = optionalString(report, mapping, 'kmskey', []);
  const credentials = validateCredentials(report, mapping['credentials']);

  if (report.problems.length > 0 || endpoint === undefined || region === undefined) {
    return { ok: false, problems: report.problems };
  }
  const config: AwsSecretsManagerConfig = {
    endpoint,
    region,
    ...(kmsKey !== undefined ? { kmsKey } : {}),
    ...(credentials !== undefined ? { credentials } : {}),
  };
  return report.warnings.length > 0 ? { ok: true, config, warnings: report.warnings } : { ok: true, config };
}
