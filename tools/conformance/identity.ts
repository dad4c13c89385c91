/**
 * Conformance of identities, API keys, names/patterns and policies against the upstream vectors
 * (`kes-vectors.json` sections `api_key`, `certificate_identity`, `valid_name`, `valid_pattern`, `policy_match`).
 * Run by hand only (the project's own tests never read ../shared):
 *   npx tsx tools/conformance/identity.ts [path/to/kes-vectors.json]
 * Policy vectors with legacy (`path.Match`) semantics are skipped; so are the `legacy_path_match_results` of current
 * vectors. The counts of skipped items are reported.
 */
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ApiKey,
  Policy,
  identityOfCertificate,
  isKesError,
  isValidName,
  isValidPattern,
} from '../../packages/core/src/index.js';

/** Result of {@link checkIdentity}; `skipped` counts legacy-semantics checks that were deliberately not run. */
export interface IdentityCheckResult {
  passed: number;
  failed: number;
  failures: string[];
  skipped: number;
}

/** Runs every applicable identity-area vector; never throws (a throwing check counts as a failure). */
export function checkIdentity(vectors: any): IdentityCheckResult {
  const result: IdentityCheckResult = { passed: 0, failed: 0, failures: [], skipped: 0 };
  const check = (label: string, fn: () => string | undefined): void => {
    let problem: string | undefined;
    try {
      problem = fn();
    } catch (err) {
      problem = `threw ${isKesError(err) ? `${err.code}: ${err.message}` : String(err)}`;
    }
    if (problem === undefined) result.passed++;
    else {
      result.failed++;
      result.failures.push(`${label}: ${problem}`);
    }
  };
  const expectEqual = (what: string, got: unknown, want: unknown) =>
    got === want ? undefined : `${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`;

  for (const v of vectors.api_key.identity_vectors) {
    check(`api_key identity ${v.api_key}`, () => {
      const key = ApiKey.parse(v.api_key);
      return (
        expectEqual('identity', key.identity, v.identity) ??
        expectEqual('public key', Buffer.from(key.publicKey).toString('hex'), v.ed25519_public_key_hex) ??
        expectEqual('toString', key.toString(), v.api_key)
      );
    });
  }
  for (const v of vectors.api_key.parse_vectors) {
    check(`api_key parse ${JSON.stringify(v.input)}`, () => {
      if (!v.should_fail) return expectEqual('round trip', ApiKey.parse(v.input).toString(), v.input);
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
    check(`certificate_identity ${v.name}`, () => expectEqual('identity', identityOfCertificate(pemToDer(v.certificate_pem)), v.identity));
  }
  check('certificate_identity root.key ↔ API key ↔ root.cert', () => {
    const pkcs8 = createPrivateKey(certs.root_private_key_pem).export({ format: 'der', type: 'pkcs8' });
    const text = `kes:v1:${Buffer.concat([Buffer.of(0), pkcs8.subarray(pkcs8.length - 32)]).toString('base64')}`;
    const rootCert = certs.vectors.find((c: { name: string }) => c.name === 'root.cert');
    return (
      expectEqual('api key', text, /kes:v1:\S+/.exec(certs.root_private_key_note)?.[0]) ??
      expectEqual('identity', ApiKey.parse(text).identity, rootCert.identity)
    );
  });

  for (const [section, validate] of [
    ['valid_name', isValidName],
    ['valid_pattern', isValidPattern],
  ] as const) {
    for (const v of vectors[section].vectors) {
      const input: string = typeof v.input === 'string' ? v.input : v.input.repeat.repeat(v.input.count);
      check(`${section} ${JSON.stringify(input)}`, () => expectEqual('valid', validate(input), v.valid));
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
      check(`policy_match ${v.name} ${r.path}`, () => expectEqual('allowed', policy.verify(r.path), r.allowed));
    }
  }
  return result;
}

function pemToDer(pem: string): Uint8Array {
  return Buffer.from(pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, ''), 'base64');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const file = process.argv[2] ?? join(import.meta.dirname, '../../../shared/conformance/kes-vectors.json');
  const result = checkIdentity(JSON.parse(readFileSync(file, 'utf8')));
  for (const failure of result.failures) console.log(`  - ${failure}`);
  console.log(`identity: ${result.passed} passed, ${result.failed} failed (${result.skipped} legacy-semantics checks skipped)`);
  process.exit(result.failed > 0 ? 1 : 0);
}
