/**
 * Test helper: server config files whose keystores are directories (the `fs` backend), for `kes migrate`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeStoredKey, newStoredKey } from '@kes/core';

/** Writes `<name>.yml` in `dir` with `keystore.fs.path: ./<name>-keys` and returns the file name. */
export function writeFsConfig(dir: string, name: string): string {
  const file = `${name}.yml`;
  writeFileSync(
    join(dir, file),
    ['admin:', '  identity: disabled', 'tls:', '  key: ./server.key', '  cert: ./server.crt', 'keystore:', '  fs:', `    path: ./${name}-keys`, ''].join('\n'),
  );
  mkdirSync(join(dir, `${name}-keys`), { recursive: true });
  return file;
}

/** Writes `count` stored keys `key-0000`… into the fs keystore directory of config `name`; returns name → value. */
export function writeKeys(dir: string, name: string, count: number, prefix = 'key-'): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    const key = `${prefix}${String(i).padStart(4, '0')}`;
    const value = Buffer.from(encodeStoredKey(newStoredKey({ createdBy: 'test' }))).toString('utf8');
    writeFileSync(join(dir, `${name}-keys`, key), value, { mode: 0o600 });
    out.set(key, value);
  }
  return out;
}
