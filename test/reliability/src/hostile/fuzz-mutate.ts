/**
 * Mutations of a {@link FuzzRequest}, drawn from a seeded {@link Prng}: request line (method, path, percent escapes,
 * traversal, oversized names), headers (added, dropped, duplicated, invalid bytes, upgrades, `Expect`), bodies
 * (JSON structure and types, base64 fields, nesting bombs, random bytes, chunked framing) and ciphertext bytes.
 * Framing stays consistent (the body is always as long as announced) — smuggling and truncation have their own
 * scenarios — so that every case must be answered promptly.
 */
import type { Prng } from '../support/prng.js';
import type { FuzzRequest } from './fuzz-corpus.js';

/** A mutation: changes `r` in place; returns its name for the report. */
type Mutation = (r: FuzzRequest, rng: Prng) => string;

const METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH', 'TRACE', 'PROPFIND', 'get', 'post', 'P0ST', 'GETT', 'M-SEARCH'];
const PATH_INSERTS = [
  '%', '%2', '%zz', '%00', '%2F', '%2f', '%2A', '%25', '%C3%A9', '%FF', '/', '//', '/../', '/./', '..', '*', '**', '?', '?x=1&enclave=a',
  '#frag', ';', '\\', '\t', '\x7f', '\x80', '\xc3\xa9', '\xff', '-', '_', '~', '!', '$', '@', ':', '\x01',
];
const JSON_REPLACEMENTS: unknown[] = [
  '', 'abc', 'ab=c', '====', 'YWJj\n', 'YW Jj', '-_-_', 'YWJj====', 'YW==', 'A', '\u0000', '\u00e9', 'YWJjZA', '*', null, 0, -1, 1e308,
  true, [], {}, [1, 2], { a: 'b' }, 'A'.repeat(4096),
];
const BODIES = [
  '', ' ', 'null', '[]', '{}', '""', '"x"', '1e999', '-0', '{', '}', '{"', '{"a":', '{"plaintext":}', '{"plaintext":"YQ=="', '{}xyz', '{} {}',
  '\ufeff{}', '{"plaintext":"YQ==","plaintext":"!!"}', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{}}}', '\u0000\u0000',
  '['.repeat(20_000), '{"a":'.repeat(20_000), `[${'1,'.repeat(50_000)}1]`, `{"context":"${'A'.repeat(200_000)}"}`, '\xff\xfe{\x00}\x00',
];
const EXTRA_HEADERS: Array<[string, string]> = [
  ['Expect', '100-continue'],
  ['Connection', 'Upgrade'],
  ['Upgrade', 'h2c'],
  ['Upgrade', 'websocket'],
  ['HTTP2-Settings', 'AAMAAABkAARAAAAAAAIAAAAA'],
  ['Content-Encoding', 'gzip'],
  ['Content-Type', 'text/plain'],
  ['Content-Type', 'application/json; charset=utf-16'],
  ['Connection', 'close'],
  ['Connection', 'keep-alive'],
  ['Kes-Enclave', 'other'],
  ['X-Forwarded-For', '10.0.0.1'],
  ['X-Tls-Client-Cert', '-----BEGIN CERTIFICATE-----'],
  ['Cookie', 'a='.padEnd(8_000, 'b')],
  ['X-Empty', ''],
  ['X-Ctl', 'a\x01b'],
  ['X-High', '\xff\xfe'],
  ['Range', 'bytes=0-1'],
  ['If-None-Match', '*'],
  ['Accept', 'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited'],
  ['Host', 'evil.example'],
  ['Max-Forwards', '0'],
];

function resourceStart(path: string): number {
  const m = /^\/v1\/[a-z]+\/(?:bulk\/)?[a-z]+\//.exec(path);
  return m ? m[0].length : Math.min(1, path.length);
}

function mutateJson(value: unknown, rng: Prng): unknown {
  if (Array.isArray(value)) return value.length > 0 && rng.chance(0.7) ? value.map((v) => mutateJson(v, rng)) : rng.pick(JSON_REPLACEMENTS);
  if (typeof value !== 'object' || value === null) return rng.pick(JSON_REPLACEMENTS);
  const entries = Object.entries(value as Record<string, unknown>);
  const out: Record<string, unknown> = {};
  const target = entries.length > 0 ? rng.int(entries.length) : -1;
  entries.forEach(([k, v], i) => {
    if (i !== target) return void (out[k] = v);
    const what = rng.int(5);
    if (what === 0) out[k] = rng.pick(JSON_REPLACEMENTS);
    else if (what === 1) out[k.toUpperCase()] = v;
    else if (what === 2) out[`${k[0]!.toUpperCase()}${k.slice(1)}`] = rng.pick(JSON_REPLACEMENTS);
    else if (what === 3) out[`x-${k}`] = v;
    // what === 4: drop the field
  });
  if (rng.chance(0.2)) out[rng.pick(['context', 'version', 'plaintext', 'ciphertext', 'key', 'cipher', 'bytes', 'message'])] = rng.pick(JSON_REPLACEMENTS);
  return out;
}

