/**
 * The version block of `kes --version`.
 */
import { readFileSync } from 'node:fs';

/** This package's `package.json` fields used by `--version` (read once; both src/ and dist/ sit one level below it). */
function packageInfo(): { version: string; license?: string } {
  try {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    const pkg = JSON.parse(text) as { version?: unknown; license?: unknown };
    return {
      version: typeof pkg.version === 'string' ? pkg.version : 'unknown',
      ...(typeof pkg.license === 'string' ? { license: pkg.license } : {}),
    };
  } catch {
    return { version: 'unknown' };
  }
}

/** This package's version (`package.json`), or `unknown`. */
export function packageVersion(): string {
  return packageInfo().version;
}

/** `Version`, `Runtime`, `License` and `Copyright` lines, like the Go CLI's `--version`. */
export function versionText(): string {
  const info = packageInfo();
  const rows: Array<[string, string]> = [
    ['Version', info.version],
    ['Runtime', `node ${process.version} ${process.platform}/${process.arch}`],
    ['License', info.license ?? 'see the LICENSE file of the source repository'],
    ['Copyright', 'the kes-ts authors'],
  ];
  return rows.map(([k, v]) => `${k.padEnd(10)} ${v}`).join('\n');
}
