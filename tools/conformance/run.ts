/**
 * Hand-run conformance check of the implementation against the upstream vectors in ../shared/conformance.
 * Not part of the test suite (the project's tests carry their own cases): run it with
 *   npx tsx --conditions=@kes/source tools/conformance/run.ts [path/to/kes-vectors.json]
 * It prints one line per area and a total, and exits 1 if any vector fails.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkClient } from './client.js';
import { checkCrypto } from './crypto.js';
import { checkIdentity } from './identity.js';
import { checkKeystore } from './keystore.js';

type Check = (vectors: unknown) => { passed: number; failed: number; failures: string[] };

const file = process.argv[2] ?? join(import.meta.dirname, '../../../shared/conformance/kes-vectors.json');
const vectors: unknown = JSON.parse(readFileSync(file, 'utf8'));
const areas: Array<[string, Check]> = [
  ['crypto', checkCrypto],
  ['identity', checkIdentity],
  ['keystore', checkKeystore],
  ['client', checkClient],
];

let passed = 0;
let failed = 0;
for (const [name, check] of areas) {
  const result = check(vectors);
  passed += result.passed;
  failed += result.failed;
  console.log(`${name.padEnd(10)} ${result.passed} passed, ${result.failed} failed`);
  for (const failure of result.failures) console.log(`  - ${failure}`);
}
console.log(`total      ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
