/**
 * Hand-run conformance check of the implementation against the upstream vectors in ../shared/conformance.
 * Not part of the test suite (the project's tests carry their own cases): run it with
 *   npx tsx --conditions=@kes/source tools/conformance/run.ts [path/to/kes-vectors.json]
 * It prints one line per area and a total, and exits 1 if any vector fails.
 */
import { checkClient } from './client.js';
import { checkCrypto } from './crypto.js';
import { checkIdentity } from './identity.js';
import { checkKeystore } from './keystore.js';
import { printResult, readVectors, type AreaCheck } from './report.js';

const vectors = readVectors();
const areas: Array<[string, AreaCheck]> = [
  ['crypto', checkCrypto],
  ['identity', checkIdentity],
  ['keystore', checkKeystore],
  ['client', checkClient],
];

let passed = 0;
let failed = 0;
for (const [name, check] of areas) {
  const result = await check(vectors);
  passed += result.passed;
  failed += result.failed;
  printResult(name, result);
}
console.log(`total      ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
