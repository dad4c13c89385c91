import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from './load-config.js';
import { ConfigError } from './problems.js';
import { buildServerOptions } from './server-options-from-config.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kes-log-format-'));
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'server.key'), '-out', join(dir, 'server.crt'), '-subj', '/CN=localhost', '-days', '2', '-addext', 'subjectAltName=DNS:localhost'],
    { stdio: 'ignore' },
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const config = (log: string) => `admin:\n  identity: disabled\ntls:\n  key: server.key\n  cert: server.crt\nlog:\n${log}keystore:\n  memory: {}\n`;

describe('log.format (project extension)', () => {
  it('accepts text and json (any case) and rejects anything else with its line', async () => {
    expect((await parseConfig(config('  format: JSON\n'), { env: {} })).log).toEqual({ errorLevel: 0, auditLevel: 0, format: 'json' });
    expect((await parseConfig(config('  error: warn\n'), { env: {} })).log).toEqual({ errorLevel: 4, auditLevel: 0 });
    const err = await parseConfig(config('  format: xml\n'), { env: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems.map((p) => [p.path, p.line, p.message])).toEqual([['log.format', 7, "invalid log format 'xml'"]]);
  });

  it('reaches the server options; a running server’s log object passed back only contributes its streams', async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const parsed = await parseConfig(config('  error: warn\n  audit: off\n  format: json\n'), { env: {}, cwd: dir });
    const options = await buildServerOptions(parsed, { cwd: dir, log: { errorLevel: 0, auditLevel: 0, format: 'text', stdout, stderr } as never });
    expect(options.log).toEqual({ errorLevel: 4, auditLevel: 9, format: 'json', stdout, stderr });
    await options.keystore.close();
  });
});
