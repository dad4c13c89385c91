import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectKesError } from '@kes/keystore-testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VaultFixture } from './vault-fixture.js';

const fixture = new VaultFixture({ tls: { requireClientCert: true } });
let dir = '';
beforeAll(async () => {
  await fixture.start();
  dir = await mkdtemp(join(tmpdir(), 'kes-vault-tls-'));
  const tls = fixture.emulator.tls!;
  await writeFile(join(dir, 'ca.pem'), tls.ca.certPem);
  await writeFile(join(dir, 'client.crt'), tls.client.certPem);
  await writeFile(join(dir, 'client.key'), tls.client.keyPem, { mode: 0o600 });
  await writeFile(join(dir, 'notes.txt'), 'not a certificate');
});
afterAll(async () => {
  await fixture.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('vault over TLS with a client certificate (emulator)', () => {
  it('works with tls.ca (file), tls.cert and tls.key; relative paths resolve against the working directory', async () => {
    const ks = await fixture.keystore(fixture.block({ tls: { ca: 'ca.pem', cert: 'client.crt', key: 'client.key' } }), { cwd: dir });
    await ks.create('k', Buffer.from('v'));
    expect(Buffer.from(await ks.get('k')).toString()).toBe('v');
    await ks.status();
  });

  it('accepts a CA directory (every certificate in it is trusted, other files are skipped)', async () => {
    const ks = await fixture.keystore(fixture.block({ tls: { ca: dir, cert: join(dir, 'client.crt'), key: join(dir, 'client.key') } }));
    await ks.status();
  });

  it('without the client certificate the handshake fails: KEYSTORE_UNREACHABLE', async () => {
    const ks = await fixture.keystore(fixture.block({ tls: { ca: join(dir, 'ca.pem') } }));
    await expectKesError(ks.get('k'), 'KEYSTORE_UNREACHABLE');
  });

  it("without tls.ca Vault's certificate is not trusted: KEYSTORE_UNREACHABLE naming the cause", async () => {
    const ks = await fixture.keystore(fixture.block({ tls: { cert: join(dir, 'client.crt'), key: join(dir, 'client.key') } }));
    const err = await expectKesError(ks.status(), 'KEYSTORE_UNREACHABLE');
    expect(err.message).toMatch(/certificate/i);
  });

  it('a TLS file that cannot be read stops the keystore from opening, naming the file', async () => {
    await expect(fixture.keystore(fixture.block({ tls: { ca: join(dir, 'nope.pem') } }))).rejects.toThrow(/tls\.ca .*nope\.pem/);
    await expect(fixture.keystore(fixture.block({ tls: { ca: join(dir, 'notes.txt') } }))).rejects.toThrow(/holds no PEM certificate/);
  });
});
