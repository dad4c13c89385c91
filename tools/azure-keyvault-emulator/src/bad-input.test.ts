import { connect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startEmulator, type Emulator } from './index.js';
import { clientFor, rawRequest, vaultToken } from './test/harness.js';

let emu: Emulator;
let token: string;
const errors: unknown[] = [];

beforeAll(async () => {
  emu = await startEmulator({ onError: (e) => errors.push(e) });
  token = await vaultToken(emu);
});
afterAll(() => emu.stop());

function rawSocketSend(port: number, payload: Buffer, tls: boolean): Promise<void> {
  return new Promise((resolve) => {
    const s = tls ? tlsConnect({ host: '127.0.0.1', port, ca: emu.caPem, servername: 'localhost' }) : connect({ host: '127.0.0.1', port });
    s.on('error', () => resolve());
    s.on('close', () => resolve());
    s.on(tls ? 'secureConnect' : 'connect', () => {
      s.write(payload);
      setTimeout(() => s.destroy(), 100);
    });
  });
}

describe('bad input never crashes the emulator', () => {
  it('arbitrary authenticated requests get 2xx/4xx answers (never 5xx)', async () => {
    const segment = fc.oneof(fc.constantFrom('secrets', 'deletedsecrets', 'versions', 'recover', 'backup', 'restore', 'x', '%', '%zz', '..', 'a_b', ''), fc.webSegment());
    const method = fc.constantFrom('GET', 'PUT', 'PATCH', 'POST', 'DELETE', 'HEAD', 'OPTIONS');
    const query = fc.oneof(fc.constant('api-version=7.5'), fc.constant('api%2Dversion=2025-07-01&maxresults=0'), fc.webQueryParameters(), fc.constant('$skiptoken=%%%'));
    const body = fc.oneof(fc.constant(undefined), fc.string({ maxLength: 200 }), fc.json(), fc.constant('{"value":' + '"x"'.repeat(3) + '}'));
    await fc.assert(
      fc.asyncProperty(method, fc.array(segment, { maxLength: 4 }), query, body, async (m, segs, q, b) => {
        const r = await rawRequest(emu, m, `${emu.vaultUrl}/${segs.join('/')}?${q}`, { token, ...(b === undefined ? {} : { body: b }) });
        expect(r.status).toBeGreaterThanOrEqual(200);
        expect(r.status).toBeLessThan(500);
      }),
      { numRuns: 100 },
    );
    expect(errors).toEqual([]);
  });

  it('survives garbage on the wire, oversized bodies and aborted uploads, then serves the SDK normally', async () => {
    const vaultPort = Number(new URL(emu.vaultUrl).port);
    const loginPort = Number(new URL(emu.authorityHost).port);
    await rawSocketSend(vaultPort, Buffer.from('GARBAGE\r\n\r\n'), false); // not TLS at all
    await rawSocketSend(vaultPort, Buffer.from('GET / HTTP/9.9\r\nHost: \u0000\r\n\r\n'), true);
    await rawSocketSend(loginPort, Buffer.from('POST /x/oauth2/v2.0/token HTTP/1.1\r\nContent-Length: 100\r\n\r\npartial'), true);
    await rawSocketSend(vaultPort, Buffer.from(`PUT /secrets/x?api-version=7.5 HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${token}\r\nContent-Length: 1000\r\n\r\n{"value":`), true);
    const big = await rawRequest(emu, 'PUT', `${emu.vaultUrl}/secrets/huge?api-version=7.5`, { token, body: JSON.stringify({ value: 'x'.repeat(300_000) }) });
    expect(big.status).toBe(413);
    const imds = await rawRequest(emu, 'GET', `${emu.managedIdentity.imdsHost}/%%%/?a=%`, { headers: { Metadata: 'true' } });
    expect(imds.status).toBe(404);
    const tokenGarbage = await rawRequest(emu, 'POST', `${emu.authorityHost}/${emu.tenantId}/oauth2/v2.0/token`, { body: '\u0000\u0001%%%&&&=' });
    expect(tokenGarbage.status).toBe(400);
    const client = clientFor(emu);
    await client.setSecret('still-alive', 'yes');
    expect((await client.getSecret('still-alive')).value).toBe('yes');
    expect(errors).toEqual([]);
  });
});
