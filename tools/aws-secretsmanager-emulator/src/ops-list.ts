import { AwsErrors } from './aws-error.js';
import { optionalBoolean, optionalInteger, optionalList, optionalString, type Input } from './input.js';
import { describeFields, versionsToStages } from './ops-read.js';
import { isDeleting, type OpContext } from './op-context.js';
import type { StoredSecret } from './secret-store.js';

/** Filter keys the emulator implements, with how they match (all are prefix matches, spec: API_Filter). */
const FILTER_KEYS: Record<string, { caseSensitive: boolean; fields: (s: StoredSecret) => readonly string[] }> = {
  name: { caseSensitive: true, fields: (s) => [s.name] },
  description: { caseSensitive: false, fields: (s) => (s.description !== undefined ? [s.description] : []) },
  'tag-key': { caseSensitive: true, fields: (s) => s.tags.map((t) => t.Key) },
  'tag-value': { caseSensitive: true, fields: (s) => s.tags.map((t) => t.Value) },
};
/** Keys AWS knows that the emulator does not implement (refused rather than silently ignored). */
const UNSUPPORTED_KEYS = ['primary-region', 'owning-service', 'all'];
const FILTER_VALUE = /^!?[a-zA-Z0-9 :_@/+=.\-!]*$/;

type Predicate = (secret: StoredSecret) => boolean;

function parseFilters(list: readonly unknown[]): Predicate[] {
  if (list.length > 10) throw AwsErrors.validation('filters', 'Member must have length less than or equal to 10');
  return list.map((raw) => {
    const filter = (typeof raw === 'object' && raw !== null ? raw : {}) as Input;
    const key = optionalString(filter, 'Key');
    const values = optionalList(filter, 'Values');
    if (key === undefined || values === undefined || values.length === 0) {
      throw AwsErrors.invalidParameter('A filter must have a Key and at least one value.');
    }
    if (UNSUPPORTED_KEYS.includes(key)) throw AwsErrors.invalidParameter(`The emulator does not implement the filter key '${key}'.`);
    const spec = FILTER_KEYS[key];
    if (spec === undefined) throw AwsErrors.validation('filters.member.key', `Member must satisfy enum value set: [${[...Object.keys(FILTER_KEYS), ...UNSUPPORTED_KEYS].join(', ')}]`);
    if (values.length > 10) throw AwsErrors.validation('filters.member.values', 'Member must have length less than or equal to 10');
    const fold = (s: string) => (spec.caseSensitive ? s : s.toLowerCase());
    const positive: string[] = [];
    const negative: string[] = [];
    for (const value of values) {
      if (typeof value !== 'string' || value.length > 512 || !FILTER_VALUE.test(value)) {
        throw AwsErrors.validation('filters.member.values', 'Member must satisfy regular expression pattern: ^\\!?[a-zA-Z0-9 :_@\\/\\+\\=\\.\\-\\!]*$');
      }
      (value.startsWith('!') ? negative : positive).push(fold(value.startsWith('!') ? value.slice(1) : value));
    }
    return (secret) => {
      const fields = spec.fields(secret).map(fold);
      const hit = (prefix: string) => fields.some((f) => f.startsWith(prefix));
      return (positive.length === 0 || positive.some(hit)) && !negative.some(hit);
    };
  });
}

function encodeToken(seq: number, descending: boolean): string {
  return Buffer.from(`kes-emulator:${descending ? 'desc' : 'asc'}:${seq}`).toString('base64');
}

function decodeToken(token: string, descending: boolean): number {
  const match = /^kes-emulator:(asc|desc):(\d{1,15})$/.exec(Buffer.from(token, 'base64').toString('utf8'));
  if (!match || (match[1] === 'desc') !== descending) throw AwsErrors.invalidNextToken();
  return Number(match[2]);
}

/**
 * ListSecrets: pages of secrets in creation order (`SortOrder: desc` reverses it), `MaxResults` 1–100 (default: the
 * `pageSize` knob), `NextToken` paging that is stable under concurrent creates and deletes, `Filters` (name,
 * description, tag-key, tag-value; prefix match; `!` negates) and `IncludePlannedDeletion`.
 * @throws AwsError `InvalidNextTokenException`, `ValidationException`, `InvalidParameterException`.
 */
export function listSecrets(input: Input, ctx: OpContext): object {
  const maxResults = optionalInteger(input, 'MaxResults');
  if (maxResults !== undefined && (maxResults < 1 || maxResults > 100)) {
    throw AwsErrors.validation('maxResults', `Member must have value ${maxResults < 1 ? 'greater than or equal to 1' : 'less than or equal to 100'}`);
  }
  const sortOrder = optionalString(input, 'SortOrder');
  if (sortOrder !== undefined && sortOrder !== 'asc' && sortOrder !== 'desc') {
    throw AwsErrors.validation('sortOrder', 'Member must satisfy enum value set: [asc, desc]');
  }
  const descending = sortOrder === 'desc';
  const includeDeleted = optionalBoolean(input, 'IncludePlannedDeletion') ?? false;
  const predicates = parseFilters(optionalList(input, 'Filters') ?? []);
  const token = optionalString(input, 'NextToken');
  const after = token === undefined ? undefined : decodeToken(token, descending);

  let secrets = ctx.store.all();
  if (descending) secrets = secrets.reverse();
  const matching = secrets.filter(
    (s) =>
      (after === undefined || (descending ? s.seq < after : s.seq > after)) &&
      (includeDeleted || !isDeleting(s)) &&
      predicates.every((p) => p(s)),
  );
  const size = maxResults ?? ctx.knobs.pageSize;
  const page = matching.slice(0, size);
  const last = page[page.length - 1];
  return {
    SecretList: page.map((s) => ({ ...describeFields(s), SecretVersionsToStages: versionsToStages(s) })),
    ...(matching.length > size && last !== undefined ? { NextToken: encodeToken(last.seq, descending) } : {}),
  };
}
