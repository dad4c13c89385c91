/**
 * Conformance of identities, API keys, names/patterns and policies against the upstream vectors
 * (`kes-vectors.json` sections `api_key`, `certificate_identity`, `valid_name`, `valid_pattern`, `policy_match`).
 * Run by hand only (the project's own tests never read ../shared):
 *   npx tsx tools/conformance/identity.ts [path/to/kes-vectors.json]
 * Policy vectors with legacy (`path.Match`) semantics are skipped; so are the `legacy_path_match_results` of current
 * vectors. The counts of skipped items are reported.
 */
import { createPrivateKey } from 'node:crypto';
import {
  ApiKey,
  Policy,
  identityOfCertificate,
  isKesError,
  isValidName,
  isValidPattern,
} from '../../packages/core/src/index.js';
import { runIfMain } from './report.js';
import { expectSame, Tally, type CheckResult } from './tally.js';

/**
 * Runs every applicable identity-area vector; never throws (a throwing check counts as a failure). `skipped` counts
 * the legacy-semantics checks that were deliberately not run.
 */
export function checkIdentity(vectors: any): CheckResult {
  const result = new Tally();

  for (const v of vectors.api_key.identity_vectors) {
    result.check(`api_key identity ${v.api_key}`, () => {
      const key = ApiKey.parse(v.api_key);
      return (
        expectSame('identity', key.identity, v.identity) ??
        expectSame('public key', Buffer.from(key.publicKey).toString('hex'), v.ed25519_public_key_hex) ??
        expectSame('toString', key.toString(), v.api_key)
      );
    });
  }
  for (const v of vectors.api_key.parse_vectors) {
    result.check(`api_key parse ${JSON.stringify(v.input)}`, () => {
      if (!v.should_fail) return expectSame('round trip', ApiKey.parse(v.input).toString(), v.input);
      try {
        ApiKey.parse(v.input);
      } catch (err) {
        return isKesError(err, 'INVALID_API_KEY') ? undefined : `wrong error ${String(err)}`;
      }
      return 'parsed, want failure';
    });
  }

  const certs = vectors.certificate_identity;
  for (const v of certs.vectors) {
    result.check(`certificate_identity ${v.name}`, () => expectSame('identity', identityOfCertificate(pemToDer(v.certificate_pem)), v.identity));
  }
  result.check('certificate_identity root.key ↔ API key ↔ root.cert', () => {
    const pkcs8 = createPrivateKey(certs.root_private_key_pem).export({ format: 'der', type: 'pkcs8' });
    const text = `kes:v1:${Buffer.concat([Buffer.of(0), pkcs8.subarray(pkcs8.length - 32)]).toString('base64')}`;
    const rootCert = certs.vectors.find((c: { name: string }) => c.name === 'root.cert');
    return (
      expectSame('api key', text, /kes:v1:\S+/.exec(certs.root_private_key_note)?.[0]) ??
      expectSame('identity', ApiKey.parse(text).identity, rootCert.identity)
    );
  });

  for (const [section, validate] of [
    ['valid_name', isValidName],
    ['valid_pattern', isValidPattern],
  ] as const) {
    for (const v of vectors[section].vectors) {
      const input: string = typeof v.input === 'string' ? v.input : v.input.repeat.repeat(v.input.count);
      result.check(`${section} ${JSON.stringify(input)}`, () => expectSame('valid', validate(input), v.valid));
    }
  }

  for (const v of vectors.policy_match.vectors) {
    if (v.semantics !== 'current' && v.semantics !== 'both') {
      result.skipped += v.requests.length;
      continue;
    }
    result.skipped += Object.keys(v.legacy_path_match_results ?? {}).length;
    const policy = new Policy({ allow: v.allow, deny: v.deny });
    for (const r of v.requests) {
      result.check(`policy_match ${v.name} ${r.path}`, () => expectSame('allowed', policy.verify(r.path), r.allowed));
    }
  }
  return result;
}

function pemToDer(pem: string): Uint8Array {
  return Buffer.from(pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, ''), 'base64');
}

await runIfMain(import.meta.url, 'identity', checkIdentity);
