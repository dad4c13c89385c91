/**
 * Conformance of the keystore helpers against the upstream vectors (`kes-vectors.json` sections `keystore_list`, the
 * shared list helper, and `fs_keystore_name`, the fs keystore's file-name rule).
 * Run by hand only (the project's own tests never read ../shared):
 *   npx tsx --conditions=@kes/source tools/conformance/keystore.ts [path/to/kes-vectors.json]
 */
import { listPage } from '../../packages/core/src/index.js';
import { assertFsKeyName, isValidFsKeyName } from '../../packages/keystore-fs/src/fs-names.js';
import { runIfMain } from './report.js';
import { expectSame, Tally, type CheckResult } from './tally.js';

function checkListVector(v: any): string | undefined {
  const got = listPage(v.names as string[], v.prefix as string, v.n as number);
  return expectSame('page', got, { names: v.list as string[], continueAt: v.continue_at as string });
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
export function checkKeystore(vectors: any): CheckResult {
  const result = new Tally();
  const sections: Array<[string, (v: any) => string | undefined]> = [
    ['keystore_list', checkListVector],
    ['fs_keystore_name', checkFsNameVector],
  ];
  for (const [section, check] of sections) {
    const list: any[] = vectors?.[section]?.vectors ?? [];
    if (list.length === 0) result.record(section, 'no vectors found');
    list.forEach((v, i) => result.check(`${section}[${i}] ${JSON.stringify(v)}`, () => check(v)));
  }
  return result;
}

await runIfMain(import.meta.url, 'keystore', checkKeystore);