function mutateBase64Field(body: Buffer, rng: Prng): Buffer | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  const holder = (Array.isArray(parsed) ? parsed[0] : parsed) as Record<string, unknown> | undefined;
  if (typeof holder !== 'object' || holder === null) return undefined;
  const field = Object.keys(holder).find((k) => typeof holder[k] === 'string' && (holder[k] as string).length > 0);
  if (field === undefined) return undefined;
  const bytes = Buffer.from(holder[field] as string, 'base64');
  const what = rng.int(6);
  if (what === 0 && bytes.length > 0) bytes[rng.int(bytes.length)]! ^= 1 << rng.int(8);
  const next =
    what === 1 ? bytes.subarray(0, rng.int(bytes.length + 1))
    : what === 2 ? Buffer.concat([Buffer.from([rng.pick([0x95, 0x7b, 0x00, 0xff])]), bytes])
    : what === 3 ? Buffer.concat([bytes, rng.bytes(1 + rng.int(64))])
    : what === 4 ? rng.bytes(rng.int(80))
    : bytes;
  holder[field] = what === 5 ? next.toString('base64').replace(/=+$/, '') : next.toString('base64');
  return Buffer.from(JSON.stringify(parsed));
}

const MUTATIONS: Record<string, Mutation> = {
  method: (r, rng) => ((r.method = rng.pick(METHODS)), `method:${r.method}`),
  'path-insert': (r, rng) => {
    const at = resourceStart(r.path) + rng.int(Math.max(1, r.path.length - resourceStart(r.path) + 1));
    r.path = r.path.slice(0, at) + rng.pick(PATH_INSERTS) + r.path.slice(at);
    return 'path-insert';
  },
  'path-char': (r, rng) => {
    if (r.path.length < 2) return 'path-char:skip';
    const at = 1 + rng.int(r.path.length - 1);
    r.path = r.path.slice(0, at) + String.fromCharCode(0x21 + rng.int(0x5e)) + r.path.slice(at + 1);
    return 'path-char';
  },
  'path-truncate': (r, rng) => ((r.path = r.path.slice(0, 1 + rng.int(r.path.length))), 'path-truncate'),
  'path-long-name': (r, rng) => {
    r.path = r.path.slice(0, resourceStart(r.path)) + 'k'.repeat(rng.pick([80, 81, 255, 1000, 6000]));
    return 'path-long-name';
  },
  'header-add': (r, rng) => {
    const [k, v] = rng.pick(EXTRA_HEADERS);
    r.headers.splice(rng.int(r.headers.length + 1), 0, [k, v]);
    return `header-add:${k}`;
  },
  'header-drop': (r, rng) => (r.headers.length > 0 && r.headers.splice(rng.int(r.headers.length), 1), 'header-drop'),
  'header-dup': (r, rng) => (r.headers.length > 0 && r.headers.push([...r.headers[rng.int(r.headers.length)]!]), 'header-dup'),
  'header-name-junk': (r, rng) => {
    r.headers.push([rng.pick(['X Bad', 'X\tTab', '(x)', 'X:colon', 'X\x00', ':authority', 'x'.repeat(300)]), 'v']);
    return 'header-name-junk';
  },
  chunked: (r) => {
    if (r.chunked) return 'chunked:skip';
    r.chunked = true;
    r.headers.push(['Transfer-Encoding', 'chunked']);
    return 'chunked';
  },
  'json-field': (r, rng) => {
    try {
      r.body = Buffer.from(JSON.stringify(mutateJson(JSON.parse(r.body.toString('utf8')), rng)) ?? '');
      return 'json-field';
    } catch {
      return 'json-field:skip';
    }
  },
  'json-base64': (r, rng) => {
    const next = mutateBase64Field(r.body, rng);
    if (next !== undefined) r.body = next;
    return next === undefined ? 'json-base64:skip' : 'json-base64';
  },
  'body-replace': (r, rng) => ((r.body = Buffer.from(rng.pick(BODIES), 'latin1')), 'body-replace'),
  'body-bytes': (r, rng) => {
    const body = Buffer.from(r.body);
    for (let i = 0, n = 1 + rng.int(4); i < n && body.length > 0; i++) body[rng.int(body.length)] = rng.int(256);
    r.body = rng.chance(0.3) ? Buffer.concat([body.subarray(0, rng.int(body.length + 1)), rng.bytes(rng.int(16))]) : body;
    return 'body-bytes';
  },
};

const NAMES = Object.keys(MUTATIONS);

/** Applies 1–3 random mutations to `r` (in place). @returns their names. */
export function mutate(r: FuzzRequest, rng: Prng): string[] {
  const applied: string[] = [];
  for (let i = 0, n = 1 + rng.int(3); i < n; i++) applied.push(MUTATIONS[rng.pick(NAMES)]!(r, rng));
  return applied;
}
