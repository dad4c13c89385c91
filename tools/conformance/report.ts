/**
 * Running conformance areas by hand: reading the vector file and printing each area's tally.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CheckResult } from './tally.js';

/** One area's check over the whole vector file. */
export type AreaCheck = (vectors: any) => CheckResult | Promise<CheckResult>;

/** Reads the vector file named on the command line (`argv[2]`), else `../shared/conformance/kes-vectors.json`. */
export function readVectors(): unknown {
  const file = process.argv[2] ?? join(import.meta.dirname, '../../../shared/conformance/kes-vectors.json');
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** Prints `<area> N passed, M failed[, K skipped]` and one `  - <failure>` line per failure. */
export function printResult(area: string, result: CheckResult): void {
  const skipped = result.skipped > 0 ? `, ${result.skipped} skipped` : '';
  console.log(`${area.padEnd(10)} ${result.passed} passed, ${result.failed} failed${skipped}`);
  for (const failure of result.failures) console.log(`  - ${failure}`);
}

/**
 * When `moduleUrl` (an area's `import.meta.url`) is the script node was started with: runs `check` on
 * {@link readVectors}, prints the result and exits 1 if any check failed (else 0). Otherwise does nothing.
 */
export async function runIfMain(moduleUrl: string, area: string, check: AreaCheck): Promise<void> {
  if (process.argv[1] === undefined || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  const result = await check(readVectors());
  printResult(area, result);
  process.exit(result.failed > 0 ? 1 : 0);
}
