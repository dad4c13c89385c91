/**
 * Conformance of the keystore helpers against the upstream vectors (`kes-vectors.json` sections `keystore_list`, the
 * shared list helper, and `fs_keystore_name`, the fs keystore's file-name rule).
 * Run by hand only (the project's own tests never read ../shared):
 *   npx tsx --conditions=@kes/source tools/conformance/keystore.ts [path/to/kes-vectors.json]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { listPage } from '../../packages/core/src/index.js';
import { assertFsKeyName, isValidFsKeyName } from '../../packages/keystore-fs/src/fs-names.js';

/** Result of {@link checkKeystore}. */
export interface KeystoreCheckResult {
  passed: number;
  failed: number;
  failures: string[];
}

function checkListVector(v: any): string | undefined {
  const got = listPage(v.names as string[], v.prefix as string, v.n as number);
  const want = { names: v.list as string[], continueAt: v.continue_at as string };
  return JSON.stringify(got) === JSON.stringify(want) ? undefined : `got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`;
}

function checkFsNameVector(v: any): string | undefined {
  const name = v.input as string;
  if (isValidFsKeyName(name) !== v.valid) return `isValidFsKeyName = ${!v.valid}, want ${v.valid}`;
  try {
    assertFsKeyName(name);
    return v.valid ? undefined : 'assertFsKeyName accepted it';
  } catch (err) {
    const e = err as { code?: string; message?: string };
    if (v.valid) return `assertFsKeyName threw ${String(err)}`;
    return e.code === 'INVALID_KEY_CONFIG' && e.message === 'fs: key name contains invalid character'
      ? undefined
      : `threw ${e.code}: ${e.message}`;
  }
}

/**
 * Checks every vector of `keystore_list` (through `listPage`) and `fs_keystore_name` (through `isValidFsKeyName`
 * and `assertFsKeyName`, which must throw `INVALID_KEY_CONFIG` with KES's text).
 * @returns counts and one line per failed vector. Never throws for well-formed vector files.
 */
export function checkKeystore(vectors: any): KeystoreCheckResult {
  const result: KeystoreCheckResult = { passed: 0, failed: 0, failures: [] };
  const sections: Array<[string, (v: any) => string | undefined]> = [
    ['keystore_list', checkListVector],
    ['fs_keystore_name', checkFsNameVector],
  ];
  for (const [section, check] of sections) {
    const list: any[] = vectors?.[section]?.vectors ?? [];
    if (list.length === 0) {
      result.failed++;
      result.failures.push(`${section}: no vectors found`);
    }
    list.forEach((v, i) => {
      let problem: string | undefined;
      try {
        problem = check(v);
      } catch (err) {
        problem = `threw ${String(err)}`;
      }
      if (problem === undefined) result.passed++;
      else {
        result.failed++;
        result.failures.push(`${section}[${i}] ${JSON.stringify(v)}: ${problem}`);
      }
    });
  }
  return result;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const file = process.argv[2] ?? join(import.meta.dirname, '../../../shared/conformance/kes-vectors.json');
  const result = checkKeystore(JSON.parse(readFileSync(file, 'utf8')));
  for (const failure of result.failures) console.log(`FAIL ${failure}`);
  console.log(`keystore: ${result.passed} passed, ${result.failed} failed`);
  process.exit(result.failed > 0 ? 1 : 0);
}
